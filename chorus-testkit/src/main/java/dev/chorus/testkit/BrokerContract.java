package dev.chorus.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chorus.core.broker.Broker;
import dev.chorus.core.broker.BrokerEventHandler;
import dev.chorus.core.broker.ChannelEvent;
import dev.chorus.core.broker.HistoryQuery;
import dev.chorus.core.broker.HistoryResult;
import dev.chorus.core.broker.PublishOptions;
import dev.chorus.core.broker.PublishResult;
import dev.chorus.protocol.ClientInfo;
import dev.chorus.protocol.Payload;
import dev.chorus.protocol.Publication;
import dev.chorus.protocol.StreamPosition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Broker} must show, clause by clause of its Javadoc and of
 * {@link HistoryQuery}, {@link PublishOptions} and {@link PublishResult}. Extend it with a factory
 * for the backend under test:
 *
 * <pre>{@code
 * class RedisBrokerContractTest extends BrokerContract {
 *     protected Broker createBroker() { return RedisBroker.create(...); }
 * }
 * }</pre>
 *
 * <p>Each test gets a new broker, started with a recording handler and closed afterwards. Channel
 * names carry a random prefix per test instance ({@link #channel}), so backends that share a
 * server between runs (Redis, NATS) can run the suite safely. Delivery may be asynchronous: the
 * suite waits with Awaitility (at most {@link #WAIT}) and proves that nothing more arrives by
 * sending a marker through another channel ({@link #awaitCaughtUp}). TTL tests use TTLs of a few
 * hundred milliseconds.
 */
public abstract class BrokerContract {
    protected static final Duration WAIT = Duration.ofSeconds(10);

    protected Broker broker;
    protected final Recorder recorder = new Recorder();
    private final String prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + ".";

    /** A new, not yet started broker. */
    protected abstract Broker createBroker() throws Exception;

    @BeforeEach
    void startBroker() throws Exception {
        broker = createBroker();
        join(broker.start(recorder));
    }

    @AfterEach
    void closeBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    /** A channel name unique to this test instance. */
    protected String channel(String name) {
        return prefix + name;
    }

    protected static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    protected static Payload data(int n) {
        return Payload.ofJson("{\"n\":" + n + "}");
    }

    protected static PublishOptions history(int size) {
        return PublishOptions.history(size, Duration.ofMinutes(5));
    }

    /** Records everything the broker delivers. */
    protected static final class Recorder implements BrokerEventHandler {
        final Map<String, List<Publication>> pubs = new ConcurrentHashMap<>();
        final Map<String, List<ChannelEvent>> events = new ConcurrentHashMap<>();
        volatile HistoryCheck check;

        interface HistoryCheck {
            void onDelivery(String channel, Publication p);
        }

        @Override
        public void onPublication(String channel, Publication publication) {
            HistoryCheck c = check;
            if (c != null) {
                c.onDelivery(channel, publication);
            }
            pubs.computeIfAbsent(channel, k -> new CopyOnWriteArrayList<>()).add(publication);
        }

        @Override
        public void onEvent(String channel, ChannelEvent event) {
            events.computeIfAbsent(channel, k -> new CopyOnWriteArrayList<>()).add(event);
        }

        List<Publication> pubs(String channel) {
            return pubs.getOrDefault(channel, List.of());
        }

        List<ChannelEvent> events(String channel) {
            return events.getOrDefault(channel, List.of());
        }
    }

    @Test
    void offsetsStartAtOneAndIncreaseWithoutGaps() {
        String ch = channel("offsets");
        StreamPosition first = join(broker.publish(ch, data(1), null, history(10))).position();
        StreamPosition second = join(broker.publish(ch, data(2), null, history(10))).position();
        assertThat(first.offset()).isEqualTo(1);
        assertThat(second.offset()).isEqualTo(2);
        assertThat(second.epoch()).isEqualTo(first.epoch()).isNotEmpty();
        assertThat(join(broker.history(ch, HistoryQuery.position())).position()).isEqualTo(second);
    }

    @Test
    void emptyChannelIsAtOffsetZero() {
        HistoryResult h = join(broker.history(channel("empty"), HistoryQuery.position()));
        assertThat(h.position().offset()).isZero();
        assertThat(h.publications()).isEmpty();
    }

    @Test
    void subscribedNodeReceivesPublicationsInOrderAndOnlyAfterTheyAreInHistory() {
        String ch = channel("order");
        join(broker.subscribe(ch));
        List<String> problems = new CopyOnWriteArrayList<>();
        AtomicInteger checked = new AtomicInteger();
        recorder.check = (c, p) -> {
            // a read started after the delivery must see the publication; the handler must not
            // block, so the answer is checked whenever it comes
            broker.history(c, new HistoryQuery(new StreamPosition(p.offset() - 1, p.epoch()), 1, false)).whenComplete((h, err) -> {
                if (err != null) {
                    problems.add("history failed: " + err);
                } else if (h.position().offset() < p.offset() || h.publications().isEmpty()
                        || !h.publications().get(0).equals(p)) {
                    problems.add("offset " + p.offset() + " delivered before it was readable from history");
                }
                checked.incrementAndGet();
            });
        };
        for (int i = 1; i <= 200; i++) {
            join(broker.publish(ch, data(i), ClientInfo.of("c1", "u1"), history(500)));
        }
        await().atMost(WAIT).until(() -> recorder.pubs(ch).size() == 200);
        List<Publication> got = recorder.pubs(ch);
        for (int i = 0; i < 200; i++) {
            assertThat(got.get(i).offset()).isEqualTo(i + 1);
            assertThat(got.get(i).data()).isEqualTo(data(i + 1));
            assertThat(got.get(i).info().client()).isEqualTo("c1");
        }
        await().atMost(WAIT).until(() -> checked.get() == 200);
        assertThat(problems).isEmpty();
    }

    @Test
    void concurrentPublishersProduceNoGapsAndNoDuplicates() throws Exception {
        String ch = channel("concurrent");
        join(broker.subscribe(ch));
        int threads = 4;
        int each = 250;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<Long>>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int base = t * each;
            futures.add(pool.submit(() -> {
                List<Long> offsets = new ArrayList<>();
                for (int i = 0; i < each; i++) {
                    offsets.add(join(broker.publish(ch, data(base + i), null, history(2000))).position().offset());
                }
                return offsets;
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> f : futures) {
            List<Long> mine = f.get(30, TimeUnit.SECONDS);
            assertThat(mine).isSorted();
            all.addAll(mine);
        }
        pool.shutdown();
        Collections.sort(all);
        for (int i = 0; i < all.size(); i++) {
            assertThat(all.get(i)).isEqualTo(i + 1L);
        }
        await().atMost(WAIT).until(() -> recorder.pubs(ch).size() == threads * each);
        List<Publication> got = recorder.pubs(ch);
        for (int i = 0; i < got.size(); i++) {
            assertThat(got.get(i).offset()).as("delivery order").isEqualTo(i + 1L);
        }
    }

    @Test
    void historySinceLimitAndReverse() {
        String ch = channel("history");
        StreamPosition p3 = null;
        for (int i = 1; i <= 10; i++) {
            StreamPosition p = join(broker.publish(ch, data(i), null, history(100))).position();
            if (i == 3) {
                p3 = p;
            }
        }
        HistoryResult all = join(broker.history(ch, new HistoryQuery(null, -1, false)));
        assertThat(all.publications()).extracting(Publication::offset).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(all.position().offset()).isEqualTo(10);

        HistoryResult since = join(broker.history(ch, new HistoryQuery(p3, -1, false)));
        assertThat(since.publications()).extracting(Publication::offset).containsExactly(4L, 5L, 6L, 7L, 8L, 9L, 10L);

        HistoryResult limited = join(broker.history(ch, new HistoryQuery(p3, 2, false)));
        assertThat(limited.publications()).extracting(Publication::offset).containsExactly(4L, 5L);

        HistoryResult newest = join(broker.history(ch, new HistoryQuery(null, 3, true)));
        assertThat(newest.publications()).extracting(Publication::offset).containsExactly(10L, 9L, 8L);

        HistoryResult none = join(broker.history(ch, new HistoryQuery(null, 0, false)));
        assertThat(none.publications()).isEmpty();
        assertThat(none.position().offset()).isEqualTo(10);

        HistoryResult otherEpoch = join(broker.history(ch, new HistoryQuery(new StreamPosition(8, "not-the-epoch"), -1, false)));
        assertThat(otherEpoch.publications()).extracting(Publication::offset).startsWith(1L);
    }

    @Test
    void reverseWithSinceReturnsTheNewestAfterSinceNewestFirst() {
        String ch = channel("reverse-since");
        StreamPosition p6 = null;
        for (int i = 1; i <= 10; i++) {
            StreamPosition p = join(broker.publish(ch, data(i), null, history(100))).position();
            if (i == 6) {
                p6 = p;
            }
        }
        assertThat(join(broker.history(ch, new HistoryQuery(p6, -1, true))).publications())
                .extracting(Publication::offset).containsExactly(10L, 9L, 8L, 7L);
        assertThat(join(broker.history(ch, new HistoryQuery(p6, 2, true))).publications())
                .extracting(Publication::offset).containsExactly(10L, 9L);
        assertThat(join(broker.history(ch, new HistoryQuery(null, -1, true))).publications())
                .extracting(Publication::offset).containsExactly(10L, 9L, 8L, 7L, 6L, 5L, 4L, 3L, 2L, 1L);
    }

    @Test
    void sinceAtOrBeyondTheNewestReturnsNothingAndLimitBeyondTheKeptReturnsAllKept() {
        String ch = channel("since-edges");
        StreamPosition last = null;
        for (int i = 1; i <= 3; i++) {
            last = join(broker.publish(ch, data(i), null, history(100))).position();
        }
        HistoryResult atNewest = join(broker.history(ch, HistoryQuery.since(last, 10)));
        assertThat(atNewest.publications()).isEmpty();
        assertThat(atNewest.position()).isEqualTo(last);
        HistoryResult beyond = join(broker.history(ch, HistoryQuery.since(new StreamPosition(99, last.epoch()), 10)));
        assertThat(beyond.publications()).isEmpty();
        HistoryResult fromZero = join(broker.history(ch, HistoryQuery.since(new StreamPosition(0, last.epoch()), 1000)));
        assertThat(fromZero.publications()).extracting(Publication::offset).containsExactly(1L, 2L, 3L);
    }

    @Test
    void sinceOlderThanTheKeptHistoryStartsAtTheOldestKept() {
        String ch = channel("since-trimmed");
        StreamPosition second = null;
        for (int i = 1; i <= 10; i++) {
            StreamPosition p = join(broker.publish(ch, data(i), null, history(3))).position();
            if (i == 2) {
                second = p;
            }
        }
        // the engine compares the first returned offset with since + 1 to decide recovered: false
        assertThat(join(broker.history(ch, HistoryQuery.since(second, 3))).publications())
                .extracting(Publication::offset).containsExactly(8L, 9L, 10L);
    }

    @Test
    void historyKeepsAtMostItsSize() {
        String ch = channel("size");
        for (int i = 1; i <= 30; i++) {
            join(broker.publish(ch, data(i), null, history(5)));
        }
        HistoryResult h = join(broker.history(ch, new HistoryQuery(null, -1, false)));
        assertThat(h.publications()).extracting(Publication::offset).containsExactly(26L, 27L, 28L, 29L, 30L);
        assertThat(h.position().offset()).isEqualTo(30);
    }

    @Test
    void historyEntriesExpireAfterTheirTtl() {
        String ch = channel("ttl");
        PublishOptions shortLived = PublishOptions.history(10, Duration.ofMillis(300));
        join(broker.publish(ch, data(1), null, shortLived));
        join(broker.publish(ch, data(2), null, shortLived));
        assertThat(join(broker.history(ch, new HistoryQuery(null, -1, false))).publications()).hasSize(2);
        await().atMost(WAIT).until(() -> join(broker.history(ch, new HistoryQuery(null, -1, false))).publications().isEmpty());
    }

    @Test
    void idempotencyKeyPublishesOnceAndReturnsTheFirstPosition() {
        String ch = channel("idem");
        String other = channel("idem-other");
        join(broker.subscribe(ch));
        PublishOptions keyed = history(10).withIdempotencyKey("k1", Duration.ofMinutes(1));
        PublishResult first = join(broker.publish(ch, data(1), null, keyed));
        PublishResult retry = join(broker.publish(ch, data(1), null, keyed));
        assertThat(first.duplicate()).isFalse();
        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.position()).isEqualTo(first.position());
        assertThat(join(broker.history(ch, new HistoryQuery(null, -1, false))).publications()).hasSize(1);
        PublishResult elsewhere = join(broker.publish(other, data(1), null, keyed));
        assertThat(elsewhere.duplicate()).as("keys are per channel").isFalse();
        PublishResult next = join(broker.publish(ch, data(2), null, history(10).withIdempotencyKey("k2", Duration.ofMinutes(1))));
        assertThat(next.position().offset()).isEqualTo(first.position().offset() + 1);
        await().atMost(WAIT).until(() -> recorder.pubs(ch).size() == 2);
        assertThat(recorder.pubs(ch)).extracting(Publication::offset).containsExactly(1L, 2L);
    }

    @Test
    void idempotencyKeyMayPublishAgainAfterTheWindow() {
        String ch = channel("idem-window");
        PublishOptions keyed = history(10).withIdempotencyKey("k", Duration.ofMillis(200));
        PublishResult first = join(broker.publish(ch, data(1), null, keyed));
        // retries inside the window are no-ops, so polling with the same key publishes exactly once more
        PublishResult later = await().atMost(WAIT).pollInterval(Duration.ofMillis(20))
                .until(() -> join(broker.publish(ch, data(1), null, keyed)), r -> !r.duplicate());
        assertThat(later.position().offset()).isEqualTo(first.position().offset() + 1);
        assertThat(join(broker.history(ch, new HistoryQuery(null, -1, false))).publications())
                .extracting(Publication::offset).containsExactly(1L, 2L);
    }

    @Test
    void idempotencyKeyWithoutHistoryDeliversOnce() {
        String ch = channel("idem-nohistory");
        join(broker.subscribe(ch));
        PublishOptions keyed = PublishOptions.none().withIdempotencyKey("k", Duration.ofMinutes(1));
        PublishResult first = join(broker.publish(ch, data(1), null, keyed));
        PublishResult retry = join(broker.publish(ch, data(1), null, keyed));
        assertThat(first.duplicate()).isFalse();
        assertThat(first.position().offset()).isZero();
        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.position()).isEqualTo(first.position());
        awaitCaughtUp();
        assertThat(recorder.pubs(ch)).hasSize(1);
    }

    @Test
    void removeHistoryStartsANewEpoch() {
        String ch = channel("epoch");
        StreamPosition before = join(broker.publish(ch, data(1), null, history(10))).position();
        join(broker.publish(ch, data(2), null, history(10)));
        join(broker.removeHistory(ch));
        StreamPosition after = join(broker.publish(ch, data(3), null, history(10))).position();
        assertThat(after.epoch()).isNotEqualTo(before.epoch());
        assertThat(after.offset()).isEqualTo(1);
        HistoryResult h = join(broker.history(ch, new HistoryQuery(before, -1, false)));
        assertThat(h.position()).isEqualTo(after);
        assertThat(h.publications()).as("nothing of the old epoch is served")
                .extracting(Publication::position).containsExactly(after);
        assertThat(h.publications().get(0).data()).isEqualTo(data(3));
    }

    @Test
    void removeHistoryOfAnUnknownChannelIsHarmless() {
        String ch = channel("never");
        join(broker.removeHistory(ch));
        assertThat(join(broker.publish(ch, data(1), null, history(10))).position().offset()).isEqualTo(1);
    }

    /**
     * A client that subscribed to an empty channel holds {@code (0, epoch)}; the first publication
     * must come in that epoch, or the client would wrongly be told it cannot recover.
     */
    @Test
    void emptyChannelReportsTheEpochItsFirstPublicationGets() {
        String ch = channel("empty-epoch");
        join(broker.subscribe(ch));
        StreamPosition empty = join(broker.history(ch, HistoryQuery.position())).position();
        assertThat(empty.offset()).isZero();
        StreamPosition first = join(broker.publish(ch, data(1), null, history(10))).position();
        assertThat(first).isEqualTo(new StreamPosition(1, empty.epoch()));
        HistoryResult recovered = join(broker.history(ch, HistoryQuery.since(empty, 10)));
        assertThat(recovered.publications()).extracting(Publication::offset).containsExactly(1L);
    }

    @Test
    void withoutHistoryPublicationsAreDeliveredWithOffsetZeroAndNotStored() {
        String ch = channel("nohistory");
        join(broker.subscribe(ch));
        PublishResult r = join(broker.publish(ch, data(1), null, PublishOptions.none()));
        assertThat(r.position().offset()).isZero();
        await().atMost(WAIT).until(() -> recorder.pubs(ch).size() == 1);
        assertThat(recorder.pubs(ch).get(0).offset()).isZero();
        assertThat(recorder.pubs(ch).get(0).epoch()).isEmpty();
        assertThat(recorder.pubs(ch).get(0).data()).isEqualTo(data(1));
        assertThat(join(broker.history(ch, new HistoryQuery(null, -1, false))).publications()).isEmpty();
    }

    @Test
    void onlySubscribedChannelsAreDeliveredAndUnsubscribeStopsDelivery() {
        String on = channel("on");
        String off = channel("off");
        join(broker.subscribe(on));
        join(broker.publish(off, data(1), null, history(10)));
        join(broker.publishEvent(off, new ChannelEvent.Join(ClientInfo.of("c", "u"))));
        join(broker.publish(on, data(2), null, history(10)));
        join(broker.publishEvent(on, new ChannelEvent.Join(ClientInfo.of("c", "u"))));
        await().atMost(WAIT).until(() -> recorder.pubs(on).size() == 1 && recorder.events(on).size() == 1);
        join(broker.unsubscribe(on));
        join(broker.publish(on, data(3), null, history(10)));
        join(broker.publishEvent(on, new ChannelEvent.Leave(ClientInfo.of("c", "u"))));
        awaitCaughtUp();
        assertThat(recorder.pubs(off)).isEmpty();
        assertThat(recorder.events(off)).isEmpty();
        assertThat(recorder.pubs(on)).hasSize(1);
        assertThat(recorder.events(on)).hasSize(1);
    }

    @Test
    void subscribeIsIdempotentAndChannelsAreDeliveredOnce() {
        String ch = channel("twice");
        join(broker.subscribe(ch));
        join(broker.subscribe(ch));
        join(broker.publish(ch, data(1), null, history(10)));
        join(broker.publishEvent(ch, new ChannelEvent.Join(ClientInfo.of("c", "u"))));
        awaitCaughtUp();
        assertThat(recorder.pubs(ch)).hasSize(1);
        assertThat(recorder.events(ch)).hasSize(1);
        join(broker.unsubscribe(ch));
        join(broker.unsubscribe(ch));
        join(broker.publish(ch, data(2), null, history(10)));
        awaitCaughtUp();
        assertThat(recorder.pubs(ch)).hasSize(1);
    }

    @Test
    void eventsOfOneChannelArriveInOrder() {
        String ch = channel("event-order");
        join(broker.subscribe(ch));
        for (int i = 0; i < 100; i++) {
            join(broker.publishEvent(ch, new ChannelEvent.Signal("k", data(i), ClientInfo.of("c", "u"))));
        }
        await().atMost(WAIT).until(() -> recorder.events(ch).size() == 100);
        for (int i = 0; i < 100; i++) {
            assertThat(((ChannelEvent.Signal) recorder.events(ch).get(i)).data()).isEqualTo(data(i));
        }
        assertThat(join(broker.history(ch, new HistoryQuery(null, -1, false))).publications()).as("events are not stored").isEmpty();
    }

    @Test
    void channelsHaveIndependentOffsetsUnderConcurrentPublishing() throws Exception {
        int threads = 4;
        int each = 100;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<Long>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String ch = channel("independent-" + t);
                futures.add(pool.submit(() -> {
                    List<Long> offsets = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        offsets.add(join(broker.publish(ch, data(i), null, history(each))).position().offset());
                    }
                    return offsets;
                }));
            }
            for (Future<List<Long>> f : futures) {
                List<Long> offsets = f.get(30, TimeUnit.SECONDS);
                for (int i = 0; i < each; i++) {
                    assertThat(offsets.get(i)).isEqualTo(i + 1L);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Publishes through a fresh subscribed channel and waits for it: earlier deliveries are done. */
    protected void awaitCaughtUp() {
        String marker = channel("marker-" + UUID.randomUUID());
        join(broker.subscribe(marker));
        join(broker.publish(marker, data(0), null, history(1)));
        await().atMost(WAIT).until(() -> recorder.pubs(marker).size() == 1);
        join(broker.unsubscribe(marker));
    }

    @Test
    void eventsCarryTheirContent() {
        String ch = channel("events");
        join(broker.subscribe(ch));
        ClientInfo who = new ClientInfo("c9", "u9", Payload.ofJson("{\"role\":\"x\"}"), Payload.ofJson("{\"x\":1}"), 3);
        join(broker.publishEvent(ch, new ChannelEvent.PresenceChange(who)));
        join(broker.publishEvent(ch, new ChannelEvent.Signal("cursor", Payload.ofJson("[1,2]"), who.identity())));
        await().atMost(WAIT).until(() -> recorder.events(ch).size() == 2);
        assertThat(recorder.events(ch).get(0)).isEqualTo(new ChannelEvent.PresenceChange(who));
        assertThat(recorder.events(ch).get(1)).isEqualTo(new ChannelEvent.Signal("cursor", Payload.ofJson("[1,2]"), who.identity()));
    }
}
