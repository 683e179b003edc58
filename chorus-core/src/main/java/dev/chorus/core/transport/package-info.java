/**
 * The seam between the engine and the network: a {@link dev.chorus.core.transport.Transport}
 * accepts connections and hands each to a {@link dev.chorus.core.transport.ConnectionAcceptor},
 * which returns the {@link dev.chorus.core.transport.InboundHandler} for its frames. The engine
 * writes back through {@link dev.chorus.core.transport.Connection}.
 */
package dev.chorus.core.transport;
