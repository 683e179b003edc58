package dev.chorus.client.internal;

import dev.chorus.protocol.Payload;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * Per-key throttle with a trailing edge, as the server coalesces signals: the first value of a
 * quiet key goes out at once; values within the interval after a send replace each other, and the
 * latest goes out when the interval ends. So at most one value per interval and key is sent, and
 * the last value pushed is always the last value sent. Client thread only.
 */
final class SignalThrottle {
    private final ScheduledExecutorService scheduler;
    private final long intervalNanos;
    private final LongSupplier clock;
    private final BiConsumer<String, Payload> sender;
    private final Map<String, Slot> slots = new HashMap<>();

    private static final class Slot {
        long lastSent;
        Payload pending;
        ScheduledFuture<?> timer;
    }

    SignalThrottle(ScheduledExecutorService scheduler, double perSecond, LongSupplier nanoClock, BiConsumer<String, Payload> sender) {
        this.scheduler = scheduler;
        this.intervalNanos = (long) (1_000_000_000L / perSecond);
        this.clock = nanoClock;
        this.sender = sender;
    }

    void push(String key, Payload data) {
        long now = clock.getAsLong();
        Slot s = slots.get(key);
        if (s == null) {
            s = new Slot();
            slots.put(key, s);
            send(s, key, data, now);
            return;
        }
        if (s.timer == null && now - s.lastSent >= intervalNanos) {
            send(s, key, data, now);
            return;
        }
        s.pending = data;
        if (s.timer == null) {
            Slot slot = s;
            long wait = Math.max(0, s.lastSent + intervalNanos - now);
            s.timer = scheduler.schedule(() -> trailing(key, slot), wait, TimeUnit.NANOSECONDS);
        }
    }

    private void trailing(String key, Slot s) {
        if (slots.get(key) != s) {
            return; // cleared meanwhile
        }
        s.timer = null;
        Payload p = s.pending;
        if (p != null) {
            s.pending = null;
            send(s, key, p, clock.getAsLong());
        }
    }

    private void send(Slot s, String key, Payload data, long now) {
        s.lastSent = now;
        sender.accept(key, data);
    }

    /** Forgets everything pending (unsubscribed, disconnected). */
    void clear() {
        for (Slot s : slots.values()) {
            if (s.timer != null) {
                s.timer.cancel(false);
            }
        }
        slots.clear();
    }
}
