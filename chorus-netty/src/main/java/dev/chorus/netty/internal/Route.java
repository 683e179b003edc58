package dev.chorus.netty.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;

/**
 * Serves the requests of one path (or path prefix) once the router has checked the method. The
 * router releases the request after the call: a route that passes it on retains it.
 */
@FunctionalInterface
interface Route {

    /** Answers {@code req}; {@code path} is the decoded path without the query string. */
    void handle(ChannelHandlerContext ctx, FullHttpRequest req, String path);
}
