package dev.chorus.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.chorus.core.broker.BrokerEventHandler;
import dev.chorus.core.broker.ChannelEvent;
import dev.chorus.core.broker.HistoryQuery;
import dev.chorus.core.broker.HistoryResult;
import dev.chorus.core.broker.PublishOptions;
import dev.chorus.protocol.ClientInfo;
import dev.chorus.protocol.Payload;
import dev.chorus.protocol.Publication;
import dev.chorus.protocol.StreamPosition;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the Redis broker must do beyond the contract: several nodes, lost streams, outages, bad input. */
@ExtendWith(RedisAvailable.class)
class RedisBrokerTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String PREFIX = RedisTestSupport.newPrefix();
    private final List<RedisBroker> brokers = new ArrayList<>();
    private final String ch = "room-" + UUID.randomUUID().toString().substring(0, 8);

    @AfterAll
    static void cleanUp() {
        RedisTestSupport.cleanUp(PREFIX);
    }

    @AfterEach
    void closeBrokers() {
        brokers.forEach(RedisBroker::close);
    }

    static final class Recorder implements BrokerEventHandler {
        final Map<String, List<Publication>> pubs = new ConcurrentHashMap<>();
        final Map<String, List<ChannelEvent>> events = new ConcurrentHashMap<>();

        @Override
        public void onPublication(String channel, Publication p) {
            pubs.computeIfAbsent(channel, k -> new CopyOnWriteArrayList<>()).add(p);
        }

        @Override
        public void onEvent(String channel, ChannelEvent e) {
            events.computeIfAbsent(channel, k -> new CopyOnWriteArrayList<>()).add(e);
        }

        List<Publication> pubs(String channel) {
            return pubs.getOrDefault(channel, List.of());
        }

        List<Long> offsets(String channel) {
            return pubs(channel).stream().map(Publication::offset).toList();
        }
    }

    private RedisBroker node(Recorder recorder, RedisConfig.Builder config) {
        RedisBroker b = RedisBroker.create(config.build());
        brokers.add(b);
        join(b.start(recorder));
        return b;
    }

    private RedisBroker node(Recorder recorder) {
        return node(recorder, RedisTestSupport.config(PREFIX));
    }

    private static <T> T join(CompletionStage<T> s) {
        try {
            return s.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Throwable failure(CompletionStage<?> s) {
        try {
            s.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Payload data(int n) {
        return Payload.ofJson("{\"n\":" + n + "}");
    }

    private static PublishOptions history(int size) {
        return PublishOptions.history(size, Duration.ofMinutes(5));
    }

    private static List<Long> range(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            out.add(i);
        }
        return out;
    }

    @Test
    void twoNodesSeeEachOthersPublicationsAndEventsInOneOrder() throws Exception {
        Recorder ra = new Recorder();
        Recorder rb = new Recorder();
        RedisBroker a = node(ra);
        RedisBroker b = node(rb);
        assertThat(a.sharded()).as("Redis 7 has sharded Pub/Sub").isTrue();
        join(a.subscribe(ch));
        join(b.subscribe(ch));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> fa = pool.submit(() -> {
                for (int i = 0; i < 150; i++) {
                    join(a.publish(ch, data(i), ClientInfo.of("ca", "ua"), history(1000)));
                }
            });
            Future<?> fb = pool.submit(() -> {
                for (int i = 0; i < 150; i++) {
                    join(b.publish(ch, data(1000 + i), ClientInfo.of("cb", "ub"), history(1000)));
                }
            });
            fa.get(60, TimeUnit.SECONDS);
            fb.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        await().atMost(WAIT).until(() -> ra.pubs(ch).size() == 300 && rb.pubs(ch).size() == 300);
        assertThat(ra.offsets(ch)).isEqualTo(range(1, 300));
        assertThat(ra.pubs(ch)).as("both nodes see the same publications in the same order").isEqualTo(rb.pubs(ch));
        assertThat(ra.pubs(ch)).extracting(p -> p.info().client()).contains("ca", "cb");

        join(b.publishEvent(ch, new ChannelEvent.Join(ClientInfo.of("cb", "ub"))));
        await().atMost(WAIT).until(() -> ra.events.getOrDefault(ch, List.of()).size() == 1);
        assertThat(ra.events.get(ch).get(0)).isEqualTo(new ChannelEvent.Join(ClientInfo.of("cb", "ub")));
    }

    @Test
    void concurrentPublishersOnTwoNodesProduceNoGapsAndNoDuplicates() throws Exception {
        Recorder ra = new Recorder();
        Recorder rb = new Recorder();
        RedisBroker a = node(ra);
        RedisBroker b = node(rb);
        join(b.subscribe(ch));
        int threads = 4;
        int each = 200;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Long> all = new ArrayList<>();
        try {
            List<Future<List<Long>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                RedisBroker via = t % 2 == 0 ? a : b;
                int base = t * each;
                futures.add(pool.submit(() -> {
                    List<Long> offsets = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        offsets.add(join(via.publish(ch, data(base + i), null, history(5000))).position().offset());
                    }
                    return offsets;
                }));
            }
            for (Future<List<Long>> f : futures) {
                List<Long> mine = f.get(60, TimeUnit.SECONDS);
                assertThat(mine).isSorted();
                all.addAll(mine);
            }
        } finally {
            pool.shutdownNow();
        }
        Collections.sort(all);
        assertThat(all).isEqualTo(range(1, threads * each));
        await().atMost(WAIT).until(() -> rb.pubs(ch).size() >= threads * each);
        assertThat(rb.offsets(ch)).isEqualTo(range(1, threads * each));
        HistoryResult h = join(a.history(ch, new HistoryQuery(null, -1, false)));
        assertThat(h.publications()).extracting(Publication::offset).isEqualTo(range(1, threads * each));
        assertThat(h.publications()).isEqualTo(rb.pubs(ch));
    }

    /**
     * Deleting this prefix's keys is what {@code FLUSHALL} (or a restart without persistence) does
     * to these channels; the test does not flush the whole shared Redis.
     */
    @Test
    void aLostStreamGetsANewEpochAndOldPositionsAreNotRecoverable() {
        Recorder r = new Recorder();
        RedisBroker a = node(r);
        join(a.subscribe(ch));
        StreamPosition old = null;
        for (int i = 1; i <= 3; i++) {
            old = join(a.publish(ch, data(i), null, history(10))).position();
        }
        await().atMost(WAIT).until(() -> r.pubs(ch).size() == 3);
        assertThat(RedisTestSupport.deleteKeys(PREFIX)).isPositive();

        StreamPosition fresh = join(a.publish(ch, data(4), null, history(10))).position();
        assertThat(fresh.offset()).isEqualTo(1);
        assertThat(fresh.epoch()).isNotEqualTo(old.epoch()).isNotEmpty();
        HistoryResult h = join(a.history(ch, HistoryQuery.since(old, 10)));
        assertThat(h.position()).isEqualTo(fresh);
        assertThat(h.publications()).as("nothing of the old epoch is served").extracting(Publication::position).containsExactly(fresh);
        // the subscribed node still gets the new stream's publications, in the new epoch
        await().atMost(WAIT).until(() -> r.pubs(ch).size() == 4);
        assertThat(r.pubs(ch).get(3).position()).isEqualTo(fresh);
    }

    @Test
    void aLostStreamReadBeforeItsNextPublicationAlsoGetsANewEpoch() {
        RedisBroker a = node(new Recorder());
        StreamPosition old = join(a.publish(ch, data(1), null, history(10))).position();
        RedisTestSupport.deleteKeys(PREFIX);
        StreamPosition empty = join(a.history(ch, HistoryQuery.position())).position();
        assertThat(empty.offset()).isZero();
        assertThat(empty.epoch()).isNotEqualTo(old.epoch());
        assertThat(join(a.publish(ch, data(2), null, history(10))).position()).isEqualTo(new StreamPosition(1, empty.epoch()));
    }

    @Test
    void epochsOfSuccessiveLossesAreAllDifferent() {
        RedisBroker a = node(new Recorder());
        List<String> epochs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            epochs.add(join(a.publish(ch, data(i), null, history(10))).position().epoch());
            join(a.removeHistory(ch));
        }
        assertThat(epochs).doesNotHaveDuplicates();
    }

    @Test
    void keysExpireSoIdleChannelsVanish() {
        RedisBroker a = node(new Recorder(), RedisTestSupport.config(PREFIX).streamMetaTtl(Duration.ofMillis(800)));
        PublishOptions shortLived = PublishOptions.history(10, Duration.ofMillis(300)).withIdempotencyKey("k", Duration.ofMillis(300));
        join(a.publish(ch, data(1), null, shortLived));
        List<String> keys = RedisTestSupport.keys(PREFIX).stream().filter(k -> k.contains("{" + ch + "}")).toList();
        assertThat(keys).hasSize(4);
        RedisTestSupport.withAdmin(redis -> {
            for (String k : keys) {
                assertThat(redis.pttl(k)).as("expiry of %s", k).isBetween(1L, 800L);
            }
        });
        await().atMost(WAIT).until(() -> RedisTestSupport.keys(PREFIX).stream().noneMatch(k -> k.contains("{" + ch + "}")));
        // and the channel starts over in a new epoch
        assertThat(join(a.publish(ch, data(2), null, history(10))).position().offset()).isEqualTo(1);
    }

    @Test
    void aMalformedPubSubMessageIsDroppedWithoutAffectingOtherChannels() {
        Recorder r = new Recorder();
        RedisBroker a = node(r);
        String other = ch + "-other";
        join(a.subscribe(ch));
        join(a.subscribe(other));
        String ps = new dev.chorus.redis.internal.Keys(PREFIX).pubSub(ch);
        List<String> garbage = List.of("hello", "P1 abc {not json", "Pxyz e {\"t\":1,\"d\":1}", "E{\"e\":\"join\"}", "", "P0 e {\"t\":1,\"d\":1}");
        RedisTestSupport.withAdmin(redis -> garbage.forEach(g -> redis.spublish(ps, g)));
        join(a.publish(ch, data(1), null, history(10)));
        join(a.publish(other, data(2), null, history(10)));
        await().atMost(WAIT).until(() -> r.pubs(ch).size() == 1 && r.pubs(other).size() == 1);
        assertThat(a.malformedMessages()).isEqualTo(garbage.size());
        assertThat(r.pubs(ch).get(0).data()).isEqualTo(data(1));
        assertThat(r.events).isEmpty();
    }

    @Test
    void aPubSubReconnectCatchesUpFromHistoryInOrderWithoutDuplicates() {
        String name = "chorus-test-" + UUID.randomUUID().toString().substring(0, 8);
        Recorder r = new Recorder();
        RedisBroker subscriber = node(r, RedisTestSupport.config(PREFIX).clientName(name)
                .reconnectDelay(Duration.ofMillis(500), Duration.ofMillis(500)));
        RedisBroker publisher = node(new Recorder());
        join(subscriber.subscribe(ch));
        for (int i = 1; i <= 3; i++) {
            join(publisher.publish(ch, data(i), null, history(100)));
        }
        await().atMost(WAIT).until(() -> r.pubs(ch).size() == 3);
        try (RedisTestSupport.Admin admin = new RedisTestSupport.Admin()) {
            assertThat(admin.kill(name, true)).as("the subscriber's Pub/Sub connection").isEqualTo(1);
        }
        // published while the subscriber reconnects (500 ms): Pub/Sub cannot deliver these
        for (int i = 4; i <= 10; i++) {
            join(publisher.publish(ch, data(i), null, history(100)));
        }
        await().atMost(WAIT).until(() -> r.pubs(ch).size() >= 10);
        for (int i = 11; i <= 12; i++) {
            join(publisher.publish(ch, data(i), null, history(100)));
        }
        await().atMost(WAIT).until(() -> r.pubs(ch).size() >= 12);
        assertThat(r.offsets(ch)).isEqualTo(range(1, 12));
        assertThat(r.pubs(ch).get(6).data()).isEqualTo(data(7));
    }

    @Test
    void whileDisconnectedPublishesFailClearlyAndWorkAgainAfterTheReconnect() {
        String name = "chorus-test-" + UUID.randomUUID().toString().substring(0, 8);
        RedisBroker a = node(new Recorder(), RedisTestSupport.config(PREFIX).clientName(name)
                .reconnectDelay(Duration.ofSeconds(1), Duration.ofSeconds(1)));
        join(a.publish(ch, data(1), null, history(10)));
        // subscribed, the Pub/Sub connection is told apart from the command connection
        join(a.subscribe(ch));
        try (RedisTestSupport.Admin admin = new RedisTestSupport.Admin()) {
            assertThat(admin.kill(name, false)).as("the command connection").isEqualTo(1);
        }
        Throwable e = await().atMost(WAIT).pollInterval(Duration.ofMillis(10))
                .until(() -> failure(a.publish(ch, data(2), null, history(10))), x -> x != null);
        assertThat(e).isInstanceOf(RedisBrokerException.class);
        assertThat(((RedisBrokerException) e).unavailable()).isTrue();
        assertThat(e.getMessage()).startsWith("publishing to '" + ch + "' failed: ").containsAnyOf("not connected", "lost", "not reachable");
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> failure(a.publish(ch, data(3), null, history(10))) == null);
        // at most once: every stored publication is one that succeeded or was in flight, none twice
        List<Publication> h = join(a.history(ch, new HistoryQuery(null, -1, false))).publications();
        assertThat(h).extracting(Publication::offset).isEqualTo(range(1, h.size()));
    }

    @Test
    void anUnreachableRedisFailsStartWithAClearError() {
        RedisBroker b = RedisBroker.create(RedisConfig.builder().uri("redis://127.0.0.1:1").connectTimeout(Duration.ofSeconds(2)).build());
        brokers.add(b);
        Throwable e = failure(b.start(new Recorder()));
        assertThat(e).isInstanceOf(RedisBrokerException.class);
        assertThat(e.getMessage()).startsWith("starting the Redis broker failed: ").contains("127.0.0.1:1");
        assertThatThrownBy(() -> b.publish(ch, data(1), null, history(1))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void operationsBeforeStartAreRefused() {
        RedisBroker b = RedisBroker.create(RedisTestSupport.config(PREFIX).build());
        brokers.add(b);
        assertThatThrownBy(() -> b.publish(ch, data(1), null, history(1))).isInstanceOf(IllegalStateException.class).hasMessageContaining("not started");
        assertThatThrownBy(() -> b.subscribe(ch)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aCorruptStoredEntryIsSkippedAndTheGapIsVisible() {
        RedisBroker a = node(new Recorder());
        for (int i = 1; i <= 3; i++) {
            join(a.publish(ch, data(i), null, history(10)));
        }
        String stream = new dev.chorus.redis.internal.Keys(PREFIX).stream(ch);
        RedisTestSupport.withAdmin(redis -> {
            redis.xdel(stream, "2-0");
            redis.xadd(stream, new io.lettuce.core.XAddArgs().id("4-0"), Map.of("b", "{broken", "x", "0"));
            redis.hset(new dev.chorus.redis.internal.Keys(PREFIX).meta(ch), "o", "4");
        });
        HistoryResult h = join(a.history(ch, new HistoryQuery(null, -1, false)));
        assertThat(h.position().offset()).isEqualTo(4);
        assertThat(h.publications()).extracting(Publication::offset).containsExactly(1L, 3L);
        assertThat(new String(h.publications().get(1).data().json(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":3}");
    }
}
