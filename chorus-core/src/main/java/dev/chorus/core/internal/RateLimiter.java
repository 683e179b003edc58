package dev.chorus.core.internal;

/**
 * A token bucket: {@code rate} tokens per second, at most {@code burst} saved up. Not thread-safe:
 * one per connection, used from the thread that reads it.
 */
public final class RateLimiter {
    private final double perNano;
    private final double burst;
    private double tokens;
    private long last;

    public RateLimiter(double rate, int burst, long nowNanos) {
        if (!(rate > 0) || burst < 1) {
            throw new IllegalArgumentException("rate must be > 0 and burst >= 1: " + rate + ", " + burst);
        }
        this.perNano = rate / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.last = nowNanos;
    }

    /** Takes one token if there is one. */
    public boolean tryAcquire(long nowNanos) {
        long elapsed = nowNanos - last;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed * perNano);
            last = nowNanos;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
