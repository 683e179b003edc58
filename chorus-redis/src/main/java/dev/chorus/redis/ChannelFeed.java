package dev.chorus.redis;

import dev.chorus.core.broker.HistoryResult;
import dev.chorus.protocol.Publication;
import dev.chorus.protocol.StreamPosition;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One channel this node subscribed to: turns what Pub/Sub delivers (at most once, and nothing at
 * all while the connection is down) into the Broker contract's "every publication, in offset
 * order". It remembers the newest delivered position; a publication that does not follow it (a
 * message was lost) or a Pub/Sub reconnect makes it read the missed ones from the history in
 * Redis, buffering live publications meanwhile, and deliver them in order, dropping the ones it
 * already delivered. Only what history no longer has (trimmed or expired) is skipped, and the gap
 * in offsets then tells the engine's clients to recover by position.
 *
 * <p>Guarded by its own monitor; the handler is called holding it, from the Pub/Sub thread or the
 * thread completing a history read, never both at once.
 */
final class ChannelFeed {
    private static final Logger log = LoggerFactory.getLogger(ChannelFeed.class);

    /** What a feed needs from its broker. */
    interface Host {
        /** Position only ({@code since == null}) or everything after {@code since}. */
        CompletionStage<HistoryResult> read(String channel, StreamPosition since);

        void deliver(String channel, Publication publication);

        void retryLater(Runnable task);
    }

    private final String channel;
    private final Host host;
    private final int maxBuffered;
    private final ArrayDeque<Publication> pending = new ArrayDeque<>();
    /** Newest delivered position; {@code known} false until the first read of the position. */
    private String epoch;
    private long last;
    private boolean known;
    /**
     * Nothing delivered since the position was first read. That read runs on the command
     * connection and may already count publications whose Pub/Sub messages are still on their way
     * (another connection, another thread); they were published after the subscription, so the
     * first live one is delivered even when it is not after the position read.
     */
    private boolean fresh;
    /** A history read is outstanding (or waiting for its retry): live publications are buffered. */
    private boolean reading = true;
    /** The Pub/Sub connection is down: buffer until {@link #resume}. */
    private boolean suspended;
    /** Read history again once the current read is done (buffer overflowed, or reconnected meanwhile). */
    private boolean reread;
    private boolean closed;

    ChannelFeed(String channel, Host host, int maxBuffered) {
        this.channel = channel;
        this.host = host;
        this.maxBuffered = maxBuffered;
    }

    /** Called once subscribed: reads the starting position (publications arriving meanwhile wait). */
    synchronized void init() {
        startRead();
    }

    synchronized void onLive(Publication p) {
        if (closed) {
            return;
        }
        if (p.offset() == 0) {
            // no position, nothing to order against
            host.deliver(channel, p);
            return;
        }
        if (reading || suspended) {
            buffer(p);
            return;
        }
        if (!accept(p)) {
            log.info("channel {}: publication {} does not follow {}; reading the missed ones from history", channel, p.offset(), last);
            pending.addLast(p);
            startRead();
        }
    }

    /** The Pub/Sub connection dropped: whatever comes next waits for a catch-up. */
    synchronized void suspend() {
        log.debug("channel {}: suspend", channel);
        suspended = true;
    }

    /** Resubscribed after a reconnect: read what was published meanwhile, then go live again. */
    synchronized void resume() {
        log.debug("channel {}: resume (suspended {}, reading {})", channel, suspended, reading);
        if (closed || !suspended) {
            return;
        }
        suspended = false;
        if (reading) {
            reread = true;
        } else {
            startRead();
        }
    }

    synchronized void close() {
        closed = true;
        pending.clear();
    }

    /** Delivers {@code p} when it is the next one; {@code false} when there is a gap before it. */
    private boolean accept(Publication p) {
        if (fresh) {
            fresh = false;
            if (p.epoch().equals(epoch) && p.offset() <= last + 1) {
                last = p.offset() - 1;
            }
        }
        if (!p.epoch().equals(epoch)) {
            // the stream was lost and started over (or we never learnt the position)
            if (known) {
                log.warn("channel {}: epoch changed from {} to {}: the stream was lost in Redis", channel, epoch, p.epoch());
            }
            epoch = p.epoch();
            last = known ? 0 : p.offset() - 1;
            known = true;
        }
        if (p.offset() <= last) {
            return true;
        }
        if (p.offset() != last + 1) {
            return false;
        }
        deliver(p);
        return true;
    }

    private void deliver(Publication p) {
        last = p.offset();
        host.deliver(channel, p);
    }

    private void buffer(Publication p) {
        if (pending.size() >= maxBuffered) {
            // they are all in history: read them from there instead of holding them
            log.warn("channel {}: more than {} publications buffered during a catch-up; reading history again", channel, maxBuffered);
            pending.clear();
            reread = true;
        }
        pending.addLast(p);
    }

    private void startRead() {
        reading = true;
        StreamPosition since = known ? new StreamPosition(last, epoch) : null;
        log.debug("channel {}: reading history after {}", channel, since);
        CompletionStage<HistoryResult> read;
        try {
            read = host.read(channel, since);
        } catch (RuntimeException e) {
            read = CompletableFuture.failedFuture(e);
        }
        read.whenComplete((r, err) -> finishRead(since, r, err));
    }

    private synchronized void retry() {
        if (!closed) {
            startRead();
        }
    }

    private synchronized void finishRead(StreamPosition since, HistoryResult r, Throwable err) {
        if (closed) {
            return;
        }
        if (err != null) {
            // still "reading": live publications keep waiting, none is delivered out of order
            log.warn("channel {}: cannot read history ({}); retrying", channel, err.toString());
            host.retryLater(this::retry);
            return;
        }
        reading = false;
        StreamPosition pos = r.position();
        log.debug("channel {}: read {} publications up to {} (suspended {}, reread {}, {} buffered)", channel, r.publications().size(), pos, suspended, reread, pending.size());
        if (since == null) {
            epoch = pos.epoch();
            last = pos.offset();
            known = true;
            fresh = true;
        } else {
            fresh = false;
            if (!pos.epoch().equals(epoch)) {
                log.warn("channel {}: epoch changed from {} to {}: the stream was lost in Redis", channel, epoch, pos.epoch());
                epoch = pos.epoch();
                last = 0;
            }
            for (Publication p : r.publications()) {
                if (p.epoch().equals(epoch) && p.offset() > last) {
                    deliver(p);
                }
            }
        }
        if (suspended) {
            return;
        }
        if (reread) {
            reread = false;
            startRead();
            return;
        }
        drain();
    }

    /** Delivers the buffered publications after a read; a gap history could not fill is skipped. */
    private void drain() {
        while (!pending.isEmpty() && !reading) {
            Publication p = pending.pollFirst();
            if (!accept(p)) {
                log.warn("channel {}: publications {}..{} are no longer in history; skipping to {}", channel, last + 1, p.offset() - 1, p.offset());
                deliver(p);
            }
        }
    }

    /** For tests: the newest delivered position, or {@code null} before the first read. */
    synchronized StreamPosition position() {
        return known ? new StreamPosition(last, epoch) : null;
    }
}
