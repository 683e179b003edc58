package dev.chorus.redis;

import dev.chorus.core.presence.PresenceStats;
import dev.chorus.core.presence.PresenceStore;
import dev.chorus.protocol.ClientInfo;
import dev.chorus.redis.internal.Keys;
import dev.chorus.redis.internal.Lettuce;
import dev.chorus.redis.internal.Script;
import dev.chorus.redis.internal.WireFormat;
import dev.chorus.redis.internal.WireFormatException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link PresenceStore} in Redis, shared by the nodes of a cluster. Per channel a hash from
 * client id to {@code "<clock> <ClientInfo JSON>"} and a sorted set of the entries' expiry times
 * (Redis clock, milliseconds). Every operation is one Lua script, so last-writer-wins compares
 * clocks atomically with the write; expired entries are invisible at once and deleted lazily by
 * later puts and reads (a crashed node's clients thus vanish after their TTL), and both keys
 * carry a key expiry of the longest TTL put, so an idle channel leaves nothing behind.
 *
 * <p>The connection is opened in the background by {@link #create}; operations wait for it
 * without blocking, and a failed connect is tried again by the next operation. Failures are
 * {@link RedisBrokerException}s naming the operation and the cause.
 */
public final class RedisPresenceStore implements PresenceStore {
    private static final Logger log = LoggerFactory.getLogger(RedisPresenceStore.class);
    private static final Script PUT = Script.load("presence_put");
    private static final Script GET = Script.load("presence_get");
    private static final Script REMOVE = Script.load("presence_remove");

    private final RedisConfig config;
    private final Keys keys;
    private final ClientResources resources;
    private final RedisClient client;
    private CompletableFuture<StatefulRedisConnection<String, byte[]>> connection;
    private boolean closed;

    private RedisPresenceStore(RedisConfig config) {
        this.config = config;
        this.keys = new Keys(config.keyPrefix());
        this.resources = Lettuce.resources(config);
        this.client = Lettuce.client(config, resources);
        this.connection = connect();
    }

    /** A store for {@code config}; connects in the background. */
    public static RedisPresenceStore create(RedisConfig config) {
        return new RedisPresenceStore(Objects.requireNonNull(config, "config"));
    }

    private CompletableFuture<StatefulRedisConnection<String, byte[]>> connect() {
        return client.connectAsync(Lettuce.CODEC, Lettuce.uri(config)).toCompletableFuture();
    }

    /** The connection, or a fresh attempt when the last one failed. */
    private synchronized CompletableFuture<StatefulRedisConnection<String, byte[]>> connection() {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("presence store closed"));
        }
        if (connection.isCompletedExceptionally()) {
            connection = connect();
        }
        return connection;
    }

    private <T> CompletionStage<T> run(String what, Function<RedisAsyncCommands<String, byte[]>, CompletionStage<T>> op) {
        return Failures.explain(connection().thenCompose(c -> op.apply(c.async())), what, config.redactedUri());
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when {@code ttl} is not positive (nothing is stored)
     */
    @Override
    public CompletionStage<Boolean> put(String channel, ClientInfo info, Duration ttl) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isZero() || ttl.isNegative()) {
            throw new IllegalArgumentException("presence ttl must be positive, got " + ttl);
        }
        byte[] entry = WireFormat.presenceEntry(info);
        String[] k = {keys.presence(channel), keys.presenceExpiry(channel)};
        return run("putting presence of '" + info.client() + "' in '" + channel + "'", redis -> PUT.<Long>run(redis, ScriptOutputType.INTEGER, k,
                Script.arg(info.client()), Script.arg(info.clock()), entry, Script.arg(Math.max(1, ttl.toMillis())))
                .thenApply(n -> n == 1L));
    }

    @Override
    public CompletionStage<Boolean> remove(String channel, String clientId) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(clientId, "clientId");
        String[] k = {keys.presence(channel), keys.presenceExpiry(channel)};
        return run("removing presence of '" + clientId + "' from '" + channel + "'", redis -> REMOVE.<Long>run(redis, ScriptOutputType.INTEGER, k,
                Script.arg(clientId)).thenApply(n -> n == 1L));
    }

    /** {@inheritDoc} An entry that cannot be decoded is logged and left out. */
    @Override
    public CompletionStage<Map<String, ClientInfo>> get(String channel) {
        Objects.requireNonNull(channel, "channel");
        String[] k = {keys.presence(channel), keys.presenceExpiry(channel)};
        return run("reading presence of '" + channel + "'", redis -> GET.<List<Object>>run(redis, ScriptOutputType.MULTI, k)
                .thenApply(values -> {
                    Map<String, ClientInfo> out = new LinkedHashMap<>();
                    for (Object v : values) {
                        try {
                            ClientInfo info = WireFormat.decodePresenceEntry((byte[]) v);
                            out.put(info.client(), info);
                        } catch (WireFormatException | RuntimeException e) {
                            log.error("presence entry in {} cannot be decoded and is skipped: {}", channel, e.getMessage());
                        }
                    }
                    return out;
                }));
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

    /** Closes the connection without waiting. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        client.shutdownAsync(0, 2, TimeUnit.SECONDS).whenComplete((v, e) -> resources.shutdown(0, 2, TimeUnit.SECONDS));
    }
}
