package dev.chorus.core;

import dev.chorus.core.auth.TokenVerifier;
import dev.chorus.core.broker.Broker;
import dev.chorus.core.metrics.NodeMetrics;
import dev.chorus.core.broker.ChannelEvent;
import dev.chorus.core.broker.PublishOptions;
import dev.chorus.core.config.ChorusConfig;
import dev.chorus.core.config.Limits;
import dev.chorus.core.config.NamespaceConfig;
import dev.chorus.core.hooks.Hooks;
import dev.chorus.core.internal.ChannelNames;
import dev.chorus.core.internal.NamedThreadFactory;
import dev.chorus.core.internal.SchemaValidator;
import dev.chorus.core.presence.PresenceStore;
import dev.chorus.core.transport.Connection;
import dev.chorus.core.transport.ConnectionAcceptor;
import dev.chorus.core.transport.InboundHandler;
import dev.chorus.protocol.Codec;
import dev.chorus.protocol.CloseCode;
import dev.chorus.protocol.ErrorCode;
import dev.chorus.protocol.Format;
import dev.chorus.protocol.Payload;
import dev.chorus.protocol.ProtocolException;
import dev.chorus.protocol.Push;
import dev.chorus.protocol.StreamPosition;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine of one Chorus node: accepts connections from transports, keeps the sessions, fans out
 * what the {@link Broker} delivers, keeps presence alive and enforces heartbeats.
 */
public final class Node implements ConnectionAcceptor, ServerApi {
    private static final Logger log = LoggerFactory.getLogger(Node.class);

    /** The server version reported to clients. */
    public static final String VERSION = versionFromManifest();

    private final ChorusConfig config;
    private final Broker broker;
    private final PresenceStore presence;
    private final Hooks hooks;
    private final ChannelHub hub;
    private final NodeMetrics metrics;
    private final Cluster cluster;
    private final TokenVerifier tokenVerifier;
    private final dev.chorus.core.documents.DocumentHub documents;
    private final java.util.concurrent.ExecutorService documentPool;
    private final Map<String, SchemaValidator> schemas;
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer;
    private final ThreadPoolExecutor hookExecutor;
    private final Map<Format, byte[]> pingFrames = new EnumMap<>(Format.class);
    private final Map<String, Long> limitsForClients;
    private final Duration presenceTtl;
    private volatile boolean ready;
    private volatile boolean shuttingDown;
    private long lastPresenceRefresh = System.nanoTime();

