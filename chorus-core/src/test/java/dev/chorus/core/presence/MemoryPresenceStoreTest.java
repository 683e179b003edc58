package dev.chorus.core.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chorus.protocol.ClientInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the memory store adds to the contract suite (run in chorus-testkit): bad input, exact expiry. */
class MemoryPresenceStoreTest {
    private static final class MutableClock extends Clock {
        volatile long millis = 5_000_000;

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private final MutableClock clock = new MutableClock();
    private final MemoryPresenceStore store = new MemoryPresenceStore(clock);

    @AfterEach
    void close() {
        store.close();
    }

    private static <T> T join(java.util.concurrent.CompletionStage<T> s) {
        return s.toCompletableFuture().join();
    }

    @Test
    void badInputIsRefusedAndStoresNothing() {
        ClientInfo a = ClientInfo.of("a", "u");
        assertThatThrownBy(() -> store.put("c", a, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl");
        assertThatThrownBy(() -> store.put("c", a, Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.put(null, a, Duration.ofSeconds(1))).isInstanceOf(NullPointerException.class).hasMessage("channel");
        assertThatThrownBy(() -> store.put("c", null, Duration.ofSeconds(1))).isInstanceOf(NullPointerException.class).hasMessage("info");
        assertThatThrownBy(() -> store.remove("c", null)).isInstanceOf(NullPointerException.class).hasMessage("clientId");
        assertThat(join(store.get("c"))).isEmpty();
    }

    @Test
    void entriesExpireExactlyAtTheirTtl() {
        join(store.put("c", ClientInfo.of("a", "u"), Duration.ofSeconds(30)));
        clock.millis += 29_999;
        assertThat(join(store.get("c"))).containsOnlyKeys("a");
        clock.millis += 1;
        assertThat(join(store.get("c"))).isEmpty();
        assertThat(join(store.stats("c"))).isEqualTo(new PresenceStats(0, 0));
    }

    @Test
    void removingAnExpiredEntryReportsNothingRemoved() {
        join(store.put("c", ClientInfo.of("a", "u"), Duration.ofSeconds(1)));
        clock.millis += 1_000;
        assertThat(join(store.remove("c", "a"))).isFalse();
    }

    @Test
    void anExpiredEntryLosesItsClock() {
        join(store.put("c", ClientInfo.of("a", "u").withState(null, 9), Duration.ofSeconds(1)));
        clock.millis += 1_000;
        assertThat(join(store.put("c", ClientInfo.of("a", "u").withState(null, 1), Duration.ofSeconds(1)))).isTrue();
    }

    @Test
    void sweepForgetsExpiredEntriesAndEmptyChannels() {
        join(store.put("c", ClientInfo.of("a", "u"), Duration.ofSeconds(1)));
        join(store.put("d", ClientInfo.of("b", "u"), Duration.ofMinutes(1)));
        clock.millis += 1_000;
        store.sweep();
        assertThat(store.channelCount()).isEqualTo(1);
        assertThat(join(store.get("d"))).containsOnlyKeys("b");
    }
}
