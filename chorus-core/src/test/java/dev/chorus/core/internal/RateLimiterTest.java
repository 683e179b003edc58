package dev.chorus.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void burstThenRateThenRefill() {
        RateLimiter r = new RateLimiter(10, 5, 0);
        int taken = 0;
        for (int i = 0; i < 20; i++) {
            if (r.tryAcquire(0)) {
                taken++;
            }
        }
        assertThat(taken).isEqualTo(5);
        // 10 per second: one token every 100 ms
        assertThat(r.tryAcquire(SECOND / 20)).isFalse();
        assertThat(r.tryAcquire(SECOND / 10)).isTrue();
        assertThat(r.tryAcquire(SECOND / 10)).isFalse();
        // a long pause refills up to the burst, not beyond
        long later = 100 * SECOND;
        taken = 0;
        for (int i = 0; i < 20; i++) {
            if (r.tryAcquire(later)) {
                taken++;
            }
        }
        assertThat(taken).isEqualTo(5);
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> new RateLimiter(0, 5, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RateLimiter(10, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
