/** Reading the server's configuration from YAML, {@code CHORUS_*} environment variables and flags. */
package dev.chorus.server.config;
