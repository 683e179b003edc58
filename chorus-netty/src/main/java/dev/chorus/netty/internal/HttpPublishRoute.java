package dev.chorus.netty.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chorus.core.config.ChorusConfig;
import dev.chorus.core.transport.ConnectionAcceptor;
import dev.chorus.core.transport.InboundHandler;
import dev.chorus.protocol.Codec;
import dev.chorus.protocol.ErrorCode;
import dev.chorus.protocol.Format;
import dev.chorus.protocol.Payload;
import dev.chorus.protocol.ProtocolException;
import dev.chorus.protocol.Request;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /publish} for clients without WebSocket: body {@code {"channel","data","key"?}}, the
 * client token as bearer, query parameter or cookie. The publish goes through the engine as a
 * short client session ({@link HttpPublishExchange}), never around it.
 */
final class HttpPublishRoute implements Route {
    private static final Logger log = LoggerFactory.getLogger(HttpPublishRoute.class);
    private static final Codec JSON = Codec.forFormat(Format.JSON);

    private final ChorusConfig config;
    private final ConnectionAcceptor acceptor;

    HttpPublishRoute(ChorusConfig config, ConnectionAcceptor acceptor) {
        this.config = config;
        this.acceptor = acceptor;
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest req, String path) {
        String origin = req.headers().get(HttpHeaderNames.ORIGIN);
        PendingResponse out = PendingResponse.start(ctx, req, origin);
        int size = req.content().readableBytes();
        if (size > config.limits().maxFrameSize()) {
            out.error(ErrorCode.TOO_LARGE.code(), "body of " + size + " bytes exceeds the limit of " + config.limits().maxFrameSize() + " bytes");
            return;
        }
        Request.Publish publish;
        try {
            JsonNode body = JsonBodies.object(req.content(), false);
            String channel = JsonBodies.string(body, "channel", true);
            Payload data = JsonBodies.payload(body, "data");
            String key = JsonBodies.string(body, "key", false);
            publish = new Request.Publish(HttpPublishExchange.PUBLISH_ID, channel, data, key);
        } catch (ProtocolException e) {
            out.error(e.code().code(), e.getMessage());
            return;
        }
        String token;
        try {
            token = Credentials.token(req, new QueryStringDecoder(req.uri()));
        } catch (IllegalArgumentException e) {
            out.error(ErrorCode.BAD_REQUEST.code(), "malformed query string");
            return;
        }
        HttpPublishExchange exchange = new HttpPublishExchange(ctx.channel(), out);
        InboundHandler inbound;
        try {
            inbound = acceptor.accept(exchange);
        } catch (RuntimeException e) {
            log.error("the engine refused an HTTP publish", e);
            out.error(ErrorCode.INTERNAL.code(), ErrorCode.INTERNAL.defaultMessage());
            return;
        }
        exchange.started(inbound, config.connectTimeout().toMillis());
        inbound.onFrame(JSON.encodeRequest(new Request.Connect(HttpPublishExchange.CONNECT_ID, token, "http-publish", null)), false);
        inbound.onFrame(JSON.encodeRequest(publish), false);
    }
}
