package dev.chorus.core;

import dev.chorus.protocol.Payload;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Coalesces one sender's signals for one (channel, key): at most one fan-out per
 * {@code minIntervalNanos}; values arriving faster replace each other, and the latest is sent on the
 * trailing edge, so the last value sent is always the last value delivered.
 */
final class SignalSlot {
    private final Subscription subscription;
    private final String key;
    private final long minIntervalNanos;
    private long lastSentNanos = Long.MIN_VALUE / 2;
    private Payload pending;
    private ScheduledFuture<?> timer;
    private boolean cancelled;

    SignalSlot(Subscription subscription, String key, long minIntervalNanos) {
        this.subscription = subscription;
        this.key = key;
        this.minIntervalNanos = minIntervalNanos;
    }

    void submit(Payload data) {
        Payload sendNow = null;
        synchronized (this) {
            if (cancelled) {
                return;
            }
            long now = System.nanoTime();
            if (timer == null && now - lastSentNanos >= minIntervalNanos) {
                lastSentNanos = now;
                sendNow = data;
            } else {
                pending = data;
                if (timer == null) {
                    long delay = Math.max(0, lastSentNanos + minIntervalNanos - now);
                    timer = subscription.session.node.timer().schedule(this::flush, delay, TimeUnit.NANOSECONDS);
                }
            }
        }
        if (sendNow != null) {
            subscription.session.node.fanOutSignal(subscription, key, sendNow);
        }
    }

    private void flush() {
        Payload data;
        synchronized (this) {
            timer = null;
            data = pending;
            pending = null;
            if (cancelled || data == null) {
                return;
            }
            lastSentNanos = System.nanoTime();
        }
        subscription.session.node.fanOutSignal(subscription, key, data);
    }

    synchronized void cancel() {
        cancelled = true;
        pending = null;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
