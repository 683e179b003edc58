package dev.chorus.netty.internal;

import dev.chorus.core.config.HttpConfig;
import dev.chorus.core.documents.DocumentHub;
import dev.chorus.core.transport.ConnectionAcceptor;
import dev.chorus.protocol.ErrorCode;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
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

/**
 * {@code /api/documents/<name>} of the server API, with its {@code Authorization: apikey} check:
 * {@code GET} answers the document as JSON (every root by its type), or, with
 * {@code Accept: application/octet-stream}, as one Yjs v1 update; {@code POST} applies the body, a
 * Yjs v1 update sent as {@code application/octet-stream}, stores it and sends it to the document's
 * clients before answering {@code {}}. Refused updates (malformed 400, too large 413) change nothing.
 */
final class DocumentApiRoute implements Route {
    static final String PREFIX = "/api/documents/";
    private static final String BINARY = HttpHeaderValues.APPLICATION_OCTET_STREAM.toString();

    private final ApiKeys keys;
    private final ConnectionAcceptor acceptor;

    DocumentApiRoute(HttpConfig http, ConnectionAcceptor acceptor) {
        this.keys = new ApiKeys(http.apiKeys());
        this.acceptor = acceptor;
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest req, String path) {
        DocumentHub hub = acceptor.documents();
        if (!keys.enabled() || hub == null) {
            HttpResponses.error(ctx, req, HttpResponseStatus.NOT_FOUND, "no such path");
            return;
        }
        if (!keys.accepts(req.headers().get(HttpHeaderNames.AUTHORIZATION))) {
            FullHttpResponse res = HttpResponses.response(req, HttpResponseStatus.UNAUTHORIZED,
                    HttpResponses.errorBody(ErrorCode.UNAUTHORIZED.code(), "missing or wrong API key: send 'Authorization: apikey <key>'"));
            res.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, ApiKeys.SCHEME);
            HttpResponses.send(ctx, req, res);
            return;
        }
        String name = path.substring(PREFIX.length());
        String problem = DocumentHub.nameProblem(name);
        if (problem != null) {
            HttpResponses.json(ctx, req, HttpResponseStatus.BAD_REQUEST, HttpResponses.errorBody(ErrorCode.BAD_REQUEST.code(), problem));
            return;
        }
        if (HttpMethod.POST.equals(req.method())) {
            post(ctx, req, hub, name);
        } else if (accepts(req.headers().get(HttpHeaderNames.ACCEPT), BINARY)) {
            getUpdate(ctx, req, hub, name);
        } else {
            PendingResponse out = PendingResponse.start(ctx, req, null);
            hub.json(name).whenComplete((json, err) -> {
                if (err != null) {
                    out.failure(err);
                } else {
                    // JSON as yjs's toJSON gives it (numbers in JavaScript form: 1, not 1.0)
                    out.json(HttpResponseStatus.OK, dev.chorus.yjs.lib0.JsJson.stringify(json));
                }
            });
        }
    }

    private static void post(ChannelHandlerContext ctx, FullHttpRequest req, DocumentHub hub, String name) {
        String type = req.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (type == null || !type.regionMatches(true, 0, BINARY, 0, BINARY.length())) {
            HttpResponses.json(ctx, req, HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, HttpResponses.errorBody(ErrorCode.BAD_REQUEST.code(),
                    "send the Yjs update as Content-Type: " + BINARY));
            return;
        }
        byte[] update = ByteBufUtil.getBytes(req.content());
        PendingResponse out = PendingResponse.start(ctx, req, null);
        hub.applyUpdate(name, update).whenComplete((v, err) -> {
            if (err != null) {
                out.failure(err);
            } else {
                out.json(HttpResponseStatus.OK, "{}");
            }
        });
    }

    private static void getUpdate(ChannelHandlerContext ctx, FullHttpRequest req, DocumentHub hub, String name) {
        PendingResponse out = PendingResponse.start(ctx, req, null);
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        boolean head = HttpMethod.HEAD.equals(req.method());
        hub.stateAsUpdate(name, null).whenComplete((bytes, err) -> {
            if (err != null) {
                out.failure(err);
                return;
            }
            ctx.executor().execute(() -> {
                if (!ctx.channel().isActive()) {
                    return;
                }
                FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes));
                res.headers().set(HttpHeaderNames.CONTENT_TYPE, BINARY)
                        .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length)
                        .set(HttpHeaderNames.CACHE_CONTROL, "no-store");
                HttpResponses.send(ctx, keepAlive, res);
                RequestGate.resume(ctx.channel());
            });
        });
    }

    /** Whether an {@code Accept} header lists {@code type} (parameters such as {@code q} ignored). */
    static boolean accepts(String accept, String type) {
        if (accept == null) {
            return false;
        }
        for (String part : accept.split(",")) {
            String t = part.trim();
            int semi = t.indexOf(';');
            if ((semi < 0 ? t : t.substring(0, semi).trim()).equalsIgnoreCase(type)) {
                return true;
            }
        }
        return false;
    }
}
