package dev.chorus.nats;

import dev.chorus.core.internal.NamedThreadFactory;
import dev.chorus.core.presence.PresenceStats;
import dev.chorus.core.presence.PresenceStore;
import dev.chorus.nats.internal.JetStreamOps;
import dev.chorus.nats.internal.KeyedQueue;
import dev.chorus.nats.internal.MalformedMessageException;
import dev.chorus.nats.internal.NoStreamException;
import dev.chorus.nats.internal.StoredMessage;
import dev.chorus.nats.internal.Subjects;
import dev.chorus.nats.internal.WireCodec;
import dev.chorus.protocol.ClientInfo;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.StreamContext;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.StorageType;
import io.nats.client.impl.Headers;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link PresenceStore} in a JetStream key-value bucket, {@code <prefix>_presence}, shared by every
 * node: one key {@code <channel>.<client>} per entry (both escaped as subject tokens), holding the
 * client's info and its expiry time.
 *
 * <p><b>Last-writer-wins.</b> A put reads the key's newest revision and writes with
 * {@code Nats-Expected-Last-Subject-Sequence} set to it, so two nodes writing the same client at
 * once cannot both win: the loser reads again and compares clocks again. Writes of one node to one
 * key are queued, so only other nodes make it retry.
 *
 * <p><b>Expiry.</b> Each put gives the entry its own expiry ({@code now + ttl} on the writer's
 * clock), checked on every read, so an entry not refreshed in time disappears at once; the bucket's
 * max age ({@link NatsConfig#maxPresenceTtl()}) removes it physically later. Nodes' clocks should
 * agree to well under the TTLs in use (NTP does).
 *
 * <p>Non-blocking: puts and removes are asynchronous requests; listing a channel (an ordered
 * consumer over {@code <channel>.*}) and setup run on the store's own threads. The store connects
 * when created, in the background; operations wait for that.
 */
public final class NatsPresenceStore implements PresenceStore {
    private static final Logger log = LoggerFactory.getLogger(NatsPresenceStore.class);
    private static final String KV_OPERATION = "KV-Operation";
    private static final int MAX_ATTEMPTS = 200;

    private final NatsConfig config;
    private final Clock clock;
    private final String stream;
    private final String subjectPrefix;
    private final ExecutorService io;
    private final KeyedQueue writers;
    private final CompletableFuture<Void> ready;
    private final Object bucketLock = new Object();
    private CompletableFuture<Void> bucketReady;
    private volatile Connection nc;
    private volatile JetStreamOps js;
    private volatile StreamContext streamContext;
    private volatile boolean closed;

    private NatsPresenceStore(NatsConfig config, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.stream = "KV_" + config.presenceBucket();
        this.subjectPrefix = "$KV." + config.presenceBucket() + ".";
        this.io = Executors.newFixedThreadPool(config.ioThreads(), new NamedThreadFactory("chorus-nats-presence"));
        this.writers = new KeyedQueue(io, config.maxPendingPublishes());
        this.ready = CompletableFuture.runAsync(this::connect, io);
        ready.whenComplete((v, e) -> {
            if (e != null) {
                log.error("NATS presence store could not start: {}", JetStreamOps.unwrap(e).getMessage());
            }
        });
    }

    /** A store for {@code config}; it connects in the background at once. */
    public static NatsPresenceStore create(NatsConfig config) {
        return new NatsPresenceStore(config, Clock.systemUTC());
    }

    /** A store reading time from {@code clock}. */
    public static NatsPresenceStore create(NatsConfig config, Clock clock) {
        return new NatsPresenceStore(config, clock);
    }

    /** Completes when the store is connected and its bucket exists; fails when it cannot be. */
    public CompletionStage<Void> ready() {
        return ready;
    }

    private void connect() {
        try {
            Options options = new Options.Builder()
                    .server(config.url())
                    .connectionName(config.connectionName() + "-presence")
                    .connectionTimeout(config.connectTimeout())
                    .reconnectWait(config.reconnectWait())
                    .maxReconnects(-1)
                    .reportNoResponders()
                    .errorListener(new LoggingErrorListener(log))
                    .build();
            Connection c = Nats.connect(options);
            nc = c;
            js = new JetStreamOps(c, config.requestTimeout());
            createBucket();
            streamContext = c.getStreamContext(stream);
            if (closed) {
                c.close();
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new CompletionException(new IllegalStateException("NATS presence store could not start on " + config.url() + ": " + e.getMessage(), e));
        }
    }

    private void createBucket() throws Exception {
        KeyValueConfiguration kvc = KeyValueConfiguration.builder()
                .name(config.presenceBucket())
                .description("Chorus presence")
                .maxHistoryPerKey(1)
                .ttl(config.maxPresenceTtl())
                .storageType(config.storage() == NatsConfig.Storage.FILE ? StorageType.File : StorageType.Memory)
                .replicas(config.replicas())
                .build();
        try {
            nc.keyValueManagement().create(kvc);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != 10058) {
                throw e;
            }
            log.warn("presence bucket {} exists with a different configuration; using it as it is", config.presenceBucket());
        }
    }

    private CompletableFuture<Void> recreateBucket() {
        synchronized (bucketLock) {
            if (bucketReady == null || bucketReady.isDone()) {
                log.warn("presence bucket {} is gone; re-creating it (entries are re-put by the next heartbeats)", config.presenceBucket());
                bucketReady = CompletableFuture.runAsync(() -> {
                    try {
                        createBucket();
                    } catch (Exception e) {
                        throw new CompletionException(e);
                    }
                }, io);
            }
            return bucketReady;
        }
    }

    private String key(String channel, String clientId) {
        return subjectPrefix + Subjects.token(channel) + "." + Subjects.token(clientId);
    }

    private CompletableFuture<Void> whenReady() {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("NATS presence store is closed"));
        }
        return ready;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when {@code ttl} is not positive or exceeds
     *         {@link NatsConfig#maxPresenceTtl()}, or a name is empty (nothing is stored)
     */
    @Override
    public CompletionStage<Boolean> put(String channel, ClientInfo info, Duration ttl) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isZero() || ttl.isNegative()) {
            throw new IllegalArgumentException("presence ttl must be positive, got " + ttl);
        }
        if (ttl.compareTo(config.maxPresenceTtl()) > 0) {
            throw new IllegalArgumentException("presence ttl " + ttl + " exceeds the NATS store's maxPresenceTtl " + config.maxPresenceTtl());
        }
        String subject = key(channel, info.client());
        return whenReady().thenCompose(x -> writers.submit(subject, () -> put(subject, info, ttl.toMillis(), 1)));
    }

    private CompletableFuture<Boolean> put(String subject, ClientInfo info, long ttlMillis, int attempt) {
        return js.last(stream, subject).thenCompose(last -> {
            long now = clock.millis();
            WireCodec.Entry stored = live(last, now);
            if (stored != null && stored.info().clock() > info.clock()) {
                return CompletableFuture.completedFuture(false);
            }
            Headers h = new Headers();
            h.put("Nats-Expected-Last-Subject-Sequence", Long.toString(last == null ? 0 : last.seq()));
            byte[] body = WireCodec.encodeEntry(new WireCodec.Entry(saturatedAdd(now, ttlMillis), info));
            return js.publish(subject, h, body).thenApply(ack -> true);
        }).exceptionallyCompose(err -> retry(err, attempt, () -> put(subject, info, ttlMillis, attempt + 1)));
    }

    @Override
    public CompletionStage<Boolean> remove(String channel, String clientId) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(clientId, "clientId");
        String subject = key(channel, clientId);
        return whenReady().thenCompose(x -> writers.submit(subject, () -> remove(subject, 1)));
    }

    private CompletableFuture<Boolean> remove(String subject, int attempt) {
        return js.last(stream, subject).thenCompose(last -> {
            if (last == null || isDeleted(last)) {
                return CompletableFuture.completedFuture(false);
            }
            // an expired entry was already gone as far as get() could tell
            boolean had = live(last, clock.millis()) != null;
            Headers h = new Headers();
            h.put(KV_OPERATION, "DEL");
            h.put("Nats-Expected-Last-Subject-Sequence", Long.toString(last.seq()));
            return js.publish(subject, h, new byte[0]).thenApply(ack -> had);
        }).exceptionallyCompose(err -> retry(err, attempt, () -> remove(subject, attempt + 1)));
    }

    private <T> CompletableFuture<T> retry(Throwable err, int attempt, java.util.function.Supplier<CompletableFuture<T>> again) {
        Throwable c = JetStreamOps.unwrap(err);
        if (attempt < MAX_ATTEMPTS && JetStreamOps.isApiError(c, JetStreamOps.WRONG_LAST_SEQUENCE)) {
            return again.get();
        }
        if (attempt < 5 && c instanceof NoStreamException) {
            return recreateBucket().thenCompose(x -> again.get());
        }
        return CompletableFuture.failedFuture(c);
    }

    private static boolean isDeleted(StoredMessage m) {
        String op = m.header(KV_OPERATION);
        return "DEL".equals(op) || "PURGE".equals(op);
    }

    /** The entry in {@code m} if it is one and has not expired. */
    private static WireCodec.Entry live(StoredMessage m, long now) {
        if (m == null || isDeleted(m)) {
            return null;
        }
        WireCodec.Entry e;
        try {
            e = WireCodec.decodeEntry(m.data());
        } catch (MalformedMessageException ex) {
            log.warn("ignoring a malformed presence entry (sequence {}): {}", m.seq(), ex.getMessage());
            return null;
        }
        return e.expiresAt() > now ? e : null;
    }

    @Override
    public CompletionStage<Map<String, ClientInfo>> get(String channel) {
        Objects.requireNonNull(channel, "channel");
        String filter = subjectPrefix + Subjects.token(channel) + ".*";
        return whenReady().thenComposeAsync(x -> {
            List<StoredMessage> msgs;
            try {
                msgs = JetStreamOps.readAll(streamContext, filter, DeliverPolicy.LastPerSubject, Long.MAX_VALUE);
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                return CompletableFuture.failedFuture(e);
            }
            long now = clock.millis();
            Map<String, ClientInfo> out = new LinkedHashMap<>();
            for (StoredMessage m : msgs) {
                WireCodec.Entry e = live(m, now);
                if (e != null) {
                    out.put(e.info().client(), e.info());
                }
            }
            return CompletableFuture.completedFuture(out);
        }, io);
    }

    @Override
    public CompletionStage<PresenceStats> stats(String channel) {
        return get(channel).thenApply(all -> {
            Set<String> users = new HashSet<>();
            for (ClientInfo c : all.values()) {
                users.add(c.user());
            }
            return new PresenceStats(all.size(), users.size());
        });
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Connection c = nc;
        if (c != null) {
            try {
                c.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        io.shutdownNow();
    }
}
