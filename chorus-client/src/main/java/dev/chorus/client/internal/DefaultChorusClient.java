package dev.chorus.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chorus.client.ChorusClient;
import dev.chorus.client.ChorusException;
import dev.chorus.client.ClientOptions;
import dev.chorus.client.ClientSubscription;
import dev.chorus.client.ConnectionInfo;
import dev.chorus.client.ConnectionListener;
import dev.chorus.client.ConnectionStatus;
import dev.chorus.client.DisconnectInfo;
import dev.chorus.client.DocumentHandle;
import dev.chorus.client.DocumentListener;
import dev.chorus.client.DocumentOptions;
import dev.chorus.client.HistoryOptions;
import dev.chorus.client.HistoryResult;
import dev.chorus.client.SubscribeOptions;
import dev.chorus.client.SubscriptionListener;
import dev.chorus.protocol.CloseCode;
import dev.chorus.protocol.ErrorCode;
import dev.chorus.protocol.Payload;
import dev.chorus.protocol.ProtocolException;
import dev.chorus.protocol.Push;
import dev.chorus.protocol.Reply;
import dev.chorus.protocol.Request;
import dev.chorus.protocol.Result;
import dev.chorus.protocol.ServerFrame;
import dev.chorus.protocol.StreamPosition;
import dev.chorus.yjs.Doc;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongFunction;

/**
 * The client's state machine. Every field without {@code volatile} is read and written on the
 * client thread only; public methods hop there.
 *
 * <p>Requests go through one queue: at most {@link #WINDOW} of them are in flight, below the
 * server's {@code max_inflight_requests} (64), which would otherwise refuse the excess (or drop it
 * silently for requests without id). A request is one of three kinds: a publish (kept across
 * reconnects and sent again with its idempotency key), a user request (RPC, history, ...: waits for
 * a connection, fails when the connection is lost after it was sent), or a connection-bound one
 * (subscribe, document messages, ...: belongs to one connection and is redone by its owner after a
 * reconnect).
 */
public final class DefaultChorusClient implements ChorusClient, Connection.Handler {
    private static final System.Logger LOG = System.getLogger(DefaultChorusClient.class.getName());
    private static final AtomicInteger THREADS = new AtomicInteger();
    static final int WINDOW = 32;

    private final ClientOptions options;
    private final ScheduledThreadPoolExecutor executor;
    /** The I/O thread for the WebSocket (one per client, daemon). */
    private final EventLoopGroup io;
    private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, DefaultClientSubscription> subscriptionsView = new ConcurrentHashMap<>();
    private final Map<String, DefaultDocumentHandle> documentsView = new ConcurrentHashMap<>();
    private volatile Thread executorThread;

    private volatile ConnectionStatus status = ConnectionStatus.DISCONNECTED;
    private volatile ConnectionInfo info;
    private volatile boolean terminated;

    private boolean wanted;
    private Connection conn;
    private boolean connected;
    private long attempt;
    private long lastReceived;
    private long nextId = 1;
    private ScheduledFuture<?> reconnectTimer;
    private ScheduledFuture<?> connectTimer;
    private ScheduledFuture<?> watchdog;
    private ScheduledFuture<?> refreshTimer;
    private final Map<Long, Pending> inflight = new HashMap<>();
    /** Publishes waiting out their backoff after a temporary refusal. */
    private final java.util.Set<Pending> parked = new java.util.LinkedHashSet<>();
    private ArrayDeque<Pending> waiting = new ArrayDeque<>();
    private final Map<String, DefaultClientSubscription> subscriptions = new LinkedHashMap<>();
    private final Map<String, DefaultDocumentHandle> documents = new LinkedHashMap<>();
    private final List<CompletableFuture<ConnectionInfo>> connectWaiters = new ArrayList<>();

    /** What kind of request a {@link Pending} is; see the class comment. */
    enum Kind { PUBLISH, USER, BOUND }

    /** A request waiting to be sent or answered. */
    static final class Pending {
        final Kind kind;
        final LongFunction<Request> build;
        final Consumer<JsonNode> onResult;
        final Consumer<ChorusException> onError;
        long id;
        boolean done;
        long retries;
        ScheduledFuture<?> timeout;

