package dev.chorus.netty.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chorus.core.transport.Connection;
import dev.chorus.core.transport.InboundHandler;
import dev.chorus.protocol.CloseCode;
import dev.chorus.protocol.ErrorCode;
import dev.chorus.protocol.Format;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One {@code POST /publish} as an engine session: the route feeds it {@code connect} (id 1) and
 * {@code publish} (id 2), so the connect hook, namespace permissions, idempotency and the schema
 * apply exactly as to a WebSocket client; the first error or the publish reply becomes the HTTP
 * response, and the session ends. Pushes (pings) are ignored: the session lives for one request.
 */
final class HttpPublishExchange implements Connection {
    static final long CONNECT_ID = 1;
    static final long PUBLISH_ID = 2;

    private final Channel channel;
    private final PendingResponse response;
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile InboundHandler inbound;
    private volatile ScheduledFuture<?> timeout;

    HttpPublishExchange(Channel channel, PendingResponse response) {
        this.channel = channel;
        this.response = response;
    }

    /** Binds the engine's handler and the time the engine has to answer (event loop). */
    void started(InboundHandler inbound, long timeoutMillis) {
        this.inbound = inbound;
        if (finished.get()) {
            channel.eventLoop().execute(this::closeSession);
            return;
        }
        timeout = channel.eventLoop().schedule(() -> finish(HttpResponseStatus.GATEWAY_TIMEOUT,
                HttpResponses.errorBody(ErrorCode.INTERNAL.code(), "no answer within " + timeoutMillis
                        + " ms; the publication may or may not have happened: retry with the same key")),
                timeoutMillis, TimeUnit.MILLISECONDS);
        // the client gave up: end the session, answer nobody
        channel.closeFuture().addListener(f -> finish(null, null));
    }

    @Override
    public Format format() {
        return Format.JSON;
    }

    @Override
    public String remoteAddress() {
        return RemoteAddresses.of(channel);
    }

    @Override
    public void write(byte[] frame) {
        if (finished.get()) {
            return;
        }
        JsonNode node;
        try {
            node = HttpResponses.JSON.readTree(frame);
        } catch (IOException e) {
            finish(HttpResponseStatus.INTERNAL_SERVER_ERROR, HttpResponses.errorBody(ErrorCode.INTERNAL.code(), "unreadable engine reply"));
            return;
        }
        JsonNode id = node.get("id");
        JsonNode error = node.get("error");
        if (id == null) {
            if (node.path("push").asText().equals("error") && node.has("error")) {
                error(node.get("error"));
            }
            return;
        }
        if (error != null) {
            error(error);
        } else if (id.asLong() == PUBLISH_ID) {
            finish(HttpResponseStatus.OK, HttpResponses.write(node.get("result")));
        }
    }

    private void error(JsonNode error) {
        int code = error.path("code").asInt(ErrorCode.INTERNAL.code());
        finish(HttpResponses.statusFor(code), HttpResponses.errorBody(code, error.path("message").asText("")));
    }

    @Override
    public void close(CloseCode code, String reason) {
        // a refusal's reply came first and answered already; a close without one (shutdown) answers here
        if (code == CloseCode.SHUTDOWN) {
            finish(HttpResponseStatus.SERVICE_UNAVAILABLE, HttpResponses.errorBody(ErrorCode.SHUTTING_DOWN.code(), reason));
        } else {
            finish(HttpResponseStatus.INTERNAL_SERVER_ERROR, HttpResponses.errorBody(ErrorCode.INTERNAL.code(), "closed by the server: " + reason));
        }
    }

    @Override
    public boolean isOpen() {
        return !finished.get() && channel.isActive();
    }

    /** Answers (unless {@code status} is null) and ends the engine session, once. */
    private void finish(HttpResponseStatus status, String body) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        if (status != null) {
            response.json(status, body);
        }
        // never from inside the engine's own call: a later task on the loop
        channel.eventLoop().execute(this::closeSession);
    }

    private void closeSession() {
        ScheduledFuture<?> t = timeout;
        if (t != null) {
            t.cancel(false);
        }
        InboundHandler in = inbound;
        if (in != null) {
            inbound = null;
            in.onClose();
        }
    }
}
