package dev.chorus.core.broker;

import dev.chorus.core.internal.NamedThreadFactory;
import dev.chorus.protocol.ClientInfo;
import dev.chorus.protocol.Payload;
import dev.chorus.protocol.Publication;
import dev.chorus.protocol.StreamPosition;
import java.time.Clock;
import java.util.List;
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
 * The single-node {@link Broker}: history in memory, delivery by direct call. Every method does its
 * work on the caller's thread and returns an <em>already completed</em> stage; the handler is
 * called on the publishing thread before {@code publish} returns.
 *
 * <p><b>Ordering.</b> Each channel has a {@link MemoryStream} with its own lock, under which a
 * publish assigns the next offset, stores the publication and calls the handler; publications of
 * one channel therefore reach the handler in offset order and only once they are readable from
 * history, and publishing to one channel never waits for another. A handler that throws is logged
 * and does not undo the publication.
 *
 * <p><b>Streams and epochs.</b> A channel's stream is created on first use (publish or history
 * read) with offset 0 and a random epoch, and keeps its epoch and offset for as long as it lives,
 * even when all its publications have expired: a channel that publishes again continues at the
 * next offset in the same epoch. A sweep every second drops expired entries, and drops a stream
 * that has nothing left (no live publication, no idempotency key), was idle for its longest TTL
 * (at least a minute) and is not subscribed on this node; the channel then starts over at offset 1
 * with a new epoch, so a client holding an old position is told it cannot recover.
 * {@link #removeHistory} drops the stream at once, with the same effect.
 *
 * <p><b>Without history.</b> A publication with {@code historySize == 0} is delivered with offset 0
 * and epoch {@code ""} and nothing is stored (only its idempotency key, if any).
 *
 * <p><b>Bounds.</b> History per channel is bounded by the publish options' size and TTL;
 * idempotency keys by their window and by {@value IdempotencyKeys#MAX_KEYS} per channel (the
 * oldest are forgotten first).
 */
public final class MemoryBroker implements Broker {
    private static final Logger log = LoggerFactory.getLogger(MemoryBroker.class);
    private static final long SWEEP_INTERVAL_MILLIS = 1_000;

    private final ConcurrentHashMap<String, MemoryStream> streams = new ConcurrentHashMap<>();
    private final Set<String> subscribed = ConcurrentHashMap.newKeySet();
    private final Clock clock;
    private final ScheduledExecutorService sweeper;
    private volatile BrokerEventHandler handler;
    private boolean started;

    public MemoryBroker() {
        this(Clock.systemUTC());
    }

    /** A broker reading time (publication times, TTLs, windows) from {@code clock}. */
    public MemoryBroker(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sweeper = Executors.newSingleThreadScheduledExecutor(new NamedThreadFactory("chorus-memory-broker"));
    }

    /**
     * Starts delivering to {@code handler} and the periodic sweep.
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
        sweeper.scheduleWithFixedDelay(this::sweepQuietly, SWEEP_INTERVAL_MILLIS, SWEEP_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<PublishResult> publish(String channel, Payload data, ClientInfo publisher, PublishOptions options) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(options, "options");
        long now = clock.millis();
        ClientInfo info = publisher == null ? null : publisher.identity();
        if (options.historySize() == 0 && options.idempotencyKey() == null) {
            // nothing to store or remember: no stream needed
            deliver(channel, new Publication(0, "", now, data, info));
            return CompletableFuture.completedFuture(new PublishResult(new StreamPosition(0, ""), false));
        }
        while (true) {
            MemoryStream s = stream(channel, now);
            synchronized (s) {
                if (s.dropped) {
                    continue;
                }
                s.touch(now);
                StreamPosition first = s.duplicateOf(options.idempotencyKey(), now);
                if (first != null) {
                    return CompletableFuture.completedFuture(new PublishResult(first, true));
                }
                Publication pub = options.historySize() == 0
                        ? new Publication(0, "", now, data, info)
                        : s.append(data, info, now, options.historySize(), options.historyTtl().toMillis());
                s.remember(options.idempotencyKey(), pub.position(), options.idempotencyWindow().toMillis(), now);
                // delivering under the stream's lock is what keeps each channel in offset order
                deliver(channel, pub);
                return CompletableFuture.completedFuture(new PublishResult(pub.position(), false));
            }
        }
    }

    private void deliver(String channel, Publication pub) {
        BrokerEventHandler h = handler;
        if (h == null || !subscribed.contains(channel)) {
            return;
        }
        try {
            h.onPublication(channel, pub);
        } catch (RuntimeException e) {
            log.error("handler failed on publication {} in {}", pub.offset(), channel, e);
        }
    }

    @Override
    public CompletionStage<Void> publishEvent(String channel, ChannelEvent event) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(event, "event");
        BrokerEventHandler h = handler;
        if (h != null && subscribed.contains(channel)) {
            try {
                h.onEvent(channel, event);
            } catch (RuntimeException e) {
                log.error("handler failed on {} in {}", event.getClass().getSimpleName(), channel, e);
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> subscribe(String channel) {
        subscribed.add(Objects.requireNonNull(channel, "channel"));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> unsubscribe(String channel) {
        subscribed.remove(Objects.requireNonNull(channel, "channel"));
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Reads history as {@link HistoryQuery} describes; with {@code reverse} and {@code since}, the
     * newest publications after {@code since}, newest first. Publications whose TTL has passed are
     * never returned, even before the sweep removes them. Reading counts as activity for the
     * sweep, so the epoch a reader sees is kept at least a minute.
     */
    @Override
    public CompletionStage<HistoryResult> history(String channel, HistoryQuery query) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(query, "query");
        long now = clock.millis();
        while (true) {
            MemoryStream s = stream(channel, now);
            synchronized (s) {
                if (s.dropped) {
                    continue;
                }
                s.touch(now);
                s.trim(now);
                StreamPosition since = query.since();
                // offsets start at 1, so "after 0" is everything (and no arithmetic can overflow)
                long after = since != null && since.epoch().equals(s.epoch) ? Math.max(0, since.offset()) : 0;
                List<Publication> pubs = s.select(after, query.limit(), query.reverse(), now);
                return CompletableFuture.completedFuture(new HistoryResult(s.position(), pubs));
            }
        }
    }

    @Override
    public CompletionStage<Void> removeHistory(String channel) {
        Objects.requireNonNull(channel, "channel");
        MemoryStream s = streams.remove(channel);
        if (s != null) {
            synchronized (s) {
                s.dropped = true;
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    private MemoryStream stream(String channel, long now) {
        MemoryStream s = streams.get(channel);
        return s != null ? s : streams.computeIfAbsent(channel, k -> new MemoryStream(now));
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            // a failed sweep must not cancel the next ones
            log.error("memory broker sweep failed", e);
        }
    }

    /**
     * Drops expired entries everywhere, and the streams that are {@linkplain MemoryStream#disposable
     * disposable} and that no local subscriber watches (a subscriber may hold their epoch even
     * before the first publication).
     */
    void sweep() {
        long now = clock.millis();
        for (var e : streams.entrySet()) {
            MemoryStream s = e.getValue();
            synchronized (s) {
                if (!subscribed.contains(e.getKey()) && s.disposable(now)) {
                    s.dropped = true;
                    streams.remove(e.getKey(), s);
                } else {
                    s.trim(now);
                }
            }
        }
    }

    /** Number of channels with a stream (for tests and metrics). */
    public int streamCount() {
        return streams.size();
    }

    /** Stops the sweep and delivery. */
    @Override
    public void close() {
        sweeper.shutdownNow();
        handler = null;
    }
}
