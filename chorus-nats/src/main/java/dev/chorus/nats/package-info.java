/**
 * Chorus over NATS: {@link dev.chorus.nats.NatsBroker} (history and offsets in JetStream, fan-out
 * over core NATS) and {@link dev.chorus.nats.NatsPresenceStore} (a JetStream key-value bucket),
 * configured by {@link dev.chorus.nats.NatsConfig}.
 */
package dev.chorus.nats;
