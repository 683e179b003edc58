package dev.chorus.core;

import dev.chorus.core.config.NamespaceConfig;
import dev.chorus.core.internal.EncodedPush;
import dev.chorus.protocol.Payload;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One client's subscription to one channel. Until the subscribe reply is written, deliveries are
 * buffered; {@link #goLive} writes the reply and then the buffered frames newer than the position
 * in the reply, so a subscriber sees every publication once, in order, with no gap between what the
 * reply covered and the live stream.
 */
final class Subscription {
    /** Deliveries buffered while the subscribe is in progress before the client is told to resubscribe. */
    static final int MAX_BUFFERED = 10_000;

    final Session session;
    final String channel;
    final NamespaceConfig namespace;
    final boolean joinLeave;

    private boolean live;
    private boolean dead;
    private List<Object[]> buffer = new ArrayList<>(0);
    private long lastOffset;
    /** The epoch of the stream the client is following (from the subscribe reply). */
    private String epoch;

    /** Presence of this client in the channel (guarded by the session's request order). */
    boolean inPresence;
    long presenceClock;
    Payload presenceState;

    /** Signal coalescing slots by key (created on first signal). */
    private Map<String, SignalSlot> signals;

    Subscription(Session session, String channel, NamespaceConfig namespace, boolean joinLeave) {
        this.session = session;
        this.channel = channel;
        this.namespace = namespace;
        this.joinLeave = joinLeave;
    }

    /** Delivers one frame; {@code offset} is the publication's offset, or 0 for events and unpositioned publications. */
    void deliver(long offset, EncodedPush push) {
        synchronized (this) {
            if (dead) {
                return;
            }
            if (!live) {
                if (buffer.size() >= MAX_BUFFERED) {
                    dead = true;
                    buffer = null;
                    session.overflowed(this);
                    return;
                }
                buffer.add(new Object[] {offset, push});
                return;
            }
            if (offset > 0) {
                if (epochChanged(push)) {
                    return;
                }
                if (offset <= lastOffset) {
                    return;
                }
                lastOffset = offset;
            }
            session.deliver(push);
        }
    }

    /**
     * A publication of another epoch: the stream the client followed was lost (broker flushed or
     * restarted). Offsets start again, so delivering on would drop or mix publications; the client
     * is told to resubscribe with its position instead and will hear {@code recovered: false}.
     * Called under the lock.
     */
    private boolean epochChanged(EncodedPush push) {
        if (epoch == null || epoch.isEmpty() || !(push.push() instanceof dev.chorus.protocol.Push.Pub p)
                || p.pub().epoch() == null || p.pub().epoch().isEmpty() || p.pub().epoch().equals(epoch)) {
            return false;
        }
        dead = true;
        buffer = null;
        session.streamLost(this);
        return true;
    }

    /**
     * Writes the subscribe reply (when not {@code null}), then the buffered frames after {@code position}, and switches to
     * live delivery. Returns false when the buffer overflowed meanwhile (the client was told to
     * resubscribe instead).
     */
    boolean goLive(byte[] reply, long positionOffset, String positionEpoch) {
        synchronized (this) {
            if (dead) {
                return false;
            }
            if (reply != null) {
                session.send(reply, dev.chorus.core.metrics.NodeMetrics.Out.REPLY);
            }
            lastOffset = positionOffset;
            epoch = positionEpoch;
            for (Object[] entry : buffer) {
                long offset = (Long) entry[0];
                if (offset > 0) {
                    if (epochChanged((EncodedPush) entry[1])) {
                        return false;
                    }
                    if (offset <= lastOffset) {
                        continue;
                    }
                    lastOffset = offset;
                }
                session.deliver((EncodedPush) entry[1]);
            }
            buffer = null;
            live = true;
            return true;
        }
    }

    /** Stops all delivery (unsubscribed or closed). */
    void kill() {
        synchronized (this) {
            dead = true;
            buffer = null;
            if (signals != null) {
                signals.values().forEach(SignalSlot::cancel);
            }
        }
    }

    synchronized SignalSlot signalSlot(String key, int maxKeys) {
        if (dead) {
            return null;
        }
        if (signals == null) {
            signals = new HashMap<>(4);
        }
        SignalSlot slot = signals.get(key);
        if (slot == null) {
            if (signals.size() >= maxKeys) {
                return null;
            }
            slot = new SignalSlot(this, key, (long) (1_000_000_000L / namespace.signalRate()));
            signals.put(key, slot);
        }
        return slot;
    }

    synchronized boolean isDead() {
        return dead;
    }
}
