package dev.chorus.core.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.protocol.Payload;
import dev.chorus.protocol.Publication;
import dev.chorus.protocol.StreamPosition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The sweep frees idle streams, but never one whose epoch a subscriber on this node may hold. */
class MemoryBrokerSweepTest {
    private static final class MutableClock extends Clock {
        long millis = 1_000_000;

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private static final BrokerEventHandler NOTHING = new BrokerEventHandler() {
        @Override
        public void onPublication(String channel, Publication publication) {
        }

        @Override
        public void onEvent(String channel, ChannelEvent event) {
        }
    };

    @Test
    void subscribedChannelKeepsItsEpochThroughSweepsEvenBeforeItsFirstPublication() {
        MutableClock clock = new MutableClock();
        MemoryBroker broker = new MemoryBroker(clock);
        broker.start(NOTHING);
        try {
            broker.subscribe("watched");
            StreamPosition seen = broker.history("watched", HistoryQuery.position()).toCompletableFuture().join().position();
            clock.millis += Duration.ofHours(1).toMillis();
            broker.sweep();
            StreamPosition first = broker.publish("watched", Payload.ofJson("1"), null, PublishOptions.history(10, Duration.ofMinutes(1)))
                    .toCompletableFuture().join().position();
            assertThat(first.epoch()).isEqualTo(seen.epoch());
            assertThat(first.offset()).isEqualTo(1);
        } finally {
            broker.close();
        }
    }

    @Test
    void idleEmptyUnwatchedStreamsAreFreedAndComeBackWithANewEpoch() {
        MutableClock clock = new MutableClock();
        MemoryBroker broker = new MemoryBroker(clock);
        broker.start(NOTHING);
        try {
            StreamPosition p = broker.publish("gone", Payload.ofJson("1"), null, PublishOptions.history(10, Duration.ofSeconds(1)))
                    .toCompletableFuture().join().position();
            clock.millis += Duration.ofSeconds(30).toMillis();
            broker.sweep();
            assertThat(broker.streamCount()).as("kept until idle for at least a minute").isEqualTo(1);
            clock.millis += Duration.ofMinutes(2).toMillis();
            broker.sweep();
            assertThat(broker.streamCount()).isZero();
            StreamPosition again = broker.history("gone", HistoryQuery.position()).toCompletableFuture().join().position();
            assertThat(again.epoch()).isNotEqualTo(p.epoch());
        } finally {
            broker.close();
        }
    }
}
