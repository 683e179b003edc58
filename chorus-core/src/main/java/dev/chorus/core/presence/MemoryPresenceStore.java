package dev.chorus.core.presence;

import dev.chorus.core.internal.NamedThreadFactory;
import dev.chorus.protocol.ClientInfo;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single-node {@link PresenceStore}. Channels are independent entries of a concurrent map, each
 * guarded by its own monitor, so updates in different channels never wait for each other. Expired
 * entries are invisible at once, removed on the next read of their channel (not on writes, which
 * stay constant-time), and by a sweep every {@value #SWEEP_SECONDS} seconds that also forgets
 * empty channels. Every method does its work on the caller's thread and returns an already
 * completed stage.
 *
 * <p>Last-writer-wins compares clocks with the entry stored now: once an entry expired or was
 * removed, any clock is accepted again (a rejoining client starts its clock over).
 */
public final class MemoryPresenceStore implements PresenceStore {
    private static final Logger log = LoggerFactory.getLogger(MemoryPresenceStore.class);
    private static final int SWEEP_SECONDS = 5;
    private final ConcurrentHashMap<String, Map<String, Entry>> channels = new ConcurrentHashMap<>();
    private final Clock clock;
    private final ScheduledExecutorService sweeper;

    private record Entry(ClientInfo info, long expiresAt) {
    }

    public MemoryPresenceStore() {
        this(Clock.systemUTC());
    }

    /** A store reading time from {@code clock} (for tests). */
    public MemoryPresenceStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sweeper = Executors.newSingleThreadScheduledExecutor(new NamedThreadFactory("chorus-memory-presence"));
        sweeper.scheduleWithFixedDelay(this::sweepQuietly, SWEEP_SECONDS, SWEEP_SECONDS, TimeUnit.SECONDS);
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
        long now = clock.millis();
        long expiresAt = saturatedAdd(now, ttl.toMillis());
        while (true) {
            Map<String, Entry> m = channels.computeIfAbsent(channel, k -> new HashMap<>());
            synchronized (m) {
                if (channels.get(channel) != m) {
                    continue;
                }
                Entry old = m.get(info.client());
                if (old != null && old.expiresAt > now && old.info.clock() > info.clock()) {
                    return CompletableFuture.completedFuture(false);
                }
                m.put(info.client(), new Entry(info, expiresAt));
                return CompletableFuture.completedFuture(true);
            }
        }
    }

    @Override
    public CompletionStage<Boolean> remove(String channel, String clientId) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(clientId, "clientId");
        Map<String, Entry> m = channels.get(channel);
        if (m == null) {
            return CompletableFuture.completedFuture(false);
        }
        long now = clock.millis();
        synchronized (m) {
            Entry old = m.remove(clientId);
            // an expired entry was already gone as far as get() could tell
            boolean had = old != null && old.expiresAt > now;
            if (m.isEmpty()) {
                channels.remove(channel, m);
            }
            return CompletableFuture.completedFuture(had);
        }
    }

    @Override
    public CompletionStage<Map<String, ClientInfo>> get(String channel) {
        return CompletableFuture.completedFuture(live(channel));
    }

    @Override
    public CompletionStage<PresenceStats> stats(String channel) {
        Map<String, ClientInfo> all = live(channel);
        Set<String> users = new HashSet<>();
        for (ClientInfo c : all.values()) {
            users.add(c.user());
        }
        return CompletableFuture.completedFuture(new PresenceStats(all.size(), users.size()));
    }

    private Map<String, ClientInfo> live(String channel) {
        Objects.requireNonNull(channel, "channel");
        Map<String, Entry> m = channels.get(channel);
        if (m == null) {
            return Map.of();
        }
        long now = clock.millis();
        Map<String, ClientInfo> out = new LinkedHashMap<>();
        synchronized (m) {
            m.values().removeIf(e -> e.expiresAt <= now);
            for (Map.Entry<String, Entry> e : m.entrySet()) {
                out.put(e.getKey(), e.getValue().info);
            }
        }
        return out;
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            // a failed sweep must not cancel the next ones
            log.error("presence sweep failed", e);
        }
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    /** Drops expired entries and empty channels. */
    void sweep() {
        long now = clock.millis();
        for (var e : channels.entrySet()) {
            Map<String, Entry> m = e.getValue();
            synchronized (m) {
                m.values().removeIf(x -> x.expiresAt <= now);
                if (m.isEmpty()) {
                    channels.remove(e.getKey(), m);
                }
            }
        }
    }

    /** Number of channels with entries (for tests and metrics). */
    int channelCount() {
        return channels.size();
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }
}
