package dev.chorus.netty.internal;

import dev.chorus.core.transport.ConnectionAcceptor;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;

/** {@code /metrics}: the node's metrics in the Prometheus text format; 404 when the node has none. */
final class MetricsRoute implements Route {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final ConnectionAcceptor acceptor;

    MetricsRoute(ConnectionAcceptor acceptor) {
        this.acceptor = acceptor;
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest req, String path) {
        String body = acceptor.scrapeMetrics();
        if (body == null) {
            HttpResponses.error(ctx, req, HttpResponseStatus.NOT_FOUND, "this node reports no metrics");
            return;
        }
        io.netty.handler.codec.http.FullHttpResponse res = HttpResponses.response(req, HttpResponseStatus.OK, body);
        res.headers().set(io.netty.handler.codec.http.HttpHeaderNames.CONTENT_TYPE, CONTENT_TYPE);
        HttpResponses.send(ctx, req, res);
    }
}
