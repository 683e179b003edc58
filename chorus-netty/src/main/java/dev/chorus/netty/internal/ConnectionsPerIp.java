package dev.chorus.netty.internal;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts the open long-lived connections (WebSocket and SSE) of each client IP, so one address
 * cannot hold more than the configured number. A connection is counted from the moment its upgrade
 * or stream is accepted until its channel closes; the address is the socket's peer (proxies'
 * {@code X-Forwarded-For} is not trusted). One per transport; thread-safe.
 */
final class ConnectionsPerIp {
    private static final AttributeKey<String> COUNTED = AttributeKey.valueOf(ConnectionsPerIp.class, "ip");

    private final int max;
    private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();

    /** @param max connections per IP; 0 for no limit (nothing is counted then) */
    ConnectionsPerIp(int max) {
        this.max = max;
    }

    int max() {
        return max;
    }

    static String ip(Channel ch) {
        SocketAddress a = ch.remoteAddress();
        if (a instanceof InetSocketAddress i && i.getAddress() != null) {
            return i.getAddress().getHostAddress();
        }
        return String.valueOf(a);
    }

    /**
     * Counts {@code ch} against its IP; false (and nothing counted) when the IP is at the limit.
     * The count is given back when the channel closes, or by {@link #release}. A channel is
     * counted at most once.
     */
    boolean acquire(Channel ch) {
        if (max <= 0 || ch.hasAttr(COUNTED) && ch.attr(COUNTED).get() != null) {
            return true;
        }
        String ip = ip(ch);
        boolean[] ok = {false};
        open.compute(ip, (k, n) -> {
            int count = n == null ? 0 : n;
            if (count >= max) {
                return n;
            }
            ok[0] = true;
            return count + 1;
        });
        if (ok[0]) {
            ch.attr(COUNTED).set(ip);
            ch.closeFuture().addListener(f -> release(ch));
        }
        return ok[0];
    }

    /** Gives back the count of {@code ch}, if it holds one (idempotent). */
    void release(Channel ch) {
        String ip = ch.attr(COUNTED).getAndSet(null);
        if (ip != null) {
            open.computeIfPresent(ip, (k, n) -> n <= 1 ? null : n - 1);
        }
    }

    /** Open counted connections of {@code ip}. */
    int count(String ip) {
        return open.getOrDefault(ip, 0);
    }
}
