package dev.chorus.netty.internal;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;
import java.util.function.Supplier;

/**
 * A route that upgrades to WebSocket: installs the WebSocket handlers behind the router (frame
 * limits, optional permessage-deflate, fragment aggregation) and the session handler the caller
 * supplies, then hands them the request. Shared by every WebSocket endpoint.
 */
final class WebSocketUpgrade implements Route {
    /** How long a client may take to finish the opening handshake. */
    static final long HANDSHAKE_TIMEOUT_MILLIS = 10_000;

    private final String subprotocols;
    private final boolean compression;
    private final int hardFrameSize;
    private final Supplier<ChannelHandler> session;

    /**
     * @param subprotocols comma-separated subprotocols the server may select, or {@code null}
     * @param session creates the handler that receives complete messages and the handshake event
     */
    WebSocketUpgrade(String subprotocols, boolean compression, int hardFrameSize, Supplier<ChannelHandler> session) {
        this.subprotocols = subprotocols;
        this.compression = compression;
        this.hardFrameSize = hardFrameSize;
        this.session = session;
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest req, String path) {
        if (!req.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
            HttpResponses.error(ctx, req, HttpResponseStatus.BAD_REQUEST, "expected a WebSocket upgrade");
            return;
        }
        WebSocketServerProtocolConfig ws = WebSocketServerProtocolConfig.newBuilder()
                // the router has matched the path already; the handshaker must accept the request as is
                .websocketPath(rawPath(req.uri()))
                .checkStartsWith(true)
                .subprotocols(subprotocols)
                .handshakeTimeoutMillis(HANDSHAKE_TIMEOUT_MILLIS)
                .dropPongFrames(true)
                // every close we start sends its own frame and code; Netty's default would add a
                // second one (1000) after the frame decoder has already answered a violation
                .sendCloseFrame(null)
                .decoderConfig(WebSocketDecoderConfig.newBuilder()
                        .maxFramePayloadLength(hardFrameSize)
                        .allowExtensions(compression)
                        .closeOnProtocolViolation(true)
                        .build())
                .build();
        ChannelPipeline p = ctx.pipeline();
        String after = ctx.name();
        if (compression) {
            // the inflater may not allocate past the hard limit: a small compressed bomb fails early
            p.addAfter(after, "ws-compression", new WebSocketServerCompressionHandler(hardFrameSize));
            after = "ws-compression";
        }
        p.addAfter(after, "ws-protocol", new WebSocketServerProtocolHandler(ws));
        p.addAfter("ws-protocol", "ws-aggregator", new WebSocketFrameAggregator(hardFrameSize));
        p.addAfter("ws-aggregator", "ws-session", session.get());
        // the router releases the request after this call; the handshaker gets its own reference
        ctx.fireChannelRead(req.retain());
    }

    private static String rawPath(String uri) {
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q);
    }
}
