package dev.chorus.redis;

import dev.chorus.core.broker.Broker;
import dev.chorus.core.broker.BrokerEventHandler;
import dev.chorus.core.broker.ChannelEvent;
import dev.chorus.core.broker.HistoryQuery;
import dev.chorus.core.broker.HistoryResult;
import dev.chorus.core.broker.PublishOptions;
import dev.chorus.core.broker.PublishResult;
import dev.chorus.protocol.ClientInfo;
import dev.chorus.protocol.Payload;
import dev.chorus.protocol.Publication;
import dev.chorus.protocol.StreamPosition;
import dev.chorus.redis.internal.Keys;
import dev.chorus.redis.internal.Lettuce;
import dev.chorus.redis.internal.Script;
import dev.chorus.redis.internal.WireFormat;
import dev.chorus.redis.internal.WireFormatException;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Broker} over Redis, for several Chorus nodes sharing one Redis: history in a Redis
 * Stream per channel, offsets and epoch in a hash beside it, fan-out between nodes over (sharded)
 * Pub/Sub. {@code docs/architecture.md}, section "Redis broker", describes keys, scripts and
 * outage behaviour.
 *
 * <p><b>Atomic per channel.</b> A publish is one Lua script ({@code publish.lua}): idempotency
 * check, next offset, {@code XADD} with {@code MAXLEN}, expiry of keys, then {@code SPUBLISH}.
 * Redis runs scripts one at a time, so offsets have no gaps, a publication is in history before any
 * node hears of it, and every node hears a channel's publications in offset order.
 *
 * <p><b>Epochs.</b> The epoch lives in the meta hash and is created by the script that finds it
 * missing (first publication or first history read, or after Redis lost the keys: restart without
 * persistence, {@code FLUSHALL}, expiry), from the Redis clock in microseconds plus a random
 * suffix: a lost stream never gets an epoch it had before, so clients holding old positions are
 * told to resync.
 *
 * <p><b>Delivery.</b> A {@link ChannelFeed} per subscribed channel orders what Pub/Sub brings and
 * fills gaps from history: after a Pub/Sub reconnect every channel is subscribed again and the
 * publications missed meanwhile are read from history and delivered, in order, before any live
 * one. Events (join, leave, presence, signals) travel over the same Pub/Sub channel and are not
 * stored; while Redis is unreachable they are lost.
 *
 * <p><b>Outage.</b> Lettuce reconnects by itself (exponential back-off with jitter). While
 * disconnected every operation fails at once with a {@link RedisBrokerException} (nothing is
 * queued); a command in flight when the connection dropped fails and is not replayed, so a publish
 * is never executed twice by the client library.
 *
 * <p>Non-blocking: only Lettuce's asynchronous API is used and the handler is called on Lettuce's
 * threads, so it must not block (as {@link BrokerEventHandler} requires anyway).
 */
public final class RedisBroker implements Broker {
    private static final Logger log = LoggerFactory.getLogger(RedisBroker.class);
    private static final Script PUBLISH = Script.load("publish");
    private static final Script HISTORY = Script.load("history");
    private static final long RETRY_MILLIS = 500;

    private final RedisConfig config;
    private final Keys keys;
    private final Clock clock;
    private final ConcurrentHashMap<String, ChannelFeed> feeds = new ConcurrentHashMap<>();
    private final AtomicLong malformed = new AtomicLong();
    private final byte[] metaTtl;
    private final byte[] maxKeys;
    private ClientResources resources;
    private RedisClient client;
    private volatile StatefulRedisConnection<String, byte[]> connection;
    private volatile StatefulRedisPubSubConnection<String, byte[]> pubSub;
    private volatile boolean sharded;
    private volatile BrokerEventHandler handler;
    private volatile boolean closed;
    private boolean started;

