package dev.chorus.nats;

import dev.chorus.core.broker.Broker;
import dev.chorus.core.broker.BrokerEventHandler;
import dev.chorus.core.broker.ChannelEvent;
import dev.chorus.core.broker.HistoryQuery;
import dev.chorus.core.broker.HistoryResult;
import dev.chorus.core.broker.PublishOptions;
import dev.chorus.core.broker.PublishResult;
import dev.chorus.core.internal.NamedThreadFactory;
import dev.chorus.nats.internal.JetStreamOps;
import dev.chorus.nats.internal.KeyedQueue;
import dev.chorus.nats.internal.MalformedMessageException;
import dev.chorus.nats.internal.NoStreamException;
import dev.chorus.nats.internal.StoredMessage;
import dev.chorus.nats.internal.Subjects;
import dev.chorus.nats.internal.WireCodec;
import dev.chorus.protocol.ClientInfo;
import dev.chorus.protocol.Payload;
import dev.chorus.protocol.Publication;
import dev.chorus.protocol.StreamPosition;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Dispatcher;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.StreamContext;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.nats.client.impl.Headers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Broker} over NATS: history and offsets in one JetStream stream, fan-out between nodes
 * over core NATS subjects. See "NATS broker" in {@code docs/architecture.md} for the layout.
 *
 * <p><b>Offsets.</b> A channel's history is the stream subject {@code <prefix>.h.<channel>}. Each
 * stored message carries its channel offset and epoch in headers. A publish reads the channel's
 * newest message (cached per channel on this node), writes offset + 1 with
 * {@code Nats-Expected-Last-Subject-Sequence} set to that message's stream sequence, and retries
 * from a fresh read when another node got there first; so offsets are consecutive and decided by
 * the store, atomically with the append. Publishes of one node to one channel are queued so that
 * they never conflict with each other.
 *
 * <p><b>Epochs.</b> The first message written to an empty subject chooses a random epoch; every
 * later one keeps it. The subject becomes empty when its history is removed, when the stream (or
 * JetStream's storage) is lost, or when its newest message is older than the stream's max age;
 * offsets then start again at 1 under a new epoch. A history read of an empty channel writes an
 * epoch marker (offset 0), so that the position it reports is the one the first publication
 * continues.
 *
 * <p><b>Delivery.</b> After JetStream acknowledged a publication, the publisher sends the same
 * bytes to the core subject {@code <prefix>.c.<channel>}, which every subscribed node listens to.
 * A subscribed node delivers strictly in offset order from the position it read when it
 * subscribed: publications that arrive early wait, a gap not filled within
 * {@link NatsConfig#gapTimeout()} is read from JetStream, and after a reconnect every subscribed
 * channel is caught up from JetStream. Events go over the same subject and are never stored.
 *
 * <p>Non-blocking: publishes, single-message reads and purges are asynchronous NATS requests; the
 * range reads of history (an ordered consumer) and stream setup run on this broker's own I/O
 * threads.
 */
public final class NatsBroker implements Broker {
    private static final Logger log = LoggerFactory.getLogger(NatsBroker.class);

    static final String H_EPOCH = "Chorus-Epoch";
    static final String H_OFFSET = "Chorus-Offset";
    static final String H_EXPIRES = "Chorus-Expires";
    static final String H_SIZE = "Chorus-Size";
    static final String H_UNTIL = "Chorus-Idem-Until";
    static final String H_KIND = "Chorus-Kind";
    static final String KIND_MARKER = "epoch";
    static final String EXPECTED_LAST_SUBJECT_SEQ = "Nats-Expected-Last-Subject-Sequence";
    static final String MSG_ID = "Nats-Msg-Id";

    /** Optimistic-concurrency retries before a publish gives up. */
    static final int MAX_ATTEMPTS = 200;
    /** Messages kept per subject at least when trimming, so idempotent retries find their original. */
    static final int KEEP_FOR_RETRIES = 1000;

    private final NatsConfig config;
    private final Subjects subjects;
    private final Clock clock;
    private final ExecutorService io;
    private final ScheduledExecutorService timer;
    private final KeyedQueue writers;
    private final ConcurrentHashMap<String, WriterState> writerStates = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ChannelFeed> feeds = new ConcurrentHashMap<>();
    private final Object streamLock = new Object();
    private CompletableFuture<Void> streamReady;

    private volatile Connection nc;
    private volatile JetStreamOps js;
    private volatile StreamContext streamContext;
    private volatile Dispatcher dispatcher;
    private volatile BrokerEventHandler handler;
    private volatile boolean closed;
    private boolean started;

    /** The newest message of a channel as this node last saw it; {@code epoch} null: subject empty. */
    record WriterState(String epoch, long offset, long seq) {
    }

    private NatsBroker(NatsConfig config, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.subjects = new Subjects(config.prefix());
        this.io = Executors.newFixedThreadPool(config.ioThreads(), new NamedThreadFactory("chorus-nats-io"));
        this.timer = Executors.newSingleThreadScheduledExecutor(new NamedThreadFactory("chorus-nats-timer"));
        this.writers = new KeyedQueue(io, config.maxPendingPublishes());
    }

    /** A broker for {@code config}; it connects in {@link #start}. */
    public static NatsBroker create(NatsConfig config) {
        return new NatsBroker(config, Clock.systemUTC());
    }

    /** A broker reading time (publication times, TTLs, windows) from {@code clock}. */
    public static NatsBroker create(NatsConfig config, Clock clock) {
        return new NatsBroker(config, clock);
    }

    public NatsConfig config() {
        return config;
    }

    /**
     * Connects, creates the history stream if it does not exist, and starts delivering to
     * {@code handler}. Fails when NATS cannot be reached within {@link NatsConfig#connectTimeout()}
     * or has no JetStream.
     *
     * @throws IllegalStateException when already started
     */
    @Override
    public synchronized CompletionStage<Void> start(BrokerEventHandler handler) {
        Objects.requireNonNull(handler, "handler");
        if (started) {
            throw new IllegalStateException("broker already started");
        }
        started = true;
        this.handler = handler;
        return CompletableFuture.runAsync(() -> {
            try {
                Options options = new Options.Builder()
                        .server(config.url())
                        .connectionName(config.connectionName())
                        .connectionTimeout(config.connectTimeout())
                        .reconnectWait(config.reconnectWait())
                        .maxReconnects(-1)
                        .reportNoResponders()
                        .connectionListener(this::onConnectionEvent)
                        .errorListener(new LoggingErrorListener(log))
                        .build();
                Connection c = Nats.connect(options);
                nc = c;
                js = new JetStreamOps(c, config.requestTimeout());
                dispatcher = c.createDispatcher();
                createStream();
                streamContext = c.getStreamContext(config.streamName());
                if (closed) {
                    c.close();
                }
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                throw new CompletionException(new IllegalStateException("NATS broker could not start on " + config.url() + ": " + e.getMessage(), e));
            }
        }, io);
    }

    private void onConnectionEvent(Connection c, ConnectionListener.Events event) {
        switch (event) {
            case DISCONNECTED -> log.warn("NATS disconnected from {}; publishes fail until it is back, subscribed channels catch up after", config.url());
            case RECONNECTED -> log.info("NATS reconnected to {}", c.getConnectedUrl());
            case RESUBSCRIBED -> {
                // fan-out sent while we were away is lost for this node: read it from JetStream
                for (ChannelFeed f : feeds.values()) {
                    f.requestCatchUp();
                }
            }
            default -> {
            }
        }
    }

    /** Creates the stream when it does not exist. Blocks. */
    private void createStream() throws Exception {
        JetStreamManagement jsm = nc.jetStreamManagement();
        StreamConfiguration sc = StreamConfiguration.builder()
                .name(config.streamName())
                .subjects(subjects.streamSubjects())
                .storageType(config.storage() == NatsConfig.Storage.FILE ? StorageType.File : StorageType.Memory)
                .replicas(config.replicas())
                .maxMessagesPerSubject(config.maxHistorySize())
                .maxAge(config.maxHistoryTtl())
                .maxBytes(config.maxHistoryBytes())
                .duplicateWindow(config.maxIdempotencyWindow())
                .discardPolicy(DiscardPolicy.Old)
                .description("Chorus channel history")
                .build();
        try {
            StreamInfo info = jsm.addStream(sc);
            log.debug("history stream {} ready, created {}", config.streamName(), info.getCreateTime());
        } catch (JetStreamApiException e) {
            // 10058: exists with another configuration; the first node's limits win
            if (e.getApiErrorCode() != 10058) {
                throw e;
            }
            StreamInfo info = jsm.getStreamInfo(config.streamName());
            log.warn("history stream {} exists with a different configuration ({}); using it as it is",
                    config.streamName(), info.getConfiguration().toJson());
        }
    }

    /** Re-creates the stream after it was lost; concurrent callers share one attempt. */
    private CompletableFuture<Void> recreateStream() {
        synchronized (streamLock) {
            if (streamReady == null || streamReady.isDone()) {
                writerStates.clear();
                log.warn("history stream {} is gone (deleted or JetStream lost it); re-creating it: every channel starts a new epoch",
                        config.streamName());
                streamReady = CompletableFuture.runAsync(() -> {
                    try {
                        createStream();
                    } catch (Exception e) {
                        throw new CompletionException(e);
                    }
                }, io);
            }
            return streamReady;
        }
    }

    private void requireStarted() {
        if (closed) {
            throw new IllegalStateException("NATS broker is closed");
        }
        if (nc == null) {
            throw new IllegalStateException("NATS broker not started (call start and wait for it)");
        }
    }

    // ------------------------------------------------------------------ publish

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when the options exceed this broker's limits
     *         ({@link NatsConfig#maxHistorySize()}, {@link NatsConfig#maxHistoryTtl()},
     *         {@link NatsConfig#maxIdempotencyWindow()}) or the channel name is empty
     * @throws IllegalStateException when the broker is not started or closed
     */
    @Override
    public CompletionStage<PublishResult> publish(String channel, Payload data, ClientInfo publisher, PublishOptions options) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(options, "options");
        checkLimits(options);
        String fanout = subjects.fanout(channel);
        requireStarted();
        ClientInfo info = publisher == null ? null : publisher.identity();
        boolean keyed = options.idempotencyKey() != null && options.idempotencyWindow().toMillis() > 0;
        if (options.historySize() == 0 && !keyed) {
            Publication pub = new Publication(0, "", clock.millis(), data, info);
            try {
                nc.publish(fanout, WireCodec.encodePublication(pub));
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
            return CompletableFuture.completedFuture(new PublishResult(pub.position(), false));
        }
        PublishTask task = new PublishTask(channel, data, info, options, keyed ? msgId(channel, options.idempotencyKey()) : null);
        return writers.submit(channel, task::run);
    }

    private void checkLimits(PublishOptions o) {
        if (o.historySize() > config.maxHistorySize()) {
            throw new IllegalArgumentException("historySize " + o.historySize() + " exceeds the NATS broker's maxHistorySize " + config.maxHistorySize());
        }
        if (o.historySize() > 0 && o.historyTtl().compareTo(config.maxHistoryTtl()) > 0) {
            throw new IllegalArgumentException("historyTtl " + o.historyTtl() + " exceeds the NATS broker's maxHistoryTtl " + config.maxHistoryTtl());
        }
        if (o.idempotencyKey() != null && o.idempotencyWindow().compareTo(config.maxIdempotencyWindow()) > 0) {
            throw new IllegalArgumentException("idempotencyWindow " + o.idempotencyWindow() + " exceeds the NATS broker's maxIdempotencyWindow "
                    + config.maxIdempotencyWindow());
        }
    }

    /** JetStream's dedupe id for a key: per channel, fixed length whatever the key. */
    private static String msgId(String channel, String key) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(channel.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            md.update(key.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One publish, with its retries. Runs in the channel's lane of {@link #writers}. */
    private final class PublishTask {
        final String channel;
        final Payload data;
        final ClientInfo info;
        final PublishOptions options;
        final String baseMsgId;
        String msgId;
        int attempts;

        PublishTask(String channel, Payload data, ClientInfo info, PublishOptions options, String msgId) {
            this.channel = channel;
            this.data = data;
            this.info = info;
            this.options = options;
            this.baseMsgId = msgId;
            this.msgId = msgId;
        }

        CompletableFuture<PublishResult> run() {
            if (++attempts > MAX_ATTEMPTS) {
                return CompletableFuture.failedFuture(new IllegalStateException(
                        "publish to '" + channel + "' lost the optimistic-concurrency race " + MAX_ATTEMPTS + " times; giving up"));
            }
            if (options.historySize() == 0) {
                return attemptKeyOnly();
            }
            WriterState s = writerStates.get(channel);
            CompletableFuture<WriterState> state = s != null ? CompletableFuture.completedFuture(s) : loadState(channel);
            return state.thenCompose(this::attempt).exceptionallyCompose(this::retryOrFail);
        }

        private CompletableFuture<PublishResult> attempt(WriterState s) {
            long now = clock.millis();
            String epoch = s.epoch() != null ? s.epoch() : newEpoch();
            long offset = s.offset() + 1;
            Publication pub = new Publication(offset, epoch, now, data, info);
            byte[] body = WireCodec.encodePublication(pub);
            long ttl = options.historyTtl().toMillis();
            Headers h = new Headers();
            h.put(EXPECTED_LAST_SUBJECT_SEQ, Long.toString(s.seq()));
            h.put(H_EPOCH, epoch);
            h.put(H_OFFSET, Long.toString(offset));
            h.put(H_EXPIRES, Long.toString(ttl > 0 ? saturatedAdd(now, ttl) : 0));
            h.put(H_SIZE, Integer.toString(options.historySize()));
            if (msgId != null) {
                h.put(MSG_ID, msgId);
                h.put(H_UNTIL, Long.toString(saturatedAdd(now, options.idempotencyWindow().toMillis())));
            }
            return js.publish(subjects.history(channel), h, body).thenCompose(ack -> {
                if (ack.isDuplicate()) {
                    return duplicateOf(ack);
                }
                writerStates.put(channel, new WriterState(epoch, offset, ack.getSeqno()));
                fanout(channel, body);
                maybeTrim(channel, offset, options.historySize());
                return CompletableFuture.completedFuture(new PublishResult(pub.position(), false));
            });
        }

        private CompletableFuture<PublishResult> attemptKeyOnly() {
            long now = clock.millis();
            Publication pub = new Publication(0, "", now, data, info);
            byte[] body = WireCodec.encodePublication(pub);
            Headers h = new Headers();
            h.put(MSG_ID, msgId);
            h.put(H_UNTIL, Long.toString(saturatedAdd(now, options.idempotencyWindow().toMillis())));
            return js.publish(subjects.keys(channel), h, body).thenCompose(ack -> {
                if (ack.isDuplicate()) {
                    return duplicateOf(ack);
                }
                fanout(channel, body);
                return CompletableFuture.completedFuture(new PublishResult(pub.position(), false));
            }).exceptionallyCompose(this::retryOrFail);
        }

        /**
         * JetStream saw the key within its duplicate window. The original's own window (possibly
         * shorter) decides: open, the publish is a duplicate; closed (or the original is gone), the
         * key is used again under a derived id, which every node derives the same way.
         */
        private CompletableFuture<PublishResult> duplicateOf(PublishAck ack) {
            long seq = ack.getSeqno();
            return js.bySeq(config.streamName(), seq).thenCompose(orig -> {
                long now = clock.millis();
                if (orig != null && orig.longHeader(H_UNTIL, 0) > now) {
                    StreamPosition pos = orig.header(H_OFFSET) == null
                            ? new StreamPosition(0, "")
                            : new StreamPosition(orig.longHeader(H_OFFSET), Objects.requireNonNullElse(orig.header(H_EPOCH), ""));
                    return CompletableFuture.completedFuture(new PublishResult(pos, true));
                }
                msgId = baseMsgId + "#" + seq;
                return run();
            });
        }

        private CompletableFuture<PublishResult> retryOrFail(Throwable err) {
            Throwable c = JetStreamOps.unwrap(err);
            if (JetStreamOps.isApiError(c, JetStreamOps.WRONG_LAST_SEQUENCE)) {
                // another node (or a purge) moved the channel on: read its newest message again
                writerStates.remove(channel);
                if (attempts > 3) {
                    CompletableFuture<PublishResult> later = new CompletableFuture<>();
                    long delay = ThreadLocalRandom.current().nextLong(1, 1L + Math.min(20, attempts));
                    timer.schedule(() -> run().whenComplete((v, e) -> complete(later, v, e)), delay, TimeUnit.MILLISECONDS);
                    return later;
                }
                return run();
            }
            if (c instanceof NoStreamException) {
                return recreateStream().thenCompose(x -> run());
            }
            return CompletableFuture.failedFuture(c);
        }
    }

    private static <T> void complete(CompletableFuture<T> f, T v, Throwable e) {
        if (e != null) {
            f.completeExceptionally(JetStreamOps.unwrap(e));
        } else {
            f.complete(v);
        }
    }

    private CompletableFuture<WriterState> loadState(String channel) {
        return js.last(config.streamName(), subjects.history(channel)).thenApply(m -> {
            if (m == null) {
                return new WriterState(null, 0, 0);
            }
            String epoch = m.header(H_EPOCH);
            if (epoch == null || epoch.isEmpty()) {
                throw new MalformedMessageException("history of '" + channel + "' ends with message " + m.seq()
                        + " that Chorus did not write (no " + H_EPOCH + " header); remove the channel's history to go on");
            }
            return new WriterState(epoch, m.longHeader(H_OFFSET), m.seq());
        });
    }

    private void fanout(String channel, byte[] body) {
        try {
            nc.publish(subjects.fanout(channel), body);
        } catch (RuntimeException e) {
            // stored anyway: subscribed nodes read it from JetStream when they see the gap or reconnect
            log.warn("fan-out of a publication in '{}' failed: {}", channel, e.toString());
        }
    }

    /** Keeps the subject's physical size near its history size (JetStream keeps up to maxHistorySize). */
    private void maybeTrim(String channel, long offset, int size) {
        long keep = Math.max(size, KEEP_FOR_RETRIES);
        if (keep >= config.maxHistorySize() || offset % KEEP_FOR_RETRIES != 0) {
            return;
        }
        js.purge(config.streamName(), subjects.history(channel), keep).whenComplete((n, e) -> {
            if (e != null) {
                log.debug("trimming the history of '{}' failed: {}", channel, e.toString());
            }
        });
    }

    static String newEpoch() {
        // 48 random bits: a lost stream giving a channel the epoch a client still holds is a
        // one in 2^48 chance
        return String.format("%012x", ThreadLocalRandom.current().nextLong() & 0xffff_ffff_ffffL);
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    // ------------------------------------------------------------------ events

    @Override
    public CompletionStage<Void> publishEvent(String channel, ChannelEvent event) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(event, "event");
        String subject = subjects.fanout(channel);
        requireStarted();
        try {
            nc.publish(subject, WireCodec.encodeEvent(event));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return CompletableFuture.completedFuture(null);
    }

    // ------------------------------------------------------------------ subscriptions

    /**
     * {@inheritDoc}
     *
     * <p>Completes once the core subscription is in place and the channel's position is read; from
     * then on every publication with a higher offset is delivered.
     */
    @Override
    public CompletionStage<Void> subscribe(String channel) {
        Objects.requireNonNull(channel, "channel");
        String subject = subjects.fanout(channel);
        requireStarted();
        ChannelFeed created = null;
        ChannelFeed feed;
        synchronized (feeds) {
            feed = feeds.get(channel);
            if (feed == null) {
                feed = new ChannelFeed(this, channel);
                feeds.put(channel, feed);
                created = feed;
            }
        }
        if (created != null) {
            ChannelFeed f = created;
            f.subscription = dispatcher.subscribe(subject, f::onMessage);
            // the SUB went out before this request on the same connection, so the server routes
            // every fan-out sent after the position we read to us
            history(channel, HistoryQuery.position()).whenComplete((h, e) -> {
                if (e != null) {
                    synchronized (feeds) {
                        feeds.remove(channel, f);
                    }
                    f.close();
                    f.ready.completeExceptionally(JetStreamOps.unwrap(e));
                } else {
                    f.start(h.position());
                }
            });
        }
        return feed.ready;
    }

    @Override
    public CompletionStage<Void> unsubscribe(String channel) {
        Objects.requireNonNull(channel, "channel");
        ChannelFeed f;
        synchronized (feeds) {
            f = feeds.remove(channel);
        }
        if (f != null) {
            f.close();
        }
        return CompletableFuture.completedFuture(null);
    }

    void unsubscribeCore(io.nats.client.Subscription sub) {
        Dispatcher d = dispatcher;
        if (sub != null && d != null && !closed) {
            try {
                d.unsubscribe(sub);
            } catch (RuntimeException e) {
                log.debug("unsubscribe failed: {}", e.toString());
            }
        }
    }

    BrokerEventHandler handler() {
        return handler;
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    Duration gapTimeout() {
        return config.gapTimeout();
    }

    /** Channels this node is subscribed to (for tests and metrics). */
    public int subscriptionCount() {
        return feeds.size();
    }

    // ------------------------------------------------------------------ history

    /**
     * {@inheritDoc}
     *
     * <p>Reading an empty channel stores an epoch marker for it, so that its first publication
     * comes in the epoch reported here.
     */
    @Override
    public CompletionStage<HistoryResult> history(String channel, HistoryQuery query) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(query, "query");
        String subject = subjects.history(channel);
        requireStarted();
        return history(channel, subject, query, 0);
    }

    private CompletableFuture<HistoryResult> history(String channel, String subject, HistoryQuery query, int attempt) {
        return js.last(config.streamName(), subject).thenCompose(last -> {
            if (last == null) {
                if (attempt >= 10) {
                    throw new IllegalStateException("could not fix an epoch for the empty channel '" + channel + "'");
                }
                return writeMarker(channel, subject).thenCompose(x -> history(channel, subject, query, attempt + 1));
            }
            return read(channel, subject, last, query);
        }).exceptionallyCompose(err -> {
            Throwable c = JetStreamOps.unwrap(err);
            if (c instanceof NoStreamException && attempt < 10) {
                return recreateStream().thenCompose(x -> history(channel, subject, query, attempt + 1));
            }
            return CompletableFuture.failedFuture(c);
        });
    }

    private CompletableFuture<Void> writeMarker(String channel, String subject) {
        Headers h = new Headers();
        h.put(EXPECTED_LAST_SUBJECT_SEQ, "0");
        h.put(H_KIND, KIND_MARKER);
        h.put(H_EPOCH, newEpoch());
        h.put(H_OFFSET, "0");
        h.put(H_SIZE, "0");
        return js.publish(subject, h, new byte[0]).handle((ack, err) -> {
            if (err != null && !JetStreamOps.isApiError(err, JetStreamOps.WRONG_LAST_SEQUENCE)) {
                // losing the race to another writer is fine: its epoch is the one read next
                throw new CompletionException(JetStreamOps.unwrap(err));
            }
            return null;
        });
    }

    private CompletableFuture<HistoryResult> read(String channel, String subject, StoredMessage last, HistoryQuery query) {
        String epoch = last.header(H_EPOCH);
        if (epoch == null || epoch.isEmpty()) {
            return CompletableFuture.failedFuture(new MalformedMessageException("history of '" + channel + "' ends with message "
                    + last.seq() + " that Chorus did not write (no " + H_EPOCH + " header)"));
        }
        long newest = last.longHeader(H_OFFSET);
        StreamPosition position = new StreamPosition(newest, epoch);
        long size = last.longHeader(H_SIZE, 0);
        StreamPosition since = query.since();
        long after = since != null && since.epoch().equals(epoch) ? Math.max(0, since.offset()) : 0;
        // the newest publication's history size decides what is kept
        long from = Math.max(after, newest - size);
        if (query.limit() == 0 || from >= newest) {
            return CompletableFuture.completedFuture(new HistoryResult(position, List.of()));
        }
        long now = clock.millis();
        if (from == newest - 1) {
            // only the newest is wanted, and it is already here
            Publication p = decodeStored(channel, last, now);
            return CompletableFuture.completedFuture(new HistoryResult(position, p == null ? List.of() : List.of(p)));
        }
        long lastSeq = last.seq();
        StreamContext sc = streamContext;
        return CompletableFuture.supplyAsync(() -> {
            try {
                return JetStreamOps.readAll(sc, subject, DeliverPolicy.All, lastSeq);
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                throw new CompletionException(e);
            }
        }, io).thenApply(msgs -> {
            List<Publication> pubs = new ArrayList<>();
            for (StoredMessage m : msgs) {
                if (KIND_MARKER.equals(m.header(H_KIND)) || !epoch.equals(m.header(H_EPOCH))) {
                    continue;
                }
                long off = m.longHeader(H_OFFSET, -1);
                if (off <= from || off > newest) {
                    continue;
                }
                Publication p = decodeStored(channel, m, now);
                if (p != null) {
                    pubs.add(p);
                }
            }
            return new HistoryResult(position, select(pubs, query));
        });
    }

    private static List<Publication> select(List<Publication> pubs, HistoryQuery query) {
        int limit = query.limit() < 0 ? Integer.MAX_VALUE : query.limit();
        if (!query.reverse()) {
            return pubs.size() <= limit ? pubs : pubs.subList(0, limit);
        }
        List<Publication> out = new ArrayList<>(pubs.subList(Math.max(0, pubs.size() - limit), pubs.size()));
        Collections.reverse(out);
        return out;
    }

    /** The publication in a stored message, or {@code null} when it expired, is a marker, or is broken. */
    private static Publication decodeStored(String channel, StoredMessage m, long now) {
        if (KIND_MARKER.equals(m.header(H_KIND))) {
            return null;
        }
        try {
            long expires = m.longHeader(H_EXPIRES, 0);
            if (expires != 0 && expires <= now) {
                return null;
            }
            Publication p = WireCodec.decode(m.data()).publication();
            if (p == null) {
                throw new MalformedMessageException("not a publication");
            }
            return p;
        } catch (MalformedMessageException e) {
            log.warn("skipping stored message {} of '{}': {}", m.seq(), channel, e.getMessage());
            return null;
        }
    }

    @Override
    public CompletionStage<Void> removeHistory(String channel) {
        Objects.requireNonNull(channel, "channel");
        String subject = subjects.history(channel);
        requireStarted();
        return writers.submit(channel, () -> js.purge(config.streamName(), subject, 0).handle((n, err) -> {
            writerStates.remove(channel);
            if (err != null && !(JetStreamOps.unwrap(err) instanceof NoStreamException)) {
                throw new CompletionException(JetStreamOps.unwrap(err));
            }
            return null;
        }));
    }

    // ------------------------------------------------------------------ lifecycle

    /** Stops delivery, closes the connection and this broker's threads. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        handler = null;
        synchronized (feeds) {
            for (ChannelFeed f : feeds.values()) {
                f.close();
            }
            feeds.clear();
        }
        Connection c = nc;
        if (c != null) {
            try {
                c.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        timer.shutdownNow();
        io.shutdownNow();
    }
}
