/** The standalone server: CLI, YAML configuration, wiring. */
package dev.chorus.server;
