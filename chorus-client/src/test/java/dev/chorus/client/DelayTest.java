package dev.chorus.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DelayTest {

    @Test
    void exponentialDoublesUpToTheCap() {
        Delay d = Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(1));
        assertThat(d.createDelay(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(d.createDelay(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(d.createDelay(4)).isEqualTo(Duration.ofMillis(800));
        assertThat(d.createDelay(5)).isEqualTo(Duration.ofSeconds(1));
        assertThat(d.createDelay(1_000_000)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void fullJitterIsUniformBetweenZeroAndTheExponentialCap() {
        Delay top = Delay.fullJitter(Duration.ofMillis(100), Duration.ofSeconds(1), () -> 0.999999);
        Delay bottom = Delay.fullJitter(Duration.ofMillis(100), Duration.ofSeconds(1), () -> 0.0);
        Delay half = Delay.fullJitter(Duration.ofMillis(100), Duration.ofSeconds(1), () -> 0.5);
        assertThat(top.createDelay(3)).isBetween(Duration.ofMillis(399), Duration.ofMillis(400));
        assertThat(bottom.createDelay(3)).isZero();
        assertThat(half.createDelay(3)).isEqualTo(Duration.ofMillis(200));
        assertThat(half.createDelay(63)).isEqualTo(Duration.ofMillis(500));

        Delay real = Delay.defaultDelay();
        boolean varied = false;
        Duration first = real.createDelay(8);
        for (int i = 0; i < 200; i++) {
            Duration d = real.createDelay(8);
            assertThat(d).isBetween(Duration.ZERO, Duration.ofSeconds(20));
            varied |= !d.equals(first);
        }
        assertThat(varied).isTrue();
    }
}
