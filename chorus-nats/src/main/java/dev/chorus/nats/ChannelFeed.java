package dev.chorus.nats;

import dev.chorus.core.broker.BrokerEventHandler;
import dev.chorus.core.broker.ChannelEvent;
import dev.chorus.core.broker.HistoryQuery;
import dev.chorus.core.broker.HistoryResult;
import dev.chorus.nats.internal.JetStreamOps;
import dev.chorus.nats.internal.MalformedMessageException;
import dev.chorus.nats.internal.WireCodec;
import dev.chorus.protocol.Publication;
import dev.chorus.protocol.StreamPosition;
import io.nats.client.Message;
import io.nats.client.Subscription;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscribed channel on one node: turns the fan-out subject, where publications of several
 * publishers may arrive out of order (or not at all, across a disconnect), into delivery in offset
 * order without gaps or duplicates.
 *
 * <p>It delivers the offset after the last one delivered ({@code next}); later ones wait in
 * {@code pending}. A gap still open after the gap timeout, a publication of an unknown epoch, or a
 * reconnect makes it read the channel's history from JetStream after {@code next - 1} (one read at a
 * time, repeated when more was asked meanwhile). An epoch that JetStream no longer holds is retired,
 * so late publications of a lost stream are never delivered after the new one's.
 *
 * <p>Everything runs under the feed's monitor, handler calls included, which is what keeps them in
 * order; the handler must not block (its contract).
 */
final class ChannelFeed {
    private static final Logger log = LoggerFactory.getLogger(ChannelFeed.class);
    /** Out-of-order publications held before the feed stops waiting and reads history. */
    private static final int MAX_PENDING = 10_000;
    private static final int MAX_RETIRED = 16;

    private final NatsBroker broker;
    private final String channel;
    final CompletableFuture<Void> ready = new CompletableFuture<>();
    volatile Subscription subscription;

    // guarded by this
    private boolean started;
    private boolean closed;
    private String epoch;
    private long next = 1;
    private final TreeMap<Long, Publication> pending = new TreeMap<>();
    private final List<Publication> early = new ArrayList<>();
    private final List<Publication> foreign = new ArrayList<>();
    private final Set<String> retired = new LinkedHashSet<>();
    private boolean catchingUp;
    private boolean catchUpAgain;
    /** The last read failed: read again when the timer fires, even without a known gap. */
    private boolean retry;
    private ScheduledFuture<?> gapTimer;

    ChannelFeed(NatsBroker broker, String channel) {
        this.broker = broker;
        this.channel = channel;
    }

    /** Called on the dispatcher thread for every message on the fan-out subject. */
    void onMessage(Message m) {
        WireCodec.Frame f;
        try {
            f = WireCodec.decode(m.getData());
        } catch (MalformedMessageException e) {
            log.warn("dropped a malformed message on {}: {}", m.getSubject(), e.getMessage());
            return;
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            if (f.event() != null) {
                deliverEvent(f.event());
            } else {
                onPublication(f.publication());
            }
        }
    }

    /** The position read after subscribing: publications after it are delivered. */
    synchronized void start(StreamPosition position) {
        if (closed) {
            ready.complete(null);
            return;
        }
        started = true;
        epoch = position.epoch();
        next = position.offset() + 1;
        for (Publication p : early) {
            onPublication(p);
        }
        early.clear();
        ready.complete(null);
    }

    private void onPublication(Publication p) {
        if (p.offset() == 0) {
            // kept no history: nothing to order it against
            deliver(p);
            return;
        }
        if (!started) {
            early.add(p);
            return;
        }
        if (p.epoch().equals(epoch)) {
            if (p.offset() < next) {
                return;
            }
            if (p.offset() == next) {
                deliver(p);
                next++;
                drain();
            } else {
                pending.put(p.offset(), p);
                if (pending.size() > MAX_PENDING) {
                    requestCatchUpLocked();
                } else {
                    scheduleGapCheck();
                }
            }
        } else if (!retired.contains(p.epoch())) {
            if (foreign.size() < MAX_PENDING) {
                foreign.add(p);
            }
            requestCatchUpLocked();
        }
    }

    private void drain() {
        while (!pending.isEmpty()) {
            long first = pending.firstKey();
            if (first < next) {
                pending.pollFirstEntry();
            } else if (first == next) {
                deliver(pending.pollFirstEntry().getValue());
                next++;
            } else {
                return;
            }
        }
        cancelGapCheck();
    }

