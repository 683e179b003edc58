package dev.chorus.netty.internal;

import dev.chorus.core.hooks.HookRejection;
import dev.chorus.protocol.ErrorCode;
import dev.chorus.protocol.ProtocolException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JSON response that a route completes later, from any thread, exactly once. Keeps what it needs
 * of the request (which the router releases when the route returns), holds the connection's
 * pipelined requests meanwhile (see {@link RequestGate}), and writes on the event loop.
 */
final class PendingResponse {
    private static final Logger log = LoggerFactory.getLogger(PendingResponse.class);

    private final ChannelHandlerContext ctx;
    private final boolean keepAlive;
    private final boolean head;
    private final String corsOrigin;
    private final AtomicBoolean done = new AtomicBoolean();

    private PendingResponse(ChannelHandlerContext ctx, FullHttpRequest req, String corsOrigin) {
        this.ctx = ctx;
        this.keepAlive = HttpUtil.isKeepAlive(req);
        this.head = io.netty.handler.codec.http.HttpMethod.HEAD.equals(req.method());
        this.corsOrigin = corsOrigin;
    }

    /** Starts a pending response for {@code req} (on the event loop). {@code corsOrigin}: origin to allow, or {@code null}. */
    static PendingResponse start(ChannelHandlerContext ctx, FullHttpRequest req, String corsOrigin) {
        RequestGate.hold(ctx.channel());
        return new PendingResponse(ctx, req, corsOrigin);
    }

    boolean isDone() {
        return done.get();
    }

    /** Answers with {@code body}; false when already answered. */
    boolean json(HttpResponseStatus status, String body) {
        if (!done.compareAndSet(false, true)) {
            return false;
        }
        if (ctx.executor().inEventLoop()) {
            write(status, body);
        } else {
            ctx.executor().execute(() -> write(status, body));
        }
        return true;
    }

    /** Answers with the error body and the HTTP status of the error code. */
    boolean error(int code, String message) {
        return json(HttpResponses.statusFor(code), HttpResponses.errorBody(code, message));
    }

    /** Answers a failed completion: engine errors with their code, anything else with 100. */
    boolean failure(Throwable t) {
        Throwable cause = unwrap(t);
        if (cause instanceof ProtocolException pe) {
            return error(pe.code().code(), pe.getMessage());
        }
        if (cause instanceof HookRejection hr) {
            return error(hr.code().code(), hr.getMessage());
        }
        log.warn("HTTP request failed", cause);
        return error(ErrorCode.INTERNAL.code(), ErrorCode.INTERNAL.defaultMessage());
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private void write(HttpResponseStatus status, String body) {
        if (!ctx.channel().isActive()) {
            return;
        }
        FullHttpResponse res = HttpResponses.response(head, status, body);
        Cors.allow(res.headers(), corsOrigin);
        HttpResponses.send(ctx, keepAlive, res);
        RequestGate.resume(ctx.channel());
    }
}
