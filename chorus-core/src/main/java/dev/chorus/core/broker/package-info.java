/**
 * The {@link dev.chorus.core.broker.Broker} SPI: how publications get positions, history and reach
 * every node; with the single-node {@link dev.chorus.core.broker.MemoryBroker}.
 */
package dev.chorus.core.broker;