    private void scheduleGapCheck() {
        if (gapTimer == null && !catchingUp) {
            gapTimer = broker.timer().schedule(this::onGapTimeout, broker.gapTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void cancelGapCheck() {
        if (gapTimer != null) {
            gapTimer.cancel(false);
            gapTimer = null;
        }
    }

    private synchronized void onGapTimeout() {
        gapTimer = null;
        if (!closed && (retry || !pending.isEmpty() || !foreign.isEmpty())) {
            requestCatchUpLocked();
        }
    }

    /** Reads what this node may have missed from JetStream (after a reconnect, for instance). */
    synchronized void requestCatchUp() {
        if (started && !closed) {
            requestCatchUpLocked();
        }
    }

    private void requestCatchUpLocked() {
        if (catchingUp) {
            catchUpAgain = true;
            return;
        }
        catchingUp = true;
        cancelGapCheck();
        Set<String> judged = new HashSet<>();
        for (Publication p : foreign) {
            judged.add(p.epoch());
        }
        StreamPosition since = epoch == null ? null : new StreamPosition(next - 1, epoch);
        CompletableFuture<HistoryResult> read;
        try {
            read = broker.history(channel, new HistoryQuery(since, -1, false)).toCompletableFuture();
        } catch (RuntimeException e) {
            read = CompletableFuture.failedFuture(e);
        }
        read.whenComplete((h, e) -> caughtUp(h, e, judged));
    }

    private synchronized void caughtUp(HistoryResult h, Throwable err, Set<String> judged) {
        catchingUp = false;
        if (closed) {
            return;
        }
        if (err != null) {
            log.warn("catching up '{}' from JetStream failed, retrying: {}", channel, JetStreamOps.unwrap(err).toString());
            retry = true;
            catchUpAgain = false;
            gapTimer = broker.timer().schedule(this::onGapTimeout, Math.max(1000, broker.gapTimeout().toMillis()), TimeUnit.MILLISECONDS);
            return;
        }
        retry = false;
        String current = h.position().epoch();
        if (!current.equals(epoch)) {
            if (epoch != null) {
                retire(epoch);
                log.info("channel '{}' changed epoch {} -> {}: its stream was removed or lost", channel, epoch, current);
            }
            epoch = current;
            next = 1;
            pending.clear();
        }
        // a publication of another epoch that arrived before this read started is older than the
        // epoch the read found, or it would have found it
        List<Publication> keep = new ArrayList<>();
        for (Publication p : foreign) {
            if (p.epoch().equals(current)) {
                if (p.offset() >= next) {
                    pending.put(p.offset(), p);
                }
            } else if (judged.contains(p.epoch())) {
                retire(p.epoch());
            } else {
                keep.add(p);
            }
        }
        foreign.clear();
        foreign.addAll(keep);
        for (Publication p : h.publications()) {
            if (p.offset() < next) {
                continue;
            }
            if (p.offset() > next) {
                log.warn("channel '{}': offsets {}..{} are no longer in history; this node skips them", channel, next, p.offset() - 1);
            }
            deliver(p);
            next = p.offset() + 1;
        }
        drain();
        if (!pending.isEmpty() && pending.firstKey() <= h.position().offset()) {
            // the read covered the gap and did not have it: trimmed or expired, it is gone for everyone
            log.warn("channel '{}': offsets {}..{} are no longer in history; this node skips them", channel, next, pending.firstKey() - 1);
            next = pending.firstKey();
            drain();
        }
        if (catchUpAgain || !foreign.isEmpty()) {
            catchUpAgain = false;
            requestCatchUpLocked();
        } else if (!pending.isEmpty()) {
            scheduleGapCheck();
        }
    }

    private void retire(String e) {
        retired.add(e);
        if (retired.size() > MAX_RETIRED) {
            retired.remove(retired.iterator().next());
        }
    }

    private void deliver(Publication p) {
        BrokerEventHandler h = broker.handler();
        if (h == null) {
            return;
        }
        try {
            h.onPublication(channel, p);
        } catch (RuntimeException e) {
            log.error("handler failed on publication {} in {}", p.offset(), channel, e);
        }
    }

    private void deliverEvent(ChannelEvent e) {
        BrokerEventHandler h = broker.handler();
        if (h == null) {
            return;
        }
        try {
            h.onEvent(channel, e);
        } catch (RuntimeException ex) {
            log.error("handler failed on {} in {}", e.getClass().getSimpleName(), channel, ex);
        }
    }

    void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            cancelGapCheck();
            pending.clear();
            foreign.clear();
            early.clear();
        }
        broker.unsubscribeCore(subscription);
    }
}
