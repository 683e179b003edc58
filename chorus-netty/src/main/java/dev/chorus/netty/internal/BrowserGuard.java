package dev.chorus.netty.internal;

import dev.chorus.core.config.HttpConfig;
import dev.chorus.core.transport.ConnectionAcceptor;
import dev.chorus.protocol.ErrorCode;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Wraps a browser-facing route ({@code /ws}, {@code /sse}, {@code /publish}) with the checks every
 * one of them applies before anything reaches the engine: the {@code Origin} allow-list (403), CORS
 * preflights ({@code OPTIONS}, answered here), and, for long-lived connections, the limit of open
 * connections per IP (429). A counted connection whose route did not install its handler
 * ({@code marker}), e.g. a refused upgrade, is given back at once.
 */
final class BrowserGuard implements Route {
    private final HttpConfig http;
    /** {@code null}: the route's requests are not counted per IP (short requests such as POST). */
    private final ConnectionsPerIp perIp;
    private final String marker;
    private final String preflightMethods;
    private final Route inner;
    private final ConnectionAcceptor acceptor;

    BrowserGuard(ConnectionAcceptor acceptor, HttpConfig http, ConnectionsPerIp perIp, String marker, String preflightMethods, Route inner) {
        this.acceptor = acceptor;
        this.http = http;
        this.perIp = perIp;
        this.marker = marker;
        this.preflightMethods = preflightMethods;
        this.inner = inner;
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest req, String path) {
        String origin = req.headers().get(HttpHeaderNames.ORIGIN);
        if (!http.originAllowed(origin)) {
            acceptor.httpRefused("origin");
            HttpResponses.json(ctx, req, HttpResponseStatus.FORBIDDEN,
                    HttpResponses.errorBody(ErrorCode.PERMISSION_DENIED.code(), "origin '" + origin + "' is not allowed"));
            return;
        }
        if (HttpMethod.OPTIONS.equals(req.method())) {
            FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT, Unpooled.EMPTY_BUFFER);
            Cors.preflight(res.headers(), origin, preflightMethods);
            res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
            HttpResponses.send(ctx, HttpUtil.isKeepAlive(req), res);
            return;
        }
        if (perIp != null && !perIp.acquire(ctx.channel())) {
            acceptor.httpRefused("connections_per_ip");
            FullHttpResponse res = HttpResponses.response(req, HttpResponseStatus.TOO_MANY_REQUESTS,
                    HttpResponses.errorBody(ErrorCode.LIMIT_EXCEEDED.code(), "too many open connections from "
                            + ConnectionsPerIp.ip(ctx.channel()) + " (at most " + perIp.max() + "); close one and retry"));
            Cors.allow(res.headers(), origin);
            res.headers().set(HttpHeaderNames.RETRY_AFTER, "5");
            HttpResponses.send(ctx, HttpUtil.isKeepAlive(req), res);
            return;
        }
        inner.handle(ctx, req, path);
        if (perIp != null && ctx.pipeline().get(marker) == null) {
            perIp.release(ctx.channel());
        }
    }
}
