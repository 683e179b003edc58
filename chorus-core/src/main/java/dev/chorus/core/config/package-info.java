/** Immutable configuration objects with builders: the node, its limits and its namespaces. */
package dev.chorus.core.config;
