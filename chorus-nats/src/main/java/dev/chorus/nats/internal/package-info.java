/**
 * Internal: subject names, the wire encoding between nodes, JetStream requests and the per-channel
 * sequencer of {@link dev.chorus.nats.NatsBroker}. Not an API; may change without notice.
 */
package dev.chorus.nats.internal;
