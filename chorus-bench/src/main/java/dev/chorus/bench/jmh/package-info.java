/** JMH micro-benchmarks of the hot paths: frame decode, publication encode, fan-out to local subscribers. */
package dev.chorus.bench.jmh;
