package dev.chorus.client;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * How long to wait before reconnect attempt number {@code attempt} (1 for the first retry after a
 * connection was lost). Implementations must be thread-safe and cheap; they are called on the
 * client thread.
 *
 * <p>The default, {@link #fullJitter(Duration, Duration)}, is exponential backoff with full jitter:
 * a uniformly random wait between zero and {@code min(max, base * 2^(attempt-1))}, so that clients
 * dropped together by a restarting server do not all come back in the same instant.
 */
@FunctionalInterface
public interface Delay {

    /** The wait before reconnect attempt {@code attempt} (at least 1). Never negative. */
    Duration createDelay(long attempt);

    /** Always the same wait. */
    static Delay constant(Duration delay) {
        requireNotNegative(delay, "delay");
        return attempt -> delay;
    }

    /** {@code min(max, base * 2^(attempt-1))}, without jitter. */
    static Delay exponential(Duration base, Duration max) {
        requireNotNegative(base, "base");
        requireNotNegative(max, "max");
        return attempt -> Duration.ofNanos(cap(base, max, attempt));
    }

    /** Exponential backoff with full jitter: uniform in {@code [0, min(max, base * 2^(attempt-1))]}. */
    static Delay fullJitter(Duration base, Duration max) {
        return fullJitter(base, max, () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * As {@link #fullJitter(Duration, Duration)} with the random source given (values in
     * {@code [0, 1)}), for tests.
     */
    static Delay fullJitter(Duration base, Duration max, DoubleSupplier random) {
        requireNotNegative(base, "base");
        requireNotNegative(max, "max");
        Objects.requireNonNull(random, "random");
        return attempt -> Duration.ofNanos((long) (cap(base, max, attempt) * Math.min(1.0, Math.max(0.0, random.getAsDouble()))));
    }

    /** The default strategy: full jitter from 500 ms up to 20 s. */
    static Delay defaultDelay() {
        return fullJitter(Duration.ofMillis(500), Duration.ofSeconds(20));
    }

    private static long cap(Duration base, Duration max, long attempt) {
        long n = Math.max(0, Math.min(attempt - 1, 62));
        long b = base.toNanos();
        long m = max.toNanos();
        if (b == 0) {
            return 0;
        }
        // b * 2^n without overflow
        return n >= Long.numberOfLeadingZeros(b) - 1 ? m : Math.min(m, b << n);
    }

    private static void requireNotNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative: " + d);
        }
    }
}