    private RedisBroker(RedisConfig config, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.keys = new Keys(config.keyPrefix());
        this.metaTtl = Script.arg(config.streamMetaTtl().toMillis());
        this.maxKeys = Script.arg(config.maxIdempotencyKeys());
    }

    /** A broker for {@code config}; nothing connects before {@link #start}. */
    public static RedisBroker create(RedisConfig config) {
        return new RedisBroker(config, Clock.systemUTC());
    }

    /**
     * Connects (a command connection and a Pub/Sub connection) and decides between sharded and
     * classic Pub/Sub. Fails with a {@link RedisBrokerException} when Redis cannot be reached, or
     * when sharded Pub/Sub is required and the server is older than Redis 7.
     *
     * @throws IllegalStateException when already started
     */
    @Override
    public CompletionStage<Void> start(BrokerEventHandler handler) {
        Objects.requireNonNull(handler, "handler");
        synchronized (this) {
            if (started) {
                throw new IllegalStateException("broker already started");
            }
            if (closed) {
                throw new IllegalStateException("broker closed");
            }
            started = true;
            this.handler = handler;
            resources = Lettuce.resources(config);
            client = Lettuce.client(config, resources);
        }
        var uri = Lettuce.uri(config);
        CompletableFuture<StatefulRedisConnection<String, byte[]>> commands = client.connectAsync(Lettuce.CODEC, uri).toCompletableFuture();
        CompletableFuture<StatefulRedisPubSubConnection<String, byte[]>> subs = client.connectPubSubAsync(Lettuce.CODEC, uri).toCompletableFuture();
        CompletionStage<Void> ready = commands.thenCombine(subs, (c, s) -> {
            connection = c;
            pubSub = s;
            s.addListener(new Listener());
            s.addListener(new ConnectionWatch());
            return c;
        }).thenCompose(c -> c.async().info("server")).thenAccept(info -> {
            int major = majorVersion(info);
            sharded = switch (config.pubSubMode()) {
                case CLASSIC -> false;
                case AUTO -> major >= 7;
                case SHARDED -> {
                    if (major < 7) {
                        throw new RedisBrokerException("sharded Pub/Sub needs Redis 7 or newer; " + config.redactedUri() + " runs " + major, null, false);
                    }
                    yield true;
                }
            };
            log.info("Redis broker connected to {} (Redis {}, {} Pub/Sub, key prefix {})", config.redactedUri(), major,
                    sharded ? "sharded" : "classic", config.keyPrefix());
        });
        return Failures.explain(ready, "starting the Redis broker", config.redactedUri()).whenComplete((v, e) -> {
            if (e != null) {
                close();
            }
        });
    }

