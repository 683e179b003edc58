package dev.chorus.netty.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chorus.core.config.ChorusConfig;
import dev.chorus.core.transport.ConnectionAcceptor;
import dev.chorus.core.transport.InboundHandler;
import dev.chorus.protocol.CloseCode;
import dev.chorus.protocol.Codec;
import dev.chorus.protocol.ErrorCode;
import dev.chorus.protocol.Format;
import dev.chorus.protocol.Request;
import dev.chorus.protocol.StreamPosition;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SSE stream as a {@code chorus/1} client of the engine. It sends {@code connect} with the
 * token and one {@code subscribe} per channel (with {@code since} from {@code Last-Event-ID}),
 * answers the engine's pings itself, and turns replies and pushes into events:
 *
 * <ul>
 *   <li>Nothing is sent until every subscribe is answered, so a refusal still gets an HTTP status
 *       (401/403/400, with the error as JSON). Then: {@code retry:}, {@code event: ready}, one
 *       {@code event: resync} per channel whose position could not be recovered, the recovered and
 *       meanwhile arrived publications in order.</li>
 *   <li>Every event that moves a position carries an {@code id:} with the positions of all
 *       channels ({@link SsePositions}), and each id is a consistent resume point: a stream cut after
 *       any event resumes exactly after it.</li>
 *   <li>A publication is delivered at most once per position, whatever the engine sends.</li>
 *   <li>{@code unsub} with {@code resubscribe} is handled here (subscribe again from the last
 *       position); the engine's close becomes {@code event: disconnect} and ends the stream.</li>
 * </ul>
 * Loop-only, except {@link #heldBytes}.
 */
final class SseSession extends ChannelInboundHandlerAdapter implements SseConnection.Sink {
    static final String NAME = "sse";
    /** The {@code retry:} hint sent first: how long a browser waits before reconnecting. */
    static final long RETRY_MILLIS = 2_000;
    private static final Logger log = LoggerFactory.getLogger(SseSession.class);
    private static final Codec JSON = Codec.forFormat(Format.JSON);
    private static final byte[] PONG = JSON.encodeRequest(new Request.Pong());
    private static final long CONNECT_ID = 1;

    private record Outcome(StreamPosition position, boolean recovering, boolean recovered) {
    }

    /** A publication or named event that arrived before the stream started. */
    private record Held(String channel, JsonNode pub, String name, String json) {
    }

    private final ChorusConfig config;
    private final List<String> channels;
    private final Map<String, StreamPosition> since;
    private final boolean joinLeave;
    private final String token;
    private final Map<String, String> subTokens;
    private final String corsOrigin;

    private ChannelHandlerContext ctx;
    private SseConnection connection;
    private InboundHandler inbound;
    private boolean closeReported;
    private long nextId = CONNECT_ID + 1;
    private final Map<Long, String> subscribing = new HashMap<>();
    private final Map<String, Outcome> outcomes = new HashMap<>();
    /** Current position of each channel, in the order of the query. */
    private final LinkedHashMap<String, StreamPosition> positions = new LinkedHashMap<>();
    private List<Held> held = new ArrayList<>();
    private volatile long heldBytes;
    private boolean started;
    private boolean ended;
    private String client = "";
    private String user = "";
    private final StringBuilder out = new StringBuilder();
    private ScheduledFuture<?> heartbeat;

    SseSession(ChorusConfig config, List<String> channels, Map<String, StreamPosition> since, boolean joinLeave,
            String token, Map<String, String> subTokens, String corsOrigin) {
        this.subTokens = subTokens;
        this.config = config;
        this.channels = List.copyOf(channels);
        this.since = since;
        this.joinLeave = joinLeave;
        this.token = token;
        this.corsOrigin = corsOrigin;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Hands the stream to the engine and sends connect and the subscribes (event loop). */
    void open(ConnectionAcceptor acceptor) {
        connection = new SseConnection(ctx.channel(), this, config.limits().maxOutboundBytes());
        ctx.channel().attr(SseConnection.KEY).set(connection);
        try {
            inbound = acceptor.accept(connection);
        } catch (RuntimeException e) {
            log.error("the engine refused an SSE stream from {}", connection.remoteAddress(), e);
        }
        if (inbound == null) {
            fail(ErrorCode.INTERNAL.code(), "server error");
            return;
        }
        InboundHandler in = inbound;
        connection.onSlowConsumer(in::onSlowConsumer);
        send(new Request.Connect(CONNECT_ID, token, "sse", null));
        for (String channel : channels) {
            subscribe(channel, since.get(channel));
        }
    }

    private void subscribe(String channel, StreamPosition from) {
        long id = nextId++;
        subscribing.put(id, channel);
        send(new Request.Subscribe(id, channel, from, false, joinLeave, subTokens.get(channel)));
    }

    private void send(Request r) {
        send(JSON.encodeRequest(r));
    }

    private void send(byte[] frame) {
        if (inbound != null && !closeReported && !ended) {
            inbound.onFrame(frame, false);
        }
    }

    // ---------------------------------------------------------------- from the engine

    @Override
    public void onEngineFrame(byte[] frame) {
        if (ended) {
            return;
        }
        JsonNode n;
        try {
            n = HttpResponses.JSON.readTree(frame);
        } catch (IOException e) {
            log.warn("unreadable engine frame on an SSE stream", e);
            fail(ErrorCode.INTERNAL.code(), "server error");
            return;
        }
        JsonNode id = n.get("id");
        if (id != null) {
            onReply(id.asLong(), n);
            return;
        }
        String type = n.path("push").asText("");
        String channel = n.path("channel").asText("");
        switch (type) {
            case "ping" -> send(PONG);
            case "pub" -> {
                if (started) {
                    emitPub(channel, n.get("pub"));
                } else {
                    hold(new Held(channel, n.get("pub"), null, null), frame.length);
                }
            }
            case "join", "leave", "presence" -> named(type, obj(channel).set("info", n.get("info")), frame.length);
            case "signal" -> {
                ObjectNode d = obj(channel);
                d.put("key", n.path("key").asText(""));
                d.set("data", n.get("data"));
                if (n.hasNonNull("info")) {
                    d.set("info", n.get("info"));
                }
                named("signal", d, frame.length);
            }
            case "unsub" -> onUnsubscribed(channel, n);
            case "error" -> fail(n.path("error").path("code").asInt(ErrorCode.INTERNAL.code()), n.path("error").path("message").asText(""));
            default -> {
                // a push this adapter does not know: nothing an EventSource could use
            }
        }
    }

    private void onReply(long id, JsonNode n) {
        JsonNode err = n.get("error");
        if (id == CONNECT_ID) {
            if (err != null) {
                fail(err.path("code").asInt(), err.path("message").asText(""));
            } else {
                client = n.path("result").path("client").asText("");
                user = n.path("result").path("user").asText("");
            }
            return;
        }
        String channel = subscribing.remove(id);
        if (channel == null) {
            return;
        }
        if (err != null) {
            fail(err.path("code").asInt(), err.path("message").asText(""));
            return;
        }
        JsonNode r = n.path("result");
        StreamPosition pos = new StreamPosition(r.path("offset").asLong(0), r.path("epoch").asText(""));
        boolean recovering = r.path("recovering").asBoolean(false);
        boolean recovered = r.path("recovered").asBoolean(false);
        if (!started) {
            outcomes.put(channel, new Outcome(pos, recovering, recovered));
            for (JsonNode pub : r.path("publications")) {
                hold(new Held(channel, pub, null, null), 0);
            }
            if (subscribing.isEmpty()) {
                begin();
            }
            return;
        }
        // a resubscribe after the engine ended the subscription (see onUnsubscribed)
        if (!recovering || !recovered) {
            positions.put(channel, pos);
            if (recovering) {
                emitResync(channel, pos);
            }
        }
        for (JsonNode pub : r.path("publications")) {
            emitPub(channel, pub);
        }
    }

    private void onUnsubscribed(String channel, JsonNode n) {
        if (n.path("resubscribe").asBoolean(false)) {
            // the engine dropped it (too much while subscribing): pick it up again where we are
            subscribing.values().remove(channel);
            subscribe(channel, started ? positions.get(channel) : since.get(channel));
            return;
        }
        ObjectNode d = obj(channel);
        d.put("code", n.path("code").asInt());
        d.put("reason", n.path("reason").asText(""));
        named("unsubscribed", d, 0);
    }

    @Override
    public void onEngineClose(CloseCode code, String reason) {
        if (ended) {
            return;
        }
        if (!started) {
            int err = switch (code) {
                case SHUTDOWN -> ErrorCode.SHUTTING_DOWN.code();
                case UNAUTHORIZED -> ErrorCode.UNAUTHORIZED.code();
                case TOKEN_EXPIRED -> ErrorCode.TOKEN_EXPIRED.code();
                case SLOW_CONSUMER -> ErrorCode.LIMIT_EXCEEDED.code();
                default -> ErrorCode.INTERNAL.code();
            };
            fail(err, reason);
            return;
        }
        ObjectNode d = HttpResponses.JSON.createObjectNode();
        d.put("code", code.code());
        d.put("reason", reason);
        d.put("reconnect", code.reconnect());
        out.append(SseEvents.event("disconnect", null, HttpResponses.write(d)));
        end();
    }

    @Override
    public void flush() {
        if (out.length() == 0 || !ctx.channel().isActive()) {
            out.setLength(0);
            return;
        }
        ctx.writeAndFlush(new DefaultHttpContent(SseEvents.buffer(ctx.alloc(), out)));
        out.setLength(0);
    }

    @Override
    public long heldBytes() {
        return heldBytes;
    }

    // ---------------------------------------------------------------- events

    private void hold(Held h, int bytes) {
        held.add(h);
        heldBytes += bytes;
    }

    private void named(String name, ObjectNode data, int bytes) {
        String json = HttpResponses.write(data);
        if (started) {
            out.append(SseEvents.event(name, null, json));
        } else {
            hold(new Held(null, null, name, json), bytes);
        }
    }

    private static ObjectNode obj(String channel) {
        ObjectNode d = HttpResponses.JSON.createObjectNode();
        d.put("channel", channel);
        return d;
    }

    /** Every subscribe is answered: the response starts. */
    private void begin() {
        started = true;
        HttpResponse res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .set(HttpHeaderNames.CACHE_CONTROL, "no-cache, no-store")
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE)
                .set("X-Accel-Buffering", "no");
        HttpUtil.setTransferEncodingChunked(res, true);
        Cors.allow(res.headers(), corsOrigin);
        ctx.write(res);

        List<String> resync = new ArrayList<>();
        for (String channel : channels) {
            Outcome o = outcomes.get(channel);
            if (o.recovering()) {
                // until its resync event is out, a channel that was not recovered stays at its old position
                positions.put(channel, since.get(channel));
                if (!o.recovered()) {
                    resync.add(channel);
                }
            } else {
                positions.put(channel, o.position());
            }
        }
        out.append(SseEvents.retry(RETRY_MILLIS));
        ObjectNode ready = HttpResponses.JSON.createObjectNode();
        ready.put("client", client);
        ready.put("user", user);
        channels.forEach(ready.putArray("channels")::add);
        out.append(SseEvents.event("ready", SsePositions.encode(positions), HttpResponses.write(ready)));
        for (String channel : resync) {
            StreamPosition pos = outcomes.get(channel).position();
            positions.put(channel, pos);
            emitResync(channel, pos);
        }
        List<Held> h = held;
        held = null;
        heldBytes = 0;
        for (Held item : h) {
            if (item.pub() != null) {
                emitPub(item.channel(), item.pub());
            } else {
                out.append(SseEvents.event(item.name(), null, item.json()));
            }
        }
        long every = config.http().sseHeartbeat().toMillis();
        heartbeat = ctx.executor().scheduleAtFixedRate(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
    }

    private void emitResync(String channel, StreamPosition pos) {
        ObjectNode d = obj(channel);
        d.put("offset", pos.offset());
        d.put("epoch", pos.epoch());
        out.append(SseEvents.event("resync", SsePositions.encode(positions), HttpResponses.write(d)));
    }

    private void emitPub(String channel, JsonNode pub) {
        if (pub == null) {
            return;
        }
        long offset = pub.path("offset").asLong(0);
        String epoch = pub.path("epoch").asText("");
        String id = null;
        if (offset > 0) {
            StreamPosition cur = positions.get(channel);
            if (cur != null && cur.epoch().equals(epoch) && offset <= cur.offset()) {
                return;
            }
            positions.put(channel, new StreamPosition(offset, epoch));
            id = SsePositions.encode(positions);
        }
        ObjectNode d = obj(channel);
        d.put("offset", offset);
        d.put("epoch", epoch);
        d.set("time", pub.get("time"));
        d.set("data", pub.get("data"));
        if (pub.hasNonNull("info")) {
            d.set("info", pub.get("info"));
        }
        out.append(SseEvents.event(null, id, HttpResponses.write(d)));
    }

    private void heartbeat() {
        if (ended || !ctx.channel().isActive()) {
            return;
        }
        if (connection.pending() > connection.maxOutbound()) {
            connection.slowConsumer();
            connection.close(CloseCode.SLOW_CONSUMER, "outbound queue over " + connection.maxOutbound() + " bytes");
            return;
        }
        out.append(SseEvents.HEARTBEAT);
        flush();
    }

    /** A refusal: an HTTP error before the stream started, else an {@code error} event that ends it. */
    private void fail(int code, String message) {
        if (ended) {
            return;
        }
        if (!started) {
            ended = true;
            FullHttpResponse res = HttpResponses.response(false, HttpResponses.statusFor(code), HttpResponses.errorBody(code, message));
            Cors.allow(res.headers(), corsOrigin);
            HttpResponses.send(ctx, false, res);
            return;
        }
        ObjectNode d = HttpResponses.JSON.createObjectNode();
        d.put("code", code);
        d.put("message", message);
        out.append(SseEvents.event("error", null, HttpResponses.write(d)));
        end();
    }

    /** Ends the stream after what is queued; a client that does not read it is cut after the close timeout. */
    private void end() {
        ended = true;
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        flush();
        if (!ctx.channel().isActive()) {
            return;
        }
        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
        var cut = ctx.executor().schedule(() -> {
            ctx.channel().close();
        }, config.limits().closeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        ctx.channel().closeFuture().addListener(f -> cut.cancel(false));
    }

    // ---------------------------------------------------------------- from the network

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // an SSE connection carries no further requests
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        ended = true;
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        if (connection != null) {
            connection.markClosed();
        }
        if (inbound != null && !closeReported) {
            closeReported = true;
            try {
                inbound.onClose();
            } catch (RuntimeException e) {
                log.warn("onClose failed", e);
            }
        }
        held = null;
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("SSE connection error, closing", cause);
        ctx.close();
    }
}
