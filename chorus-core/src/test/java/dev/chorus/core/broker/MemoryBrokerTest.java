package dev.chorus.core.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chorus.protocol.ClientInfo;
import dev.chorus.protocol.Payload;
import dev.chorus.protocol.Publication;
import dev.chorus.protocol.StreamPosition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the memory broker adds to the contract suite (run in chorus-testkit): edges and bounds. */
class MemoryBrokerTest {
    private static final class MutableClock extends Clock {
        volatile long millis = 1_000_000;

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
    private final MemoryBroker broker = new MemoryBroker(clock);
    private final List<Publication> delivered = new CopyOnWriteArrayList<>();
    private volatile boolean failHandler;

    private final BrokerEventHandler handler = new BrokerEventHandler() {
        @Override
        public void onPublication(String channel, Publication publication) {
            delivered.add(publication);
            if (failHandler) {
                throw new IllegalStateException("handler broke");
            }
        }

        @Override
        public void onEvent(String channel, ChannelEvent event) {
        }
    };

    @AfterEach
    void close() {
        broker.close();
    }

    private static <T> T join(java.util.concurrent.CompletionStage<T> s) {
        return s.toCompletableFuture().join();
    }

    private List<Long> offsets(String channel) {
        return join(broker.history(channel, new HistoryQuery(null, -1, false))).publications().stream().map(Publication::offset).toList();
    }

    @Test
    void everyMethodCompletesBeforeItReturns() {
        broker.start(handler);
        broker.subscribe("c");
        assertThat(broker.publish("c", Payload.ofJson("1"), null, PublishOptions.history(5, Duration.ofMinutes(1))).toCompletableFuture()).isDone();
        assertThat(delivered).hasSize(1);
        assertThat(broker.history("c", HistoryQuery.position()).toCompletableFuture()).isDone();
    }

    @Test
    void nullArgumentsAreRefusedAndChangeNothing() {
        broker.start(handler);
        PublishOptions opts = PublishOptions.history(5, Duration.ofMinutes(1));
        assertThatThrownBy(() -> broker.publish(null, Payload.ofJson("1"), null, opts)).isInstanceOf(NullPointerException.class).hasMessage("channel");
        assertThatThrownBy(() -> broker.publish("c", null, null, opts)).isInstanceOf(NullPointerException.class).hasMessage("data");
        assertThatThrownBy(() -> broker.publish("c", Payload.ofJson("1"), null, null)).isInstanceOf(NullPointerException.class).hasMessage("options");
        assertThatThrownBy(() -> broker.history("c", null)).isInstanceOf(NullPointerException.class).hasMessage("query");
        assertThatThrownBy(() -> broker.publishEvent("c", null)).isInstanceOf(NullPointerException.class).hasMessage("event");
        assertThat(broker.streamCount()).isZero();
        assertThat(join(broker.publish("c", Payload.ofJson("1"), null, opts)).position().offset()).isEqualTo(1);
    }

    @Test
    void startingTwiceIsRefused() {
        broker.start(handler);
        assertThatThrownBy(() -> broker.start(handler)).isInstanceOf(IllegalStateException.class).hasMessageContaining("already started");
    }

    @Test
    void aFailingHandlerDoesNotUndoThePublication() {
        broker.start(handler);
        broker.subscribe("c");
        failHandler = true;
        PublishResult r = join(broker.publish("c", Payload.ofJson("1"), null, PublishOptions.history(5, Duration.ofMinutes(1))));
        failHandler = false;
        assertThat(r.position().offset()).isEqualTo(1);
        assertThat(join(broker.publish("c", Payload.ofJson("2"), null, PublishOptions.history(5, Duration.ofMinutes(1)))).position().offset()).isEqualTo(2);
        assertThat(delivered).extracting(Publication::offset).containsExactly(1L, 2L);
        assertThat(offsets("c")).containsExactly(1L, 2L);
    }

    @Test
    void aPublicationIsNeverServedAfterItsOwnTtlEvenBehindALongerLivedOne() {
        broker.start(handler);
        join(broker.publish("c", Payload.ofJson("1"), null, PublishOptions.history(10, Duration.ofMinutes(10))));
        join(broker.publish("c", Payload.ofJson("2"), null, PublishOptions.history(10, Duration.ofSeconds(1))));
        join(broker.publish("c", Payload.ofJson("3"), null, PublishOptions.history(10, Duration.ofMinutes(10))));
        clock.millis += 2_000;
        assertThat(offsets("c")).containsExactly(1L, 3L);
        assertThat(join(broker.history("c", new HistoryQuery(null, -1, true))).publications()).extracting(Publication::offset).containsExactly(3L, 1L);
    }

    @Test
    void anExpiredChannelContinuesItsStreamWhileTheStreamLives() {
        broker.start(handler);
        StreamPosition first = join(broker.publish("c", Payload.ofJson("1"), null, PublishOptions.history(10, Duration.ofSeconds(1)))).position();
        clock.millis += 2_000;
        broker.sweep();
        assertThat(offsets("c")).isEmpty();
        StreamPosition next = join(broker.publish("c", Payload.ofJson("2"), null, PublishOptions.history(10, Duration.ofSeconds(1)))).position();
        assertThat(next).isEqualTo(new StreamPosition(2, first.epoch()));
    }

