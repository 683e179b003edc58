package dev.chorus.netty.internal;

import dev.chorus.core.transport.ConnectionAcceptor;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;

/** {@code /health} and {@code /ready}: 200 while the engine accepts clients, 503 otherwise. */
final class HealthRoute implements Route {
    static final String OK = "{\"status\":\"ok\"}";
    static final String STARTING = "{\"status\":\"starting\"}";

    private final ConnectionAcceptor acceptor;

    HealthRoute(ConnectionAcceptor acceptor) {
        this.acceptor = acceptor;
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest req, String path) {
        if (acceptor.isReady()) {
            HttpResponses.json(ctx, req, HttpResponseStatus.OK, OK);
        } else {
            HttpResponses.json(ctx, req, HttpResponseStatus.SERVICE_UNAVAILABLE, STARTING);
        }
    }
}