        Pending(Kind kind, LongFunction<Request> build, Consumer<JsonNode> onResult, Consumer<ChorusException> onError) {
            this.kind = kind;
            this.build = build;
            this.onResult = onResult;
            this.onError = onError;
        }

        void complete(JsonNode result) {
            if (!done) {
                done = true;
                cancelTimeout();
                onResult.accept(result);
            }
        }

        void fail(ChorusException e) {
            if (!done) {
                done = true;
                cancelTimeout();
                onError.accept(e);
            }
        }

        private void cancelTimeout() {
            if (timeout != null) {
                timeout.cancel(false);
            }
        }
    }

    public DefaultChorusClient(ClientOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "chorus-client-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            executorThread = t;
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.io = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("chorus-client-io", true), NioIoHandler.newFactory());
    }

    // ================================================================ public API

    @Override
    public ClientOptions options() {
        return options;
    }

    @Override
    public CompletableFuture<ConnectionInfo> connect() {
        CompletableFuture<ConnectionInfo> f = new CompletableFuture<>();
        run(() -> {
            if (connected) {
                f.complete(info);
                return;
            }
            connectWaiters.add(f);
            if (!wanted) {
                wanted = true;
                attempt = 0;
                setStatus(ConnectionStatus.CONNECTING);
                openConnection();
            }
        }, f);
        return f;
    }

    @Override
    public CompletableFuture<Void> disconnect() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        run(() -> {
            stop("the client disconnected");
            f.complete(null);
        }, f);
        return f;
    }

    @Override
    public void close() {
        if (terminated) {
            return;
        }
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        run(() -> {
            stop("the client was closed");
            terminated = true;
            stopped.complete(null);
        }, stopped);
        // a moment for the close frames to go out
        stopped.whenComplete((v, e) -> io.shutdownGracefully(50, 1000, TimeUnit.MILLISECONDS));
        executor.shutdown();
    }

    @Override
    public ConnectionStatus status() {
        return status;
    }

    @Override
    public ConnectionInfo connection() {
        return info;
    }

    @Override
    public void addListener(ConnectionListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void removeListener(ConnectionListener listener) {
        listeners.remove(listener);
    }

    @Override
    public ClientSubscription subscribe(String channel, SubscribeOptions opts, SubscriptionListener listener) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(opts, "options");
        Objects.requireNonNull(listener, "listener");
        DefaultClientSubscription sub = new DefaultClientSubscription(this, channel, opts, listener);
        if (subscriptionsView.putIfAbsent(channel, sub) != null) {
            throw new IllegalStateException("already subscribed to '" + channel + "'");
        }
        run(() -> {
            subscriptions.put(channel, sub);
            if (connected) {
                sub.sendSubscribe();
            }
        }, sub.ready());
        return sub;
    }

    @Override
    public ClientSubscription subscription(String channel) {
        return subscriptionsView.get(channel);
    }

    @Override
    public CompletableFuture<StreamPosition> publish(String channel, Object data, String idempotencyKey) {
        Objects.requireNonNull(channel, "channel");
        Payload payload = payload(data);
        String key = idempotencyKey != null ? idempotencyKey : UUID.randomUUID().toString();
        if (key.isEmpty() || key.length() > 128) {
            throw new IllegalArgumentException("an idempotency key has 1 to 128 characters");
        }
        CompletableFuture<StreamPosition> f = new CompletableFuture<>();
        run(() -> enqueue(new Pending(Kind.PUBLISH, id -> new Request.Publish(id, channel, payload, key),
                r -> {
                    try {
                        f.complete(Results.position(r));
                    } catch (ChorusException e) {
                        f.completeExceptionally(e);
                    }
                }, f::completeExceptionally)), f);
        return f;
    }

    @Override
    public CompletableFuture<Payload> rpc(String method, Object data) {
        Objects.requireNonNull(method, "method");
        Payload payload = data == null ? Payload.NULL : payload(data);
        return userRequest(id -> new Request.Rpc(id, method, payload), r -> Payload.of(r.get("data")));
    }

    @Override
    public CompletableFuture<HistoryResult> history(String channel, HistoryOptions opts) {
        Objects.requireNonNull(channel, "channel");
        HistoryOptions o = opts == null ? HistoryOptions.all() : opts;
        return userRequest(id -> new Request.History(id, channel, o.since(), o.limit(), o.reverse()),
                r -> new HistoryResult(Results.position(r), Results.publications(r.get("publications"))));
    }

    @Override
    public DocumentHandle openDocument(String name, Doc doc, DocumentOptions opts, DocumentListener listener) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(doc, "doc");
        Objects.requireNonNull(opts, "options");
        Objects.requireNonNull(listener, "listener");
        DefaultDocumentHandle handle = new DefaultDocumentHandle(this, name, doc, opts, listener);
        if (documentsView.putIfAbsent(name, handle) != null) {
            throw new IllegalStateException("document '" + name + "' is already open");
        }
        run(() -> {
            documents.put(name, handle);
            handle.attach();
            if (connected) {
                handle.open();
            }
        }, null);
        return handle;
    }

    @Override
    public Executor executor() {
        return executor;
    }

    // ================================================================ for subscriptions and documents

    ScheduledExecutorService scheduler() {
        return executor;
    }

    boolean isConnected() {
        return connected;
    }

    /** Runs on the client thread; a rejected task (client closed) fails {@code f}. */
    void run(Runnable task, CompletableFuture<?> f) {
        try {
            executor.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "client task failed", e);
                    if (f != null) {
                        f.completeExceptionally(e);
                    }
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            if (f != null) {
                f.completeExceptionally(new ChorusException(ChorusException.CLIENT_CLOSED, "the client is closed"));
            }
        }
    }

    /** For the WebSocket's callbacks: after {@link #close()} their tasks are dropped. */
    private void executeQuietly(Runnable task) {
        try {
            executor.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the client is closed: nothing is listening any more
        }
    }

    boolean inClientThread() {
        return executorThread == Thread.currentThread();
    }

    /** A request that waits for a connection and fails if it is lost after sending. */
    <T> CompletableFuture<T> userRequest(LongFunction<Request> build, java.util.function.Function<JsonNode, T> read) {
        CompletableFuture<T> f = new CompletableFuture<>();
        run(() -> {
            Pending p = new Pending(Kind.USER, build, r -> {
                try {
                    f.complete(read.apply(r));
                } catch (RuntimeException e) {
                    f.completeExceptionally(e);
                }
            }, f::completeExceptionally);
            Duration t = options.requestTimeout();
            p.timeout = executor.schedule(() -> timeOut(p), t.toNanos(), TimeUnit.NANOSECONDS);
            enqueue(p);
        }, f);
        return f;
    }

    /** A request of the current connection (client thread, connected). */
    void boundRequest(LongFunction<Request> build, Consumer<JsonNode> onResult, Consumer<ChorusException> onError) {
        enqueue(new Pending(Kind.BOUND, build, onResult, onError));
    }

    /** Sends a frame that gets no reply (signals), if connected. */
    void sendNoReply(Request r) {
        if (connected && conn != null) {
            conn.send(conn.codec().encodeRequest(r));
        }
    }

    void removeSubscription(DefaultClientSubscription sub) {
        subscriptions.remove(sub.channel(), sub);
        subscriptionsView.remove(sub.channel(), sub);
    }

    void removeDocument(DefaultDocumentHandle doc) {
        documents.remove(doc.name(), doc);
        documentsView.remove(doc.name(), doc);
    }

    void emitError(ChorusException e) {
        for (ConnectionListener l : listeners) {
            try {
                l.onError(e);
            } catch (RuntimeException x) {
                LOG.log(System.Logger.Level.WARNING, "connection listener failed", x);
            }
        }
    }

    static Payload payload(Object data) {
        if (data instanceof Payload p) {
            return p;
        }
        return Payload.ofValue(data);
    }

    // ================================================================ request queue

    private void enqueue(Pending p) {
        waiting.add(p);
        flush();
    }

    private void flush() {
        if (!connected || conn == null) {
            return;
        }
        while (inflight.size() < WINDOW) {
            Pending p = waiting.poll();
            if (p == null) {
                return;
            }
            if (p.done) {
                continue;
            }
            p.id = nextId++;
            Request r;
            try {
                r = p.build.apply(p.id);
            } catch (RuntimeException e) {
                p.fail(new ChorusException(ErrorCode.BAD_REQUEST.code(), "cannot build the request: " + e.getMessage(), e));
                continue;
            }
            inflight.put(p.id, p);
            conn.send(conn.codec().encodeRequest(r));
        }
    }

    /** Sends a publish again after a temporary refusal (overloaded, shutting down), with backoff. */
    private void retryLater(Pending p) {
        p.id = 0;
        p.retries++;
        Duration d = options.reconnectDelay().createDelay(p.retries);
        parked.add(p);
        executor.schedule(() -> {
            if (parked.remove(p) && !p.done) {
                enqueue(p);
            }
        }, Math.max(0, d.toNanos()), TimeUnit.NANOSECONDS);
    }

    private void timeOut(Pending p) {
        if (p.done) {
            return;
        }
        // a request already sent stays counted in the window until its late reply (or the connection's end)
        waiting.remove(p);
        p.fail(new ChorusException(ChorusException.TIMEOUT, "no reply within " + options.requestTimeout()));
    }

    // ================================================================ connection lifecycle

    private void openConnection() {
        reconnectTimer = null;
        if (!wanted || conn != null) {
            return;
        }
        Connection c = new Connection(io, this::executeQuietly, this);
        conn = c;
        connected = false;
        connectTimer = executor.schedule(() -> {
            if (conn == c && !connected) {
                c.abort();
                lost(c, 1006, "no connect reply within " + options.connectTimeout(), ChorusException.CONNECTION_LOST);
            }
        }, options.connectTimeout().toNanos(), TimeUnit.NANOSECONDS);
        if (options.token() == null) {
            c.open(options.uri(), options.format(), options.connectTimeout());
            pendingToken = null;
            return;
        }
        CompletionStage<String> token;
        try {
            token = Objects.requireNonNull(options.token().get(), "the token supplier returned null");
        } catch (RuntimeException e) {
            token = CompletableFuture.failedFuture(e);
        }
        token.whenComplete((t, e) -> run(() -> {
            if (conn != c) {
                return;
            }
            if (e != null || t == null) {
                emitError(new ChorusException(ErrorCode.UNAUTHORIZED.code(), "the token supplier failed: "
                        + (e == null ? "null token" : Connection.rootMessage(e)), e));
                c.abort();
                lost(c, 1006, "no token", ChorusException.CONNECTION_LOST);
                return;
            }
            pendingToken = t;
            c.open(options.uri(), options.format(), options.connectTimeout());
        }, null));
    }

    private String pendingToken;

    @Override
    public void onOpen(Connection c) {
        if (c != conn) {
            c.abort();
            return;
        }
        lastReceived = System.nanoTime();
        String token = pendingToken;
        pendingToken = null;
        Pending p = new Pending(Kind.BOUND, id -> new Request.Connect(id, token, options.name(), options.version()),
                r -> connectReplied(c, r), e -> connectRefused(c, e));
        // connect goes first, outside the queue (which only flows once connected)
        p.id = nextId++;
        inflight.put(p.id, p);
        c.send(c.codec().encodeRequest(p.build.apply(p.id)));
    }

    private void connectReplied(Connection c, JsonNode r) {
        if (c != conn) {
            return;
        }
        ConnectionInfo ci;
        try {
            ci = new ConnectionInfo(Results.string(r, "client"), r.has("user") ? Results.string(r, "user") : "",
                    r.has("node") ? Results.string(r, "node") : "", r.has("version") ? Results.string(r, "version") : "",
                    (int) Results.integer(r, "ping", 0), (int) Results.integer(r, "timeout", 0),
                    Results.integer(r, "expires", 0), r.hasNonNull("data") ? Payload.of(r.get("data")) : null);
        } catch (ChorusException e) {
            emitError(e);
            c.abort();
            lost(c, 1006, "unreadable connect reply", ChorusException.CONNECTION_LOST);
            return;
        }
        connected = true;
        attempt = 0;
        info = ci;
        cancel(connectTimer);
        connectTimer = null;
        startWatchdog(c, ci.timeout());
        scheduleRefresh(c, ci.expires());
        setStatus(ConnectionStatus.CONNECTED);
        for (ConnectionListener l : listeners) {
            try {
                l.onConnected(ci);
            } catch (RuntimeException x) {
                LOG.log(System.Logger.Level.WARNING, "connection listener failed", x);
            }
        }
        List<CompletableFuture<ConnectionInfo>> ws = new ArrayList<>(connectWaiters);
        connectWaiters.clear();
        // restore channels and documents before anything that waited for the connection
        ArrayDeque<Pending> before = waiting;
        waiting = new ArrayDeque<>();
        for (DefaultClientSubscription s : new ArrayList<>(subscriptions.values())) {
            s.sendSubscribe();
        }
        for (DefaultDocumentHandle d : new ArrayList<>(documents.values())) {
            d.open();
        }
        waiting.addAll(before);
        flush();
        ws.forEach(f -> f.complete(ci));
    }

    private void connectRefused(Connection c, ChorusException e) {
        if (c != conn) {
            return;
        }
        // the server closes as well (4005 refused, 4006 expired); do not wait for it
        int code = e.code() == ErrorCode.UNAUTHORIZED.code() ? CloseCode.UNAUTHORIZED.code()
                : e.code() == ErrorCode.TOKEN_EXPIRED.code() ? CloseCode.TOKEN_EXPIRED.code()
                : e.temporary() ? CloseCode.INTERNAL.code() : CloseCode.UNAUTHORIZED.code();
        emitError(e);
        c.close(code, "");
        lost(c, code, "connect refused: " + e.getMessage(), code);
    }

    @Override
    public void onClosed(Connection c, int code, String reason) {
        if (c == conn) {
            lost(c, code, reason, ChorusException.CONNECTION_LOST);
        }
    }

    /** The connection {@code c} is gone: settle its requests, then reconnect or stop. */
    private void lost(Connection c, int code, String reason, int failCode) {
        if (c != conn) {
            return;
        }
        conn = null;
        connected = false;
        info = null;
        cancel(connectTimer);
        cancel(watchdog);
        cancel(refreshTimer);
        connectTimer = watchdog = refreshTimer = null;

        List<Pending> sent = new ArrayList<>(inflight.values());
        inflight.clear();
        sent.sort((a, b) -> Long.compare(a.id, b.id));
        ArrayDeque<Pending> keep = new ArrayDeque<>();
        ChorusException lostError = new ChorusException(ChorusException.CONNECTION_LOST,
                "the connection was lost (" + code + (reason == null || reason.isEmpty() ? "" : " " + reason) + ")");
        for (Pending p : sent) {
            if (p.kind == Kind.PUBLISH) {
                p.id = 0;
                keep.add(p);
            } else {
                p.fail(lostError);
            }
        }
        for (Pending p : waiting) {
            if (p.kind == Kind.BOUND) {
                p.fail(lostError);
            } else if (!p.done) {
                keep.add(p);
            }
        }
        waiting = keep;
        for (DefaultClientSubscription s : new ArrayList<>(subscriptions.values())) {
            s.connectionLost();
        }
        for (DefaultDocumentHandle d : new ArrayList<>(documents.values())) {
            d.connectionLost();
        }

        boolean reconnect = wanted && reconnects(code);
        DisconnectInfo di = new DisconnectInfo(code, reason == null ? "" : reason, reconnect);
        for (ConnectionListener l : listeners) {
            try {
                l.onDisconnected(di);
            } catch (RuntimeException x) {
                LOG.log(System.Logger.Level.WARNING, "connection listener failed", x);
            }
        }
        if (reconnect) {
            setStatus(ConnectionStatus.RECONNECTING);
            attempt++;
            Duration d = options.reconnectDelay().createDelay(attempt);
            reconnectTimer = executor.schedule(this::openConnection, Math.max(0, d.toNanos()), TimeUnit.NANOSECONDS);
        } else {
            wanted = false;
            int fc = failCode == ChorusException.CONNECTION_LOST ? code : failCode;
            failAll(new ChorusException(fc, "disconnected (" + code + (reason == null || reason.isEmpty() ? "" : " " + reason) + ")"));
            setStatus(ConnectionStatus.DISCONNECTED);
        }
    }

    /** Whether to reconnect after close code {@code code}; unknown codes (1006, 1001, 1011, ...) do. */
    static boolean reconnects(int code) {
        CloseCode cc = CloseCode.of(code);
        return cc == null || cc.reconnect();
    }

    /** Stops on request of the application: no reconnect, waiting operations fail. */
    private void stop(String why) {
        if (!wanted && conn == null) {
            failAll(new ChorusException(ChorusException.CLIENT_CLOSED, why));
            setStatus(ConnectionStatus.DISCONNECTED);
            return;
        }
        wanted = false;
        cancel(reconnectTimer);
        reconnectTimer = null;
        Connection c = conn;
        if (c != null) {
            c.close(CloseCode.NORMAL.code(), "");
            lost(c, CloseCode.NORMAL.code(), why, ChorusException.CLIENT_CLOSED);
        } else {
            failAll(new ChorusException(ChorusException.CLIENT_CLOSED, why));
            setStatus(ConnectionStatus.DISCONNECTED);
        }
    }

    private void failAll(ChorusException e) {
        List<Pending> all = new ArrayList<>(parked);
        parked.clear();
        all.addAll(waiting);
        waiting = new ArrayDeque<>();
        for (Pending p : all) {
            p.fail(e);
        }
        List<CompletableFuture<ConnectionInfo>> ws = new ArrayList<>(connectWaiters);
        connectWaiters.clear();
        ws.forEach(f -> f.completeExceptionally(e));
    }

    private void setStatus(ConnectionStatus next) {
        ConnectionStatus prev = status;
        if (prev == next) {
            return;
        }
        status = next;
        for (ConnectionListener l : listeners) {
            try {
                l.onStatusChanged(prev, next);
            } catch (RuntimeException x) {
                LOG.log(System.Logger.Level.WARNING, "connection listener failed", x);
            }
        }
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }

    // ================================================================ heartbeat and token refresh

    private void startWatchdog(Connection c, int timeoutSeconds) {
        if (timeoutSeconds <= 0) {
            return;
        }
        long limit = TimeUnit.SECONDS.toNanos(timeoutSeconds);
        long every = Math.max(TimeUnit.MILLISECONDS.toNanos(100), limit / 10);
        watchdog = executor.scheduleWithFixedDelay(() -> {
            if (conn == c && System.nanoTime() - lastReceived > limit) {
                c.abort();
                lost(c, 1006, "nothing received from the server for " + timeoutSeconds + " s", ChorusException.CONNECTION_LOST);
            }
        }, every, every, TimeUnit.NANOSECONDS);
    }

    private void scheduleRefresh(Connection c, long expiresSeconds) {
        cancel(refreshTimer);
        refreshTimer = null;
        if (expiresSeconds <= 0 || options.token() == null) {
            return;
        }
        // at 80% of the lifetime, so that a slow token endpoint does not cost the connection
        long delayMs = Math.max(200, expiresSeconds * 800);
        refreshTimer = executor.schedule(() -> refresh(c), delayMs, TimeUnit.MILLISECONDS);
    }

    private void refresh(Connection c) {
        if (conn != c || !connected) {
            return;
        }
        CompletionStage<String> token;
        try {
            token = Objects.requireNonNull(options.token().get(), "the token supplier returned null");
        } catch (RuntimeException e) {
            token = CompletableFuture.failedFuture(e);
        }
        token.whenComplete((t, e) -> run(() -> {
            if (conn != c || !connected) {
                return;
            }
            if (e != null || t == null) {
                emitError(new ChorusException(ErrorCode.UNAUTHORIZED.code(), "the token supplier failed: "
                        + (e == null ? "null token" : Connection.rootMessage(e)), e));
                scheduleRefresh(c, 5); // try again; the server closes with 4006 at expiry
                return;
            }
            boundRequest(id -> new Request.Refresh(id, t), r -> {
                long expires = Results.integer(r, "expires", 0);
                ConnectionInfo old = info;
                if (old != null) {
                    info = new ConnectionInfo(old.client(), old.user(), old.node(), old.version(), old.ping(), old.timeout(),
                            expires, old.data());
                }
                scheduleRefresh(c, expires);
            }, err -> {
                if (err.code() != ChorusException.CONNECTION_LOST) {
                    emitError(new ChorusException(err.code(), "token refresh refused: " + err.getMessage()));
                }
            });
        }, null));
    }

    // ================================================================ incoming frames

    @Override
    public void onFrame(Connection c, byte[] bytes) {
        if (c != conn) {
            return;
        }
        lastReceived = System.nanoTime();
        if (bytes == null) {
            return; // a WebSocket ping
        }
        ServerFrame frame;
        try {
            frame = c.codec().decodeServerFrame(bytes, 0, bytes.length);
        } catch (ProtocolException | RuntimeException e) {
            emitError(new ChorusException(ChorusException.MALFORMED_FRAME, "skipped an unreadable server frame: " + e.getMessage(), e));
            return;
        }
        try {
            if (frame.reply() != null) {
                onReply(frame.reply());
            } else {
                onPush(c, frame.push());
            }
        } catch (RuntimeException e) {
            emitError(new ChorusException(ChorusException.MALFORMED_FRAME, "could not handle a server frame: " + e.getMessage(), e));
        }
    }

    private void onReply(Reply reply) {
        Pending p = inflight.remove(reply.id());
        if (p == null) {
            emitError(new ChorusException(ChorusException.MALFORMED_FRAME, "a reply for unknown request id " + reply.id()));
            return;
        }
        if (p.done) {
            // answered after its timeout: nothing waits for it any more
        } else if (reply.error() != null) {
            ChorusException e = new ChorusException(reply.error().code(), reply.error().message());
            if (p.kind == Kind.PUBLISH && e.temporary()) {
                retryLater(p); // same key: a publish that did happen is not repeated
            } else {
                p.fail(e);
            }
        } else {
            JsonNode tree = reply.result() instanceof Result.Raw raw ? raw.value().tree() : null;
            if (tree == null || !tree.isObject()) {
                p.fail(Results.bad("a result must be an object"));
            } else {
                try {
                    p.complete(tree);
                } catch (RuntimeException e) {
                    emitError(new ChorusException(ChorusException.MALFORMED_FRAME, "could not handle a reply: " + e.getMessage(), e));
                }
            }
        }
        flush();
    }

    private void onPush(Connection c, Push push) {
        if (push instanceof Push.Ping) {
            c.send(c.codec().encodeRequest(new Request.Pong()));
        } else if (push instanceof Push.Pub p) {
            DefaultClientSubscription s = subscriptions.get(p.channel());
            if (s != null) {
                s.onPublication(p.pub());
            }
        } else if (push instanceof Push.Join j) {
            DefaultClientSubscription s = subscriptions.get(j.channel());
            if (s != null) {
                s.onJoin(j.info());
            }
        } else if (push instanceof Push.Leave l) {
            DefaultClientSubscription s = subscriptions.get(l.channel());
            if (s != null) {
                s.onLeave(l.info());
            }
        } else if (push instanceof Push.PresenceChange pc) {
            DefaultClientSubscription s = subscriptions.get(pc.channel());
            if (s != null) {
                s.onPresence(pc.info());
            }
        } else if (push instanceof Push.Signal sig) {
            DefaultClientSubscription s = subscriptions.get(sig.channel());
            if (s != null) {
                s.onSignal(sig.key(), sig.data(), sig.info());
            }
        } else if (push instanceof Push.Unsubscribed u) {
            DefaultClientSubscription s = subscriptions.get(u.channel());
            if (s != null) {
                s.onServerUnsubscribe(u.code(), u.reason(), u.resubscribe());
            }
        } else if (push instanceof Push.Doc d) {
            DefaultDocumentHandle h = documents.get(d.doc());
            if (h != null) {
                h.onMessage(d.data());
            }
        } else if (push instanceof Push.Error e) {
            emitError(new ChorusException(e.error().code(), e.error().message()));
        }
    }
}
