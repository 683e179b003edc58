/** Load generator, peer comparisons and micro-benchmarks. */
package dev.chorus.bench;