    @Test
    void extremeSincePositionsAreHandled() {
        broker.start(handler);
        StreamPosition p = null;
        for (int i = 1; i <= 3; i++) {
            p = join(broker.publish("c", Payload.ofJson("1"), null, PublishOptions.history(10, Duration.ofMinutes(1)))).position();
        }
        String epoch = p.epoch();
        assertThat(join(broker.history("c", new HistoryQuery(new StreamPosition(0, epoch), -1, false))).publications()).hasSize(3);
        assertThat(join(broker.history("c", new HistoryQuery(new StreamPosition(Long.MAX_VALUE, epoch), -1, true))).publications()).isEmpty();
    }

    @Test
    void aSmallerHistorySizeTrimsOnTheNextPublish() {
        broker.start(handler);
        for (int i = 1; i <= 10; i++) {
            join(broker.publish("c", Payload.ofJson("1"), null, PublishOptions.history(10, Duration.ofMinutes(1))));
        }
        join(broker.publish("c", Payload.ofJson("1"), null, PublishOptions.history(3, Duration.ofMinutes(1))));
        assertThat(offsets("c")).containsExactly(9L, 10L, 11L);
    }

    @Test
    void idempotencyKeysAreBoundedPerChannelOldestFirst() {
        broker.start(handler);
        PublishOptions base = PublishOptions.history(1, Duration.ofMinutes(1));
        for (int i = 0; i <= IdempotencyKeys.MAX_KEYS; i++) {
            join(broker.publish("c", Payload.ofJson("1"), null, base.withIdempotencyKey("k" + i, Duration.ofMinutes(5))));
        }
        assertThat(join(broker.publish("c", Payload.ofJson("1"), null, base.withIdempotencyKey("k1", Duration.ofMinutes(5)))).duplicate()).isTrue();
        PublishResult evicted = join(broker.publish("c", Payload.ofJson("1"), null, base.withIdempotencyKey("k0", Duration.ofMinutes(5))));
        assertThat(evicted.duplicate()).as("the oldest key was forgotten").isFalse();
        assertThat(evicted.position().offset()).isEqualTo(IdempotencyKeys.MAX_KEYS + 2L);
    }

    @Test
    void aZeroWindowRemembersNothing() {
        broker.start(handler);
        PublishOptions keyed = PublishOptions.history(10, Duration.ofMinutes(1)).withIdempotencyKey("k", Duration.ZERO);
        assertThat(join(broker.publish("c", Payload.ofJson("1"), null, keyed)).duplicate()).isFalse();
        assertThat(join(broker.publish("c", Payload.ofJson("1"), null, keyed)).duplicate()).isFalse();
        assertThat(offsets("c")).containsExactly(1L, 2L);
    }

    @Test
    void theIdempotencyWindowFollowsTheClock() {
        broker.start(handler);
        PublishOptions keyed = PublishOptions.history(10, Duration.ofMinutes(1)).withIdempotencyKey("k", Duration.ofSeconds(30));
        join(broker.publish("c", Payload.ofJson("1"), null, keyed));
        clock.millis += 29_999;
        assertThat(join(broker.publish("c", Payload.ofJson("1"), null, keyed)).duplicate()).isTrue();
        clock.millis += 1;
        assertThat(join(broker.publish("c", Payload.ofJson("1"), null, keyed)).position().offset()).isEqualTo(2);
    }

    @Test
    void publisherStateIsNotCarriedIntoPublications() {
        broker.start(handler);
        broker.subscribe("c");
        ClientInfo withState = new ClientInfo("c1", "u1", null, Payload.ofJson("{\"cursor\":1}"), 5);
        join(broker.publish("c", Payload.ofJson("1"), withState, PublishOptions.history(10, Duration.ofMinutes(1))));
        assertThat(delivered.get(0).info()).isEqualTo(ClientInfo.of("c1", "u1"));
    }

    @Test
    void theSweepKeepsStreamsWithALiveKeyOrPublicationsWithoutTtl() {
        broker.start(handler);
        PublishOptions keyed = PublishOptions.history(10, Duration.ofSeconds(1)).withIdempotencyKey("k", Duration.ofMinutes(10));
        StreamPosition first = join(broker.publish("keyed", Payload.ofJson("1"), null, keyed)).position();
        join(broker.publish("forever", Payload.ofJson("1"), null, PublishOptions.history(10, Duration.ZERO)));
        clock.millis += Duration.ofMinutes(5).toMillis();
        broker.sweep();
        assertThat(broker.streamCount()).isEqualTo(2);
        PublishResult retry = join(broker.publish("keyed", Payload.ofJson("1"), null, keyed));
        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.position()).isEqualTo(first);
        assertThat(offsets("forever")).containsExactly(1L);
        clock.millis += Duration.ofMinutes(11).toMillis();
        broker.sweep();
        assertThat(broker.streamCount()).as("the keyed stream goes once its key's window ended").isEqualTo(1);
    }
}
