package dev.chorus.netty;

import dev.chorus.core.config.ChorusConfig;
import dev.chorus.core.transport.Transport;
import dev.chorus.core.transport.TransportFactory;

/** Creates {@link NettyTransport}s; registered for {@link java.util.ServiceLoader}. */
public final class NettyTransportFactory implements TransportFactory {
    @Override
    public Transport create(ChorusConfig config) {
        return new NettyTransport(config);
    }
}
