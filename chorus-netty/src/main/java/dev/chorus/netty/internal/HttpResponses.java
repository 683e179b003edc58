package dev.chorus.netty.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chorus.protocol.ErrorCode;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** Writes small JSON responses, honouring keep-alive and HEAD. */
final class HttpResponses {
    static final ObjectMapper JSON = new ObjectMapper();

    private HttpResponses() {
    }

    /**
     * Sends {@code body} as JSON. {@code req} may be {@code null} when the request could not be
     * parsed: the connection is then closed, since the next request's start cannot be trusted.
     */
    static void json(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String body) {
        send(ctx, req, response(req, status, body));
    }

    static void error(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String message) {
        json(ctx, req, status, "{\"error\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
    }

    static void methodNotAllowed(ChannelHandlerContext ctx, FullHttpRequest req, String allow) {
        FullHttpResponse res = response(req, HttpResponseStatus.METHOD_NOT_ALLOWED, "{\"error\":\"method not allowed, use " + allow + "\"}");
        res.headers().set(HttpHeaderNames.ALLOW, allow);
        send(ctx, req, res);
    }

    /** {@code {"error":{"code":N,"message":"..."}}}, the error body of the HTTP API, /publish and /sse. */
    static String errorBody(int code, String message) {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("error").put("code", code).put("message", message);
        return write(root);
    }

    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /**
     * The HTTP status for an engine error code, for answers given before any response started:
     * authentication 401, permissions 403, sizes 413, overload 429/503, server faults 500,
     * anything the client got wrong 400.
     */
    static HttpResponseStatus statusFor(int code) {
        ErrorCode c = ErrorCode.of(code);
        if (c == null) {
            return HttpResponseStatus.BAD_REQUEST;
        }
        return switch (c) {
            case UNAUTHORIZED, TOKEN_EXPIRED -> HttpResponseStatus.UNAUTHORIZED;
            case PERMISSION_DENIED, REJECTED -> HttpResponseStatus.FORBIDDEN;
            case TOO_LARGE -> HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE;
            case TOO_MANY_REQUESTS -> HttpResponseStatus.TOO_MANY_REQUESTS;
            case SHUTTING_DOWN -> HttpResponseStatus.SERVICE_UNAVAILABLE;
            case INTERNAL -> HttpResponseStatus.INTERNAL_SERVER_ERROR;
            case METHOD_NOT_FOUND, UNKNOWN_OPERATION -> HttpResponseStatus.NOT_FOUND;
            default -> HttpResponseStatus.BAD_REQUEST;
        };
    }

    /** A JSON response (body left out for HEAD, with its length still announced). */
    static FullHttpResponse response(FullHttpRequest req, HttpResponseStatus status, String body) {
        return response(req != null && HttpMethod.HEAD.equals(req.method()), status, body);
    }

    static FullHttpResponse response(boolean head, HttpResponseStatus status, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        // a HEAD answer announces the length of the body it leaves out (RFC 9110, 9.3.2)
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        return res;
    }

    static void send(ChannelHandlerContext ctx, FullHttpRequest req, FullHttpResponse res) {
        send(ctx, req != null && HttpUtil.isKeepAlive(req), res);
    }

    /** Sends {@code res}, closing the connection after it unless {@code keepAlive}. */
    static void send(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse res) {
        if (keepAlive) {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(res);
        } else {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
