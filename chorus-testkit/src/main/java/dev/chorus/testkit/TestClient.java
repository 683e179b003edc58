package dev.chorus.testkit;

import dev.chorus.protocol.Codec;
import dev.chorus.protocol.Format;
import dev.chorus.protocol.Payload;
import dev.chorus.protocol.ProtocolException;
import dev.chorus.protocol.Push;
import dev.chorus.protocol.Reply;
import dev.chorus.protocol.Request;
import dev.chorus.protocol.ServerFrame;
import dev.chorus.protocol.StreamPosition;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A real WebSocket client speaking {@code chorus/1}, for integration tests. Built on the JDK's
 * {@link java.net.http.WebSocket}, with no other dependency.
 *
 * <ul>
 *   <li>Requests sent with {@link #send}/{@link #request} get fresh ids; replies are matched to
 *       them by id. Replies to frames sent with {@link #sendRaw} are kept until
 *       {@link #awaitReply} takes them.</li>
 *   <li>Pushes go to an inbox in arrival order ({@link #nextPush}, {@link #awaitPush}) and to a
 *       log of everything received ({@link #pushes()}); both keep at most {@value #MAX_KEPT_PUSHES}
 *       and count what they had to drop.</li>
 *   <li>{@code {"push":"ping"}} is answered with {@code {"op":"pong"}} unless
 *       {@link #autoPong(boolean)} turned that off.</li>
 *   <li>{@link #pauseReading()} really stops reading from the socket: no more demand is signalled
 *       to the JDK client, so the server's outbound queue for this client grows.</li>
 *   <li>Messages fragmented by the server are reassembled before decoding.</li>
 *   <li>When the connection closes, requests still waiting fail at once instead of timing out.</li>
 * </ul>
 * Thread-safe.
 */
public final class TestClient implements AutoCloseable {
    /** Default wait for replies. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Pushes kept in the inbox, and in the log of {@link #pushes()}. */
    public static final int MAX_KEPT_PUSHES = 200_000;

    // one client for every connection: each HttpClient owns a selector thread
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** How the connection was closed (1006 with the error when it broke without a close frame). */
    public record CloseInfo(int code, String reason) {
    }

    private final Format format;
    private final Codec codec;
    private final WebSocket ws;
    private final AtomicLong ids = new AtomicLong();

    private final Object replyLock = new Object();
    /** Futures waiting for a reply, by id; guarded by replyLock. */
    private final Map<Long, CompletableFuture<Reply>> waiting = new HashMap<>();
    /** Replies nobody waited for yet (answers to raw frames); guarded by replyLock. */
    private final Map<Long, Reply> unclaimed = new HashMap<>();

    /** Guards inbox, seen, dropped counts and the flow-control flags. */
    private final Object inboxLock = new Object();
    private final ArrayDeque<Push> inbox = new ArrayDeque<>();
    private final List<Push> seen = new ArrayList<>();
    private long droppedFromInbox;
    private long droppedFromLog;
    private final List<String> undecodable = new ArrayList<>();
    private boolean paused;
    private boolean demandOwed;

    private final CompletableFuture<CloseInfo> closed = new CompletableFuture<>();
    private final Object sendLock = new Object();
    private CompletableFuture<WebSocket> sendChain;
    private volatile boolean autoPong = true;

    private TestClient(Format format, WebSocket ws, Listener listener) {
        this.format = format;
        this.codec = Codec.forFormat(format);
        this.ws = ws;
        this.sendChain = CompletableFuture.completedFuture(ws);
        listener.client = this;
        listener.ready.complete(null);
    }

    /**
     * Opens a WebSocket to {@code uri} asking for the format's subprotocol; {@code null} asks for
     * none (the server then speaks JSON). Does not send {@code connect}.
     *
     * @throws AssertionError when the handshake fails or takes longer than {@link #TIMEOUT}
     */
    public static TestClient connect(URI uri, Format format) {
        Listener listener = new Listener();
        WebSocket.Builder b = HTTP.newWebSocketBuilder().connectTimeout(TIMEOUT);
        if (format != null) {
            b.subprotocols(format.subprotocol());
        }
        WebSocket ws;
        try {
            ws = b.buildAsync(uri, listener).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("cannot open a WebSocket to " + uri, e);
        }
        return new TestClient(format == null ? Format.JSON : format, ws, listener);
    }

    /** The subprotocol the server selected ({@code ""} when none). */
    public String subprotocol() {
        return ws.getSubprotocol();
    }

    /** The format this client encodes and decodes with. */
    public Format format() {
        return format;
    }

    // ------------------------------------------------------------ sending

    /**
     * Sends a request with a fresh id (its own id is ignored) and returns the future reply. A
     * {@link Request.Pong} gets no reply: its future is complete with {@code null} at once. The
     * future fails when the frame cannot be sent or the connection closes first.
     */
    public CompletableFuture<Reply> send(Request request) {
        if (request instanceof Request.Pong) {
            sendFrame(codec.encodeRequest(request));
            return CompletableFuture.completedFuture(null);
        }
        long id = ids.incrementAndGet();
        CompletableFuture<Reply> f = register(id);
        sendFrame(codec.encodeRequest(withId(request, id))).whenComplete((w, e) -> {
            if (e != null) {
                fail(id, f, new IllegalStateException("cannot send " + request.op() + ": " + e, e));
            }
        });
        return f;
    }

    /**
     * Sends a request and waits for its reply.
     *
     * @throws AssertionError when no reply comes within {@link #TIMEOUT} or the connection closes
     */
    public Reply request(Request request) {
        try {
            return send(request).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("no reply to " + request.op() + " within " + TIMEOUT, e);
        }
    }

    /**
     * Waits for the reply with a given id (for requests sent with {@link #sendRaw}); a reply that
     * arrived earlier is returned at once.
     *
     * @throws AssertionError when none comes in time or the connection closes first
     */
    public Reply awaitReply(long id, Duration timeout) {
        CompletableFuture<Reply> f = register(id);
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("no reply with id " + id + " within " + timeout, e);
        } finally {
            synchronized (replyLock) {
                waiting.remove(id, f);
            }
        }
    }

    private CompletableFuture<Reply> register(long id) {
        CompletableFuture<Reply> f = new CompletableFuture<>();
        synchronized (replyLock) {
            Reply early = unclaimed.remove(id);
            if (early != null) {
                f.complete(early);
                return f;
            }
            CompletableFuture<Reply> previous = waiting.putIfAbsent(id, f);
            if (previous != null) {
                return previous;
            }
        }
        CloseInfo c = closed.getNow(null);
        if (c != null) {
            fail(id, f, new IllegalStateException("connection closed: " + c));
        }
        return f;
    }

    private void fail(long id, CompletableFuture<Reply> f, Throwable why) {
        synchronized (replyLock) {
            waiting.remove(id, f);
        }
        f.completeExceptionally(why);
    }

    /** Sends a text frame as is (it may be malformed). */
    public void sendRaw(String text) {
        enqueueSend(w -> w.sendText(text, true));
    }

    /** Sends a binary frame as is (it may be malformed). */
    public void sendRaw(byte[] binary) {
        byte[] copy = binary.clone();
        enqueueSend(w -> w.sendBinary(ByteBuffer.wrap(copy), true));
    }

    private CompletableFuture<WebSocket> sendFrame(byte[] frame) {
        if (format.binary()) {
            return enqueueSend(w -> w.sendBinary(ByteBuffer.wrap(frame), true));
        }
        String text = new String(frame, StandardCharsets.UTF_8);
        return enqueueSend(w -> w.sendText(text, true));
    }

    private CompletableFuture<WebSocket> enqueueSend(Function<WebSocket, CompletableFuture<WebSocket>> op) {
        // the JDK WebSocket allows one outstanding send at a time; a failed send must not stop the next
        synchronized (sendLock) {
            CompletableFuture<WebSocket> next = sendChain.handle((w, e) -> ws).thenCompose(op);
            sendChain = next;
            return next;
        }
    }

    /** Copies a request with another id. */
    static Request withId(Request r, long id) {
        if (r instanceof Request.Connect c) {
            return new Request.Connect(id, c.token(), c.name(), c.version());
        } else if (r instanceof Request.Subscribe s) {
            return new Request.Subscribe(id, s.channel(), s.since(), s.presence(), s.joinLeave(), s.token());
        } else if (r instanceof Request.Refresh f) {
            return new Request.Refresh(id, f.token());
        } else if (r instanceof Request.DocOpen d) {
            return new Request.DocOpen(id, d.doc(), d.readOnly());
        } else if (r instanceof Request.Doc d) {
            return new Request.Doc(id, d.doc(), d.data());
        } else if (r instanceof Request.DocClose d) {
            return new Request.DocClose(id, d.doc());
        } else if (r instanceof Request.Unsubscribe u) {
            return new Request.Unsubscribe(id, u.channel());
        } else if (r instanceof Request.Publish p) {
            return new Request.Publish(id, p.channel(), p.data(), p.key());
        } else if (r instanceof Request.History h) {
            return new Request.History(id, h.channel(), h.since(), h.limit(), h.reverse());
        } else if (r instanceof Request.Presence p) {
            return new Request.Presence(id, p.channel());
        } else if (r instanceof Request.PresenceStats p) {
            return new Request.PresenceStats(id, p.channel());
        } else if (r instanceof Request.PresenceUpdate p) {
            return new Request.PresenceUpdate(id, p.channel(), p.state());
        } else if (r instanceof Request.Signal s) {
            return new Request.Signal(id, s.channel(), s.key(), s.data());
        } else if (r instanceof Request.Rpc rpc) {
            return new Request.Rpc(id, rpc.method(), rpc.data());
        } else if (r instanceof Request.Ping) {
            return new Request.Ping(id);
        }
        throw new IllegalArgumentException("cannot give an id to " + r.getClass().getSimpleName());
    }

    // ------------------------------------------------------------ conveniences

    /**
     * Sends an anonymous {@code connect} and checks it succeeded.
     *
     * @throws AssertionError when the server answers with an error
     */
    public Reply connect() {
        Reply r = request(new Request.Connect(0, null, "testkit", "1"));
        if (r.error() != null) {
            throw new AssertionError("connect failed: " + r.error());
        }
        return r;
    }

    /** Sends {@code connect} with a token; returns the reply (which may be an error). */
    public Reply connect(String token) {
        return request(new Request.Connect(0, token, "testkit", "1"));
    }

    /** Subscribes without recovery; returns the reply (which may be an error). */
    public Reply subscribe(String channel) {
        return request(new Request.Subscribe(0, channel, null, false, false));
    }

    /** Subscribes recovering from {@code since}; returns the reply (which may be an error). */
    public Reply subscribe(String channel, StreamPosition since) {
        return request(new Request.Subscribe(0, channel, since, false, false));
    }

    /** Unsubscribes; returns the reply (which may be an error). */
    public Reply unsubscribe(String channel) {
        return request(new Request.Unsubscribe(0, channel));
    }

    /** Publishes without an idempotency key; returns the reply (which may be an error). */
    public Reply publish(String channel, Payload data) {
        return request(new Request.Publish(0, channel, data, null));
    }

    // ------------------------------------------------------------ receiving

    /** The next push from the inbox, in arrival order. */
    public Push nextPush(Duration timeout) {
        return awaitPush(p -> true, timeout);
    }

    /** The next push from the inbox, or {@code null} when none arrives within {@code timeout}. */
    public Push nextPushOrNull(Duration timeout) {
        try {
            return awaitPush(p -> true, timeout);
        } catch (AssertionError none) {
            return null;
        }
    }

    /**
     * The first push in the inbox matching {@code predicate}, waiting for one to arrive; it is
     * removed from the inbox, the others stay.
     *
     * @throws AssertionError when none arrives in time
     */
    public Push awaitPush(Predicate<Push> predicate, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (inboxLock) {
            while (true) {
                for (Iterator<Push> it = inbox.iterator(); it.hasNext(); ) {
                    Push p = it.next();
                    if (predicate.test(p)) {
                        it.remove();
                        return p;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no matching push within " + timeout + "; inbox: " + inbox.size()
                            + " pushes" + (droppedFromInbox > 0 ? ", " + droppedFromInbox + " dropped when it was full" : "")
                            + (closed.isDone() ? "; connection closed: " + closed.join() : ""));
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(inboxLock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            }
        }
    }

    /** Every push received so far (including ones taken from the inbox), up to {@value #MAX_KEPT_PUSHES}. */
    public List<Push> pushes() {
        synchronized (inboxLock) {
            return List.copyOf(seen);
        }
    }

    /** Pushes that did not fit in the inbox or the log (0 unless a test let them pile up). */
    public long droppedPushes() {
        synchronized (inboxLock) {
            return Math.max(droppedFromInbox, droppedFromLog);
        }
    }

    /** Why frames from the server could not be decoded (empty when the server spoke correctly). */
    public List<String> undecodableFrames() {
        synchronized (inboxLock) {
            return List.copyOf(undecodable);
        }
    }

    /**
     * Waits for the connection to close (by the server, or after {@link #close()}).
     *
     * @throws AssertionError when it stays open longer than {@code timeout}
     */
    public CloseInfo awaitClose(Duration timeout) {
        try {
            return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("connection not closed within " + timeout, e);
        }
    }

    /** Whether the connection has closed. */
    public boolean isClosed() {
        return closed.isDone();
    }

    /** Turns the automatic answer to {@code {"push":"ping"}} on or off (on by default). */
    public TestClient autoPong(boolean on) {
        this.autoPong = on;
        return this;
    }

    /**
     * Stops reading from the socket. A message already requested from the JDK client may still
     * arrive; after it, nothing is read until {@link #resumeReading()}.
     */
    public void pauseReading() {
        synchronized (inboxLock) {
            paused = true;
        }
    }

    /** Reads again. */
    public void resumeReading() {
        boolean request;
        synchronized (inboxLock) {
            paused = false;
            request = demandOwed;
            demandOwed = false;
        }
        if (request) {
            ws.request(1);
        }
    }

    /** Closes with 1000, waiting briefly for the server's close frame, then drops the socket. */
    @Override
    public void close() {
        if (!closed.isDone()) {
            try {
                enqueueSend(w -> w.sendClose(WebSocket.NORMAL_CLOSURE, "bye"));
                closed.get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                // the server did not answer the close: abort below
            }
        }
        ws.abort();
        onClosed(new CloseInfo(WebSocket.NORMAL_CLOSURE, "closed by the client"));
    }

    // ------------------------------------------------------------ listener

    private void onMessage(byte[] frame) {
        ServerFrame f;
        try {
            f = codec.decodeServerFrame(frame, 0, frame.length);
        } catch (ProtocolException | RuntimeException e) {
            synchronized (inboxLock) {
                if (undecodable.size() < 1_000) {
                    undecodable.add(e.getMessage());
                }
            }
            return;
        }
        if (f.reply() != null) {
            onReply(f.reply());
            return;
        }
        Push push = f.push();
        if (push instanceof Push.Ping && autoPong) {
            send(new Request.Pong());
        }
        synchronized (inboxLock) {
            if (inbox.size() < MAX_KEPT_PUSHES) {
                inbox.addLast(push);
            } else {
                droppedFromInbox++;
            }
            if (seen.size() < MAX_KEPT_PUSHES) {
                seen.add(push);
            } else {
                droppedFromLog++;
            }
            inboxLock.notifyAll();
        }
    }

    private void onReply(Reply reply) {
        CompletableFuture<Reply> f;
        synchronized (replyLock) {
            f = waiting.remove(reply.id());
            if (f == null) {
                unclaimed.put(reply.id(), reply);
                return;
            }
        }
        f.complete(reply);
    }

    private void onClosed(CloseInfo info) {
        closed.complete(info);
        List<CompletableFuture<Reply>> pending;
        synchronized (replyLock) {
            pending = new ArrayList<>(waiting.values());
            waiting.clear();
        }
        CloseInfo actual = closed.join();
        for (CompletableFuture<Reply> f : pending) {
            f.completeExceptionally(new IllegalStateException("connection closed: " + actual));
        }
        synchronized (inboxLock) {
            inboxLock.notifyAll();
        }
    }

    /** Asks for the next message unless reading is paused (then {@link #resumeReading} will). */
    private void afterMessage(WebSocket w) {
        synchronized (inboxLock) {
            if (paused) {
                demandOwed = true;
                return;
            }
        }
        w.request(1);
    }

    private static final class Listener implements WebSocket.Listener {
        final CompletableFuture<Void> ready = new CompletableFuture<>();
        volatile TestClient client;
        // the JDK calls a listener sequentially, so the partial message needs no lock
        private final java.io.ByteArrayOutputStream binaryParts = new java.io.ByteArrayOutputStream();
        private final StringBuilder textParts = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public java.util.concurrent.CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            ready.join();
            textParts.append(data);
            if (last) {
                byte[] frame = textParts.toString().getBytes(StandardCharsets.UTF_8);
                textParts.setLength(0);
                client.onMessage(frame);
            }
            client.afterMessage(webSocket);
            return null;
        }

        @Override
        public java.util.concurrent.CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            ready.join();
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            binaryParts.writeBytes(chunk);
            if (last) {
                byte[] frame = binaryParts.toByteArray();
                binaryParts.reset();
                client.onMessage(frame);
            }
            client.afterMessage(webSocket);
            return null;
        }

        @Override
        public java.util.concurrent.CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            // the JDK answers with a pong itself; demand goes through the pause logic like messages
            ready.join();
            client.afterMessage(webSocket);
            return null;
        }

        @Override
        public java.util.concurrent.CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            ready.join();
            client.afterMessage(webSocket);
            return null;
        }

        @Override
        public java.util.concurrent.CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            ready.join();
            client.onClosed(new CloseInfo(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            TestClient c = client;
            if (c != null) {
                c.onClosed(new CloseInfo(1006, String.valueOf(error)));
            }
        }
    }
}
