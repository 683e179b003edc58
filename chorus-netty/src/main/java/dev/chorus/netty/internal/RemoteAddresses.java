package dev.chorus.netty.internal;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** How a client's address is shown to the engine, hooks and logs: {@code host:port}. */
final class RemoteAddresses {
    private RemoteAddresses() {
    }

    static String of(Channel channel) {
        SocketAddress a = channel.remoteAddress();
        if (a instanceof InetSocketAddress i) {
            return i.getAddress().getHostAddress() + ":" + i.getPort();
        }
        return String.valueOf(a);
    }
}
