package dev.chorus.core.transport;

import dev.chorus.core.config.ChorusConfig;

/**
 * Creates the transport for a configuration. {@code Chorus} uses the factory given to its builder,
 * or else the first one found by {@link java.util.ServiceLoader} (with {@code chorus-netty} on the
 * class path: the Netty transport).
 */
public interface TransportFactory {

    Transport create(ChorusConfig config);
}
