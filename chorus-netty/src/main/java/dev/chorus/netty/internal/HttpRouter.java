package dev.chorus.netty.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatches each HTTP request by path through the {@link HttpRoutes} table: unknown paths get 404,
 * a method the route does not allow 405, malformed requests 400. After a WebSocket upgrade the
 * router leaves the pipeline, since only frames follow.
 */
final class HttpRouter extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(HttpRouter.class);

    private final HttpRoutes routes;

    HttpRouter(HttpRoutes routes) {
        this.routes = routes;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (!req.decoderResult().isSuccess()) {
            HttpResponses.error(ctx, null, HttpResponseStatus.BAD_REQUEST, "malformed HTTP request");
            return;
        }
        String path;
        try {
            path = new QueryStringDecoder(req.uri()).path();
        } catch (IllegalArgumentException e) {
            // bad percent-encoding
            HttpResponses.error(ctx, req, HttpResponseStatus.BAD_REQUEST, "malformed request path");
            return;
        }
        HttpRoutes.Entry route = routes.match(path);
        if (route == null) {
            HttpResponses.error(ctx, req, HttpResponseStatus.NOT_FOUND, "no such path");
            return;
        }
        if (!route.methods().contains(req.method())) {
            HttpResponses.methodNotAllowed(ctx, req, route.allow());
            return;
        }
        route.route().handle(ctx, req, path);
        if (ctx.pipeline().get("ws-protocol") != null) {
            ctx.pipeline().remove(this);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("HTTP connection error, closing", cause);
        ctx.close();
    }
}
