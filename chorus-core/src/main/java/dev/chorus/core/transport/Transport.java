package dev.chorus.core.transport;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * A network listener that feeds connections to the engine (the Netty transport in
 * {@code chorus-netty}). Created by a {@link TransportFactory}.
 */
public interface Transport {

    /** Binds and starts accepting; returns the bound address (useful with port 0). */
    InetSocketAddress start(ConnectionAcceptor acceptor) throws Exception;

    /**
     * Stops accepting new connections, waits up to {@code grace} for open ones to finish closing
     * (the engine closes them first), then releases threads and sockets.
     */
    void stop(Duration grace);
}