    static int majorVersion(String info) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("redis_version:")) {
                String v = line.substring("redis_version:".length()).trim();
                int dot = v.indexOf('.');
                try {
                    return Integer.parseInt(dot < 0 ? v : v.substring(0, dot));
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    private RedisAsyncCommands<String, byte[]> redis() {
        StatefulRedisConnection<String, byte[]> c = connection;
        if (c == null) {
            throw new IllegalStateException(closed ? "broker closed" : "broker not started");
        }
        return c.async();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Fails with a {@link RedisBrokerException} when Redis is unreachable or the connection
     * was lost mid-command (then the publication may or may not have been stored).
     */
    @Override
    public CompletionStage<PublishResult> publish(String channel, Payload data, ClientInfo publisher, PublishOptions options) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(options, "options");
        RedisAsyncCommands<String, byte[]> redis = redis();
        byte[] body = WireFormat.publicationBody(clock.millis(), data, publisher == null ? null : publisher.identity());
        String ps = keys.pubSub(channel);
        String what = "publishing to '" + channel + "'";
        if (options.historySize() == 0 && options.idempotencyKey() == null) {
            // nothing to store or check: a plain publish, no script
            byte[] msg = WireFormat.unpositionedMessage(body);
            CompletionStage<Long> sent = sharded ? redis.spublish(ps, msg) : redis.publish(ps, msg);
            return Failures.explain(sent.thenApply(n -> new PublishResult(new StreamPosition(0, ""), false)), what, config.redactedUri());
        }
        String[] k = {keys.stream(channel), keys.meta(channel), keys.idempotencyHash(channel), keys.idempotencyExpiry(channel)};
        CompletionStage<List<Object>> run = PUBLISH.run(redis, ScriptOutputType.MULTI, k,
                Script.arg(ps),
                body,
                Script.arg(options.historySize()),
                Script.arg(options.historyTtl().toMillis()),
                Script.arg(options.idempotencyKey() == null ? "" : options.idempotencyKey()),
                Script.arg(options.idempotencyWindow().toMillis()),
                Script.arg(epochSuffix()),
                metaTtl,
                Script.arg(sharded ? "SPUBLISH" : "PUBLISH"),
                maxKeys);
        return Failures.explain(run.thenApply(r -> {
            boolean duplicate = ((Long) r.get(0)) == 1L;
            long offset = (Long) r.get(1);
            String epoch = new String((byte[]) r.get(2), StandardCharsets.UTF_8);
            return new PublishResult(new StreamPosition(offset, epoch), duplicate);
        }), what, config.redactedUri());
    }

    @Override
    public CompletionStage<Void> publishEvent(String channel, ChannelEvent event) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(event, "event");
        RedisAsyncCommands<String, byte[]> redis = redis();
        byte[] msg = WireFormat.eventMessage(event);
        String ps = keys.pubSub(channel);
        CompletionStage<Long> sent = sharded ? redis.spublish(ps, msg) : redis.publish(ps, msg);
        return Failures.explain(sent.thenApply(n -> (Void) null), "publishing an event to '" + channel + "'", config.redactedUri());
    }

    /**
     * Subscribes this node's Pub/Sub connection to the channel. Completes once Redis confirmed the
     * subscription, so every publication after that reaches the handler.
     */
    @Override
    public CompletionStage<Void> subscribe(String channel) {
        Objects.requireNonNull(channel, "channel");
        redis();
        ChannelFeed fresh = new ChannelFeed(channel, feedHost, config.maxBufferedPerChannel());
        ChannelFeed existing = feeds.putIfAbsent(channel, fresh);
        ChannelFeed feed = existing == null ? fresh : existing;
        CompletionStage<Void> done = subscribeCommand(List.of(keys.pubSub(channel))).thenRun(() -> {
            if (existing == null) {
                // before the caller learns it is subscribed, so the feed's position read reaches
                // Redis ahead of any history read the caller makes next
                feed.init();
            }
        });
        return Failures.explain(done, "subscribing to '" + channel + "'", config.redactedUri()).whenComplete((v, e) -> {
            if (e != null && existing == null && feeds.remove(channel, fresh)) {
                fresh.close();
            }
        });
    }

    /** Stops delivery at once; the Pub/Sub unsubscribe follows (a failure of it is only logged). */
    @Override
    public CompletionStage<Void> unsubscribe(String channel) {
        Objects.requireNonNull(channel, "channel");
        redis();
        ChannelFeed feed = feeds.remove(channel);
        if (feed != null) {
            feed.close();
        }
        StatefulRedisPubSubConnection<String, byte[]> s = pubSub;
        CompletionStage<Void> sent;
        try {
            sent = sharded ? s.async().sunsubscribe(keys.pubSub(channel)) : s.async().unsubscribe(keys.pubSub(channel));
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        return sent.handle((v, e) -> {
            if (e != null) {
                // nothing is delivered for the channel any more; after a reconnect it is not resubscribed
                log.debug("unsubscribe from {} not confirmed: {}", channel, e.toString());
            }
            return null;
        });
    }

    private CompletionStage<Void> subscribeCommand(List<String> pubSubChannels) {
        String[] names = pubSubChannels.toArray(new String[0]);
        try {
            StatefulRedisPubSubConnection<String, byte[]> s = pubSub;
            return sharded ? s.async().ssubscribe(names) : s.async().subscribe(names);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Position and publications are read by one script, so the position is never older than
     * the publications returned. A stored entry that cannot be decoded is logged and left out (the
     * engine then sees a gap and reports {@code recovered: false}).
     */
    @Override
    public CompletionStage<HistoryResult> history(String channel, HistoryQuery query) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(query, "query");
        return Failures.explain(read(channel, query), "reading the history of '" + channel + "'", config.redactedUri());
    }

    private CompletionStage<HistoryResult> read(String channel, HistoryQuery query) {
        StreamPosition since = query.since();
        CompletionStage<List<Object>> run = HISTORY.run(redis(), ScriptOutputType.MULTI,
                new String[] {keys.stream(channel), keys.meta(channel)},
                Script.arg(since == null ? -1 : since.offset()),
                Script.arg(since == null ? "" : since.epoch()),
                Script.arg(query.limit() < 0 ? -1 : query.limit()),
                Script.arg(query.reverse() ? "1" : "0"),
                Script.arg(epochSuffix()),
                metaTtl);
        return run.thenApply(r -> {
            long top = (Long) r.get(0);
            String epoch = new String((byte[]) r.get(1), StandardCharsets.UTF_8);
            List<Publication> pubs = new ArrayList<>((r.size() - 2) / 2);
            for (int i = 2; i + 1 < r.size(); i += 2) {
                String id = new String((byte[]) r.get(i), StandardCharsets.US_ASCII);
                try {
                    long offset = Long.parseLong(id.substring(0, id.indexOf('-')));
                    pubs.add(WireFormat.decodeBody(offset, epoch, (byte[]) r.get(i + 1)));
                } catch (WireFormatException | RuntimeException e) {
                    log.error("channel {}: stored publication {} cannot be decoded and is skipped: {}", channel, id, e.getMessage());
                }
            }
            return new HistoryResult(new StreamPosition(top, epoch), pubs);
        });
    }

    /** Deletes the channel's stream, offset, epoch and idempotency keys; the next publication starts a new epoch. */
    @Override
    public CompletionStage<Void> removeHistory(String channel) {
        Objects.requireNonNull(channel, "channel");
        CompletionStage<Long> del = redis().del(keys.stream(channel), keys.meta(channel), keys.idempotencyHash(channel), keys.idempotencyExpiry(channel));
        return Failures.explain(del.thenApply(n -> (Void) null), "removing the history of '" + channel + "'", config.redactedUri());
    }

    /** Messages on this node's Pub/Sub channels that were not in the wire format and were dropped. */
    public long malformedMessages() {
        return malformed.get();
    }

    /** Whether sharded Pub/Sub is used (known once started). */
    public boolean sharded() {
        return sharded;
    }

    /** The configuration this broker was created with. */
    public RedisConfig config() {
        return config;
    }

    /** Closes the connections without waiting; delivery stops at once. */
    @Override
    public void close() {
        closeAsync();
    }

    /** Like {@link #close()}, completing once the connections and threads are released. */
    public CompletionStage<Void> closeAsync() {
        RedisClient c;
        ClientResources r;
        synchronized (this) {
            if (closed) {
                return CompletableFuture.completedFuture(null);
            }
            closed = true;
            handler = null;
            c = client;
            r = resources;
        }
        feeds.values().forEach(ChannelFeed::close);
        feeds.clear();
        if (c == null) {
            return CompletableFuture.completedFuture(null);
        }
        return c.shutdownAsync(0, 2, TimeUnit.SECONDS).thenCompose(v -> toStage(r.shutdown(0, 2, TimeUnit.SECONDS)));
    }

    private static CompletionStage<Void> toStage(io.netty.util.concurrent.Future<?> f) {
        CompletableFuture<Void> out = new CompletableFuture<>();
        f.addListener(x -> out.complete(null));
        return out;
    }

    private static String epochSuffix() {
        return String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
    }

    private void onMessage(String pubSubChannel, byte[] message) {
        String channel = keys.channelOfPubSub(pubSubChannel);
        ChannelFeed feed = channel == null ? null : feeds.get(channel);
        if (feed == null) {
            return;
        }
        WireFormat.Message m;
        try {
            m = WireFormat.decodeMessage(message);
        } catch (WireFormatException | RuntimeException e) {
            malformed.incrementAndGet();
            log.warn("dropped a malformed message ({} bytes) on {}: {}", message.length, pubSubChannel, e.getMessage());
            return;
        }
        if (m instanceof WireFormat.PublicationMessage p) {
            feed.onLive(p.publication());
        } else {
            ChannelEvent event = ((WireFormat.EventMessage) m).event();
            BrokerEventHandler h = handler;
            if (h != null) {
                try {
                    h.onEvent(channel, event);
                } catch (RuntimeException e) {
                    log.error("handler failed on {} in {}", event.getClass().getSimpleName(), channel, e);
                }
            }
        }
    }

    private final ChannelFeed.Host feedHost = new ChannelFeed.Host() {
        @Override
        public CompletionStage<HistoryResult> read(String channel, StreamPosition since) {
            return RedisBroker.this.read(channel, since == null ? HistoryQuery.position() : new HistoryQuery(since, -1, false));
        }

        @Override
        public void deliver(String channel, Publication publication) {
            BrokerEventHandler h = handler;
            if (h == null) {
                return;
            }
            try {
                h.onPublication(channel, publication);
            } catch (RuntimeException e) {
                log.error("handler failed on publication {} in {}", publication.offset(), channel, e);
            }
        }

        @Override
        public void retryLater(Runnable task) {
            if (!closed) {
                resources.eventExecutorGroup().schedule(() -> {
                    if (!closed) {
                        task.run();
                    }
                }, RETRY_MILLIS, TimeUnit.MILLISECONDS);
            }
        }
    };

    /** Subscribes every channel again after the Pub/Sub connection came back, then lets the feeds catch up. */
    private void resubscribeAll() {
        if (closed) {
            return;
        }
        List<String> channels = new ArrayList<>(feeds.keySet());
        if (channels.isEmpty()) {
            return;
        }
        List<String> names = new ArrayList<>(channels.size());
        channels.forEach(ch -> names.add(keys.pubSub(ch)));
        subscribeCommand(names).whenComplete((v, e) -> {
            if (e != null) {
                log.warn("resubscribing {} channels after a reconnect failed ({}); retrying", channels.size(), e.toString());
                feedHost.retryLater(this::resubscribeAll);
                return;
            }
            log.info("resubscribed {} channels after a Redis reconnect; catching up from history", channels.size());
            for (ChannelFeed f : feeds.values()) {
                f.resume();
            }
        });
    }

    private final class Listener extends RedisPubSubAdapter<String, byte[]> {
        @Override
        public void message(String channel, byte[] message) {
            onMessage(channel, message);
        }

        @Override
        public void smessage(String shardChannel, byte[] message) {
            onMessage(shardChannel, message);
        }
    }

    private final class ConnectionWatch implements RedisConnectionStateListener {
        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
            if (closed) {
                return;
            }
            log.warn("Redis Pub/Sub connection to {} lost; subscribed channels wait and catch up from history once it is back", config.redactedUri());
            for (ChannelFeed f : feeds.values()) {
                f.suspend();
            }
        }

        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress socketAddress) {
            if (closed) {
                return;
            }
            // Lettuce resubscribes too, but only for what it tracked; ours is the authoritative set,
            // and the catch-up must wait for the subscription to be confirmed
            resources.eventExecutorGroup().execute(RedisBroker.this::resubscribeAll);
        }
    }
}