    Node(ChorusConfig config, Broker broker, PresenceStore presence, Hooks hooks, TokenVerifier tokenVerifier,
            io.micrometer.core.instrument.MeterRegistry registry, dev.chorus.core.documents.DocumentStore documentStore) {
        this.config = config;
        this.broker = broker;
        this.presence = presence;
        this.hooks = hooks;
        this.tokenVerifier = tokenVerifier;
        this.metrics = registry == null ? NodeMetrics.prometheus(sessions::size) : new NodeMetrics(registry, sessions::size);
        this.hub = new ChannelHub(broker, metrics);
        this.documentPool = java.util.concurrent.Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
                new NamedThreadFactory("chorus-doc"));
        DocumentBrokerRelay relay = new DocumentBrokerRelay(broker, config.nodeName(), this::documents);
        hub.relay = relay;
        this.cluster = new Cluster(this, broker);
        hub.cluster = cluster;
        this.documents = new dev.chorus.core.documents.DocumentHub(documentStore, config.documents(), documentPool,
                new AwarenessPresence(this), relay);
        this.schemas = compileSchemas(config);
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, new NamedThreadFactory("chorus-timer"));
        t.setRemoveOnCancelPolicy(true);
        this.timer = t;
        this.hookExecutor = new ThreadPoolExecutor(config.hookThreads(), config.hookThreads(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(10_000), new NamedThreadFactory("chorus-hook"));
        this.hookExecutor.allowCoreThreadTimeOut(true);
        for (Format f : Format.values()) {
            pingFrames.put(f, Codec.forFormat(f).encodePush(Push.Ping.INSTANCE));
        }
        Limits l = config.limits();
        Map<String, Long> lim = new LinkedHashMap<>();
        lim.put("maxFrameSize", (long) l.maxFrameSize());
        lim.put("maxSubscriptions", (long) l.maxSubscriptions());
        lim.put("maxChannelLength", (long) l.maxChannelLength());
        lim.put("maxPresenceStateSize", (long) l.maxPresenceStateSize());
        lim.put("maxOutboundBytes", l.maxOutboundBytes());
        // insertion order is the documented order of the connect reply's limits
        this.limitsForClients = java.util.Collections.unmodifiableMap(lim);
        this.presenceTtl = config.heartbeatTimeout().multipliedBy(2);
    }

    private static Map<String, SchemaValidator> compileSchemas(ChorusConfig config) {
        Map<String, SchemaValidator> out = new HashMap<>();
        Map<String, NamespaceConfig> all = new LinkedHashMap<>(config.namespaces());
        all.put("", config.defaultNamespace());
        for (NamespaceConfig ns : all.values()) {
            if (ns.schema() != null) {
                try {
                    out.put(ns.name(), SchemaValidator.compile(ns.schema()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("namespace '" + ns.name() + "': " + e.getMessage(), e);
                }
            }
        }
        return Map.copyOf(out);
    }

    private static String versionFromManifest() {
        String v = Node.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0";
    }

    // ---------------------------------------------------------------- lifecycle

    void start() {
        broker.start(hub).toCompletableFuture().join();
        long tick = Math.max(10, Math.min(1000, Math.min(config.pingInterval().toMillis(), config.heartbeatTimeout().toMillis()) / 4));
        timer.scheduleWithFixedDelay(this::sweep, tick, tick, TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(documents::sweep, 1, 1, TimeUnit.SECONDS);
        cluster.start(timer);
        ready = true;
        log.info("node {} started ({} namespaces declared, dev={})", config.nodeName(), config.namespaces().size(), config.dev());
    }

    @Override
    public InboundHandler accept(Connection connection) {
        Session s = new Session(this, connection, UUID.randomUUID().toString());
        if (shuttingDown) {
            connection.close(CloseCode.SHUTDOWN, "server is shutting down");
            return s;
        }
        sessions.add(s);
        return s;
    }

    @Override
    public boolean isReady() {
        return ready && !shuttingDown;
    }

    boolean shuttingDown() {
        return shuttingDown;
    }

    void sessionClosed(Session s) {
        sessions.remove(s);
        s.cleanup();
    }

    /** Heartbeats, connect timeouts and presence refresh; runs on the timer thread. */
    private void sweep() {
        try {
            long now = System.nanoTime();
            long timeout = config.heartbeatTimeout().toNanos();
            long ping = config.pingInterval().toNanos();
            long connectTimeout = config.connectTimeout().toNanos();
            boolean refresh = now - lastPresenceRefresh > presenceTtl.toNanos() / 4;
            if (refresh) {
                lastPresenceRefresh = now;
            }
            for (Session s : sessions) {
                if (!s.connected()) {
                    if (now - s.createdNanos > connectTimeout) {
                        s.connection.close(CloseCode.CONNECT_TIMEOUT, "no connect within " + config.connectTimeout().toMillis() + " ms");
                    }
                    continue;
                }
                if (now - s.lastSeenNanos > timeout) {
                    s.connection.close(CloseCode.NO_PONG, "no frame within " + config.heartbeatTimeout().toMillis() + " ms");
                    // clean up now (presence leave goes out at once); the transport's later onClose is a no-op
                    s.onClose();
                    continue;
                }
                if (s.expiresAtMillis > 0 && System.currentTimeMillis() >= s.expiresAtMillis) {
                    s.connection.close(CloseCode.TOKEN_EXPIRED, "token expired; reconnect with a fresh token");
                    s.onClose();
                    continue;
                }
                if (now - s.lastPingNanos >= ping) {
                    s.lastPingNanos = now;
                    s.send(pingFrames.get(s.format), NodeMetrics.Out.PING);
                }
                if (refresh) {
                    s.refreshPresence();
                }
            }
        } catch (RuntimeException e) {
            log.error("sweep failed", e);
        }
    }

    /**
     * Stops taking requests, lets in-flight ones finish (up to {@code grace}), then closes every
     * client with {@link CloseCode#SHUTDOWN} so it reconnects elsewhere.
     */
    void shutdown(Duration grace) {
        if (shuttingDown) {
            return;
        }
        shuttingDown = true;
        ready = false;
        long deadline = System.nanoTime() + grace.toNanos();
        while (System.nanoTime() < deadline && !sessions.stream().allMatch(Session::idle)) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Session s : sessions) {
            s.connection.close(CloseCode.SHUTDOWN, "server is shutting down; reconnect");
        }
        hookExecutor.shutdown();
        try {
            hookExecutor.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Releases threads and backends (after the transport stopped). */
    void release() {
        for (Session s : sessions) {
            sessionClosed(s);
        }
        timer.shutdownNow();
        hookExecutor.shutdownNow();
        broker.close();
        presence.close();
        documentPool.shutdown();
        try {
            documentPool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        documents.close();
    }

    // ---------------------------------------------------------------- services for sessions

    ChorusConfig config() {
        return config;
    }

    Broker broker() {
        return broker;
    }

    Duration presenceTtlForBridge() {
        return presenceTtl;
    }

    PresenceStore presenceStore() {
        return presence;
    }

    Hooks hooks() {
        return hooks;
    }

    /** The verifier of connection and subscription tokens, or {@code null} when none is configured. */
    @Override
    public TokenVerifier tokenVerifier() {
        return tokenVerifier;
    }

    /** The collaborative documents of this node. */
    @Override
    public dev.chorus.core.documents.DocumentHub documents() {
        return documents;
    }

    /** This node's metrics. */
    public NodeMetrics metrics() {
        return metrics;
    }

    @Override
    public void httpRefused(String reason) {
        metrics.httpRefused(reason);
    }

    @Override
    public String scrapeMetrics() {
        return metrics.scrape();
    }

    ChannelHub hub() {
        return hub;
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    Duration presenceTtl() {
        return presenceTtl;
    }

    Map<String, Long> limitsForClients() {
        return limitsForClients;
    }

    /** Number of open sessions. */
    public int sessionCount() {
        return sessions.size();
    }

    /** Number of channels with subscribers on this node. */
    public int channelCount() {
        return hub.channelCount();
    }

    /** Runs application code on the hook executor. */
    <T> CompletionStage<T> runHook(Callable<T> call) {
        CompletableFuture<T> f = new CompletableFuture<>();
        try {
            hookExecutor.execute(() -> {
                try {
                    f.complete(call.call());
                } catch (Throwable t) {
                    f.completeExceptionally(t);
                }
            });
        } catch (RejectedExecutionException e) {
            f.completeExceptionally(new ProtocolException(ErrorCode.INTERNAL, "server overloaded: hook queue full"));
        }
        return f;
    }

    void checkSchema(String channel, NamespaceConfig ns, Payload data) throws ProtocolException {
        // undeclared namespaces (when allowed) resolve to the default namespace, whose name is ""
        SchemaValidator v = schemas.get(ns.name());
        if (v != null) {
            String problem = v.problem(data);
            if (problem != null) {
                throw new ProtocolException(ErrorCode.SCHEMA_VIOLATION, "data does not match the schema of '" + channel + "': " + problem);
            }
        }
    }

    PublishOptions publishOptions(NamespaceConfig ns, String key) {
        PublishOptions o = new PublishOptions(ns.historySize(), ns.historyTtl(), null, ns.idempotencyWindow());
        return key == null ? o : o.withIdempotencyKey(key, ns.idempotencyWindow());
    }

    void fanOutSignal(Subscription from, String key, Payload data) {
        if (from.isDead()) {
            return;
        }
        broker.publishEvent(from.channel, new ChannelEvent.Signal(key, data, from.session.identity()));
    }

    /** A publish by the server or the embedding application. */
    CompletionStage<StreamPosition> serverPublish(String channel, Payload data, String key) {
        try {
            NamespaceConfig ns = serverNamespace(channel);
            checkSchema(channel, ns, data);
            return broker.publish(channel, data, null, publishOptions(ns, key)).thenApply(r -> r.position());
        } catch (ProtocolException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private NamespaceConfig serverNamespace(String channel) throws ProtocolException {
        String problem = ChannelNames.problem(channel, config.limits().maxChannelLength());
        if (problem != null) {
            throw new ProtocolException(ErrorCode.BAD_CHANNEL, problem);
        }
        NamespaceConfig ns = config.namespace(ChannelNames.namespace(channel));
        if (ns == null) {
            throw new ProtocolException(ErrorCode.UNKNOWN_NAMESPACE, "namespace '" + ChannelNames.namespace(channel) + "' is not declared");
        }
        return ns;
    }

    private NamespaceConfig serverPresenceNamespace(String channel) throws ProtocolException {
        NamespaceConfig ns = serverNamespace(channel);
        if (!ns.presence()) {
            throw new ProtocolException(ErrorCode.NOT_AVAILABLE, "presence is not enabled in the namespace of '" + channel + "'");
        }
        return ns;
    }

    // ---------------------------------------------------------------- server API

    @Override
    public ServerApi api() {
        return this;
    }

    @Override
    public CompletionStage<StreamPosition> publish(String channel, Payload data, String idempotencyKey) {
        return serverPublish(channel, data, idempotencyKey);
    }

    @Override
    public CompletionStage<dev.chorus.core.broker.HistoryResult> history(String channel, dev.chorus.core.broker.HistoryQuery query) {
        try {
            NamespaceConfig ns = serverNamespace(channel);
            if (ns.historySize() == 0) {
                throw new ProtocolException(ErrorCode.NOT_AVAILABLE, "history is not enabled in the namespace of '" + channel + "'");
            }
            int limit = query.limit() < 0 ? ns.historySize() : Math.min(query.limit(), ns.historySize());
            return broker.history(channel, new dev.chorus.core.broker.HistoryQuery(query.since(), limit, query.reverse()));
        } catch (ProtocolException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletionStage<Map<String, dev.chorus.protocol.ClientInfo>> presence(String channel) {
        try {
            serverPresenceNamespace(channel);
            return presence.get(channel);
        } catch (ProtocolException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletionStage<dev.chorus.core.presence.PresenceStats> presenceStats(String channel) {
        try {
            serverPresenceNamespace(channel);
            return presence.stats(channel);
        } catch (ProtocolException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletionStage<java.util.List<ChannelCount>> channels() {
        return CompletableFuture.completedFuture(cluster.channels());
    }

    @Override
    public CompletionStage<java.util.List<NodeInfo>> nodes() {
        return CompletableFuture.completedFuture(cluster.nodes());
    }

    /** Channels with subscribers on this node. */
    java.util.List<ChannelCount> localChannels() {
        return hub.counts();
    }

    /** Subscriptions on this node. */
    int subscriptionCount() {
        int n = 0;
        for (Session s : sessions) {
            n += s.subscriptions.size();
        }
        return n;
    }

    @Override
    public CompletionStage<Integer> disconnectUser(String user, String reason) {
        java.util.Objects.requireNonNull(user, "user");
        return cluster.disconnectUser(user, reason);
    }

    @Override
    public CompletionStage<Integer> unsubscribeUser(String user, String channel) {
        java.util.Objects.requireNonNull(user, "user");
        try {
            serverNamespace(channel);
        } catch (ProtocolException e) {
            return CompletableFuture.failedFuture(e);
        }
        return cluster.unsubscribeUser(user, channel);
    }

    CompletionStage<Integer> localDisconnectUser(String user, String reason) {
        int n = 0;
        for (Session s : sessions) {
            if (s.connected() && s.user().equals(user)) {
                s.connection.close(CloseCode.DISCONNECTED, reason == null || reason.isEmpty() ? "disconnected by the server" : reason);
                // leave presence at once; the transport's later onClose is a no-op
                s.onClose();
                n++;
            }
        }
        return CompletableFuture.completedFuture(n);
    }

    CompletionStage<Integer> localUnsubscribeUser(String user, String channel) {
        int n = 0;
        for (Session s : sessions) {
            if (s.connected() && s.user().equals(user) && s.serverUnsubscribe(channel)) {
                n++;
            }
        }
        return CompletableFuture.completedFuture(n);
    }
}
