package dev.chorus.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.chorus.core.broker.BrokerEventHandler;
import dev.chorus.core.broker.ChannelEvent;
import dev.chorus.core.broker.HistoryQuery;
import dev.chorus.core.broker.HistoryResult;
import dev.chorus.core.broker.PublishOptions;
import dev.chorus.nats.internal.Subjects;
import dev.chorus.nats.internal.WireCodec;
import dev.chorus.protocol.ClientInfo;
import dev.chorus.protocol.Payload;
import dev.chorus.protocol.Publication;
import dev.chorus.protocol.StreamPosition;
import io.nats.client.Connection;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Two NatsBroker instances on one NATS, as two Chorus nodes would be, and what only NATS can do. */
class NatsBrokerClusterTest {
    private static final String PREFIX = NatsTestServer.newPrefix();
    private static final Duration WAIT = Duration.ofSeconds(15);

    private NatsBroker a;
    private NatsBroker b;
    private final Recorder ra = new Recorder();
    private final Recorder rb = new Recorder();
    private final String ch = "room:" + UUID.randomUUID().toString().substring(0, 8);

    @AfterAll
    static void deleteStream() throws Exception {
        NatsTestServer.cleanUp(PREFIX);
    }

    @BeforeEach
    void start() {
        NatsTestServer.requireReachable();
        a = NatsBroker.create(NatsTestServer.config(PREFIX).connectionName("node-a").build());
        b = NatsBroker.create(NatsTestServer.config(PREFIX).connectionName("node-b").build());
        join(a.start(ra));
        join(b.start(rb));
    }

    @AfterEach
    void stop() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
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
    }

    private static <T> T join(CompletionStage<T> s) {
        try {
            return s.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static PublishOptions history(int size) {
        return PublishOptions.history(size, Duration.ofMinutes(5));
    }

    private static Payload data(String node, int n) {
        return Payload.ofJson("{\"node\":\"" + node + "\",\"n\":" + n + "}");
    }

    @Test
    void concurrentPublishersOnTwoNodesGetDistinctConsecutiveOffsetsAndBothNodesSeeOneOrder() throws Exception {
        join(a.subscribe(ch));
        join(b.subscribe(ch));
        int each = 300;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Long>>> futures = new ArrayList<>();
            for (NatsBroker node : List.of(a, b, a, b)) {
                String name = node == a ? "a" : "b";
                futures.add(pool.submit(() -> {
                    List<Long> offsets = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        offsets.add(join(node.publish(ch, data(name, i), ClientInfo.of(name, name), history(5000))).position().offset());
                    }
                    return offsets;
                }));
            }
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> f : futures) {
                List<Long> mine = f.get(60, TimeUnit.SECONDS);
                assertThat(mine).as("one publisher's offsets increase").isSorted();
                all.addAll(mine);
            }
            Collections.sort(all);
            List<Long> expected = new ArrayList<>();
            for (long i = 1; i <= 4L * each; i++) {
                expected.add(i);
            }
            assertThat(all).as("no gaps, no duplicates").isEqualTo(expected);
        } finally {
            pool.shutdownNow();
        }
        int total = 4 * each;
        await().atMost(WAIT).until(() -> ra.pubs(ch).size() >= total && rb.pubs(ch).size() >= total);
        assertThat(ra.pubs(ch)).extracting(Publication::offset).isEqualTo(offsetsUpTo(total));
        assertThat(ra.pubs(ch)).as("both nodes deliver the same publications in the same order").isEqualTo(rb.pubs(ch));
        HistoryResult h = join(b.history(ch, new HistoryQuery(null, -1, false)));
        assertThat(h.publications()).as("history agrees with what was delivered").isEqualTo(ra.pubs(ch));
    }

    private static List<Long> offsetsUpTo(int n) {
        List<Long> out = new ArrayList<>();
        for (long i = 1; i <= n; i++) {
            out.add(i);
        }
        return out;
    }

    @Test
    void eventsReachTheOtherNodeAndAreNotStored() {
        join(b.subscribe(ch));
        ClientInfo who = new ClientInfo("c1", "u1", Payload.ofJson("{\"r\":1}"), Payload.ofJson("{\"x\":2}"), 4);
        join(a.publishEvent(ch, new ChannelEvent.Join(who)));
        join(a.publishEvent(ch, new ChannelEvent.Signal("cursor", Payload.ofJson("[3,4]"), who.identity())));
        await().atMost(WAIT).until(() -> rb.events.getOrDefault(ch, List.of()).size() == 2);
        assertThat(rb.events.get(ch)).containsExactly(new ChannelEvent.Join(who),
                new ChannelEvent.Signal("cursor", Payload.ofJson("[3,4]"), who.identity()));
        assertThat(join(a.history(ch, new HistoryQuery(null, -1, false))).publications()).isEmpty();
    }

    @Test
    void deletingTheStreamStartsANewEpochAndOldPositionsAreNotRecoverable() throws Exception {
        join(b.subscribe(ch));
        StreamPosition first = join(a.publish(ch, data("a", 1), null, history(100))).position();
        StreamPosition second = join(a.publish(ch, data("a", 2), null, history(100))).position();
        await().atMost(WAIT).until(() -> rb.pubs(ch).size() == 2);

        // JetStream lost the stream (deleted, or its storage is gone)
        try (Connection c = NatsTestServer.connect()) {
            c.jetStreamManagement().deleteStream(a.config().streamName());
        }

        StreamPosition after = join(a.publish(ch, data("a", 3), null, history(100))).position();
        assertThat(after.epoch()).isNotEqualTo(first.epoch());
        assertThat(after.offset()).isEqualTo(1);

        HistoryResult fromOld = join(b.history(ch, HistoryQuery.since(second, 100)));
        assertThat(fromOld.position()).isEqualTo(after);
        assertThat(fromOld.publications()).as("nothing of the old epoch is served")
                .extracting(Publication::position).containsExactly(after);

        // the subscribed node moves to the new epoch and delivers its publications in order
        StreamPosition after2 = join(b.publish(ch, data("b", 4), null, history(100))).position();
        assertThat(after2).isEqualTo(new StreamPosition(2, after.epoch()));
        await().atMost(WAIT).until(() -> rb.pubs(ch).size() == 4);
        assertThat(rb.pubs(ch)).extracting(Publication::position).containsExactly(first, second, after, after2);
    }

    @Test
    void aPublicationStoredWithoutFanOutIsDeliveredFromJetStreamWhenTheNextOneShowsTheGap() throws Exception {
        join(b.subscribe(ch));
        StreamPosition p1 = join(a.publish(ch, data("a", 1), null, history(100))).position();
        await().atMost(WAIT).until(() -> rb.pubs(ch).size() == 1);

        // a node that crashed after JetStream's ack and before its fan-out: offset 2 is stored only
        Subjects subjects = new Subjects(PREFIX);
        Publication lost = new Publication(2, p1.epoch(), System.currentTimeMillis(), data("ghost", 2), null);
        try (Connection c = NatsTestServer.connect()) {
            long lastSeq = c.jetStreamManagement().getLastMessage(a.config().streamName(), subjects.history(ch)).getSeq();
            Headers h = new Headers();
            h.put(NatsBroker.EXPECTED_LAST_SUBJECT_SEQ, Long.toString(lastSeq));
            h.put(NatsBroker.H_EPOCH, p1.epoch());
            h.put(NatsBroker.H_OFFSET, "2");
            h.put(NatsBroker.H_EXPIRES, "0");
            h.put(NatsBroker.H_SIZE, "100");
            c.jetStream().publish(NatsMessage.builder().subject(subjects.history(ch)).headers(h)
                    .data(WireCodec.encodePublication(lost)).build());
        }
        StreamPosition p3 = join(a.publish(ch, data("a", 3), null, history(100))).position();
        assertThat(p3.offset()).as("the publisher continues after the stored one").isEqualTo(3);
        await().atMost(WAIT).until(() -> rb.pubs(ch).size() == 3);
        assertThat(rb.pubs(ch)).extracting(Publication::offset).containsExactly(1L, 2L, 3L);
        assertThat(rb.pubs(ch).get(1).data()).isEqualTo(data("ghost", 2));
    }

    @Test
    void aMalformedMessageOnTheFanOutSubjectIsLoggedAndDropped() throws Exception {
        Logger feedLog = (Logger) LoggerFactory.getLogger(ChannelFeed.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        feedLog.addAppender(appender);
        try {
            join(b.subscribe(ch));
            String subject = new Subjects(PREFIX).fanout(ch);
            try (Connection c = NatsTestServer.connect()) {
                c.publish(subject, "not a chorus frame".getBytes(StandardCharsets.UTF_8));
                c.publish(subject, new byte[] {1, 'P', 0, 0, 0, 99});
                c.publish(subject, new byte[0]);
                c.flush(Duration.ofSeconds(5));
            }
            StreamPosition p = join(a.publish(ch, data("a", 1), null, history(10))).position();
            await().atMost(WAIT).until(() -> rb.pubs(ch).size() == 1);
            assertThat(rb.pubs(ch)).extracting(Publication::position).containsExactly(p);
            assertThat(rb.events.getOrDefault(ch, List.of())).isEmpty();
            assertThat(appender.list).filteredOn(e -> e.getFormattedMessage().contains("dropped a malformed message on " + subject))
                    .hasSize(3);
        } finally {
            feedLog.detachAppender(appender);
        }
    }

    @Test
    void anIdempotencyKeyIsHonouredAcrossNodes() {
        PublishOptions keyed = history(10).withIdempotencyKey("order-17", Duration.ofMinutes(1));
        var first = join(a.publish(ch, data("a", 1), null, keyed));
        var retryElsewhere = join(b.publish(ch, data("a", 1), null, keyed));
        assertThat(first.duplicate()).isFalse();
        assertThat(retryElsewhere.duplicate()).isTrue();
        assertThat(retryElsewhere.position()).isEqualTo(first.position());
        assertThat(join(a.history(ch, new HistoryQuery(null, -1, false))).publications()).hasSize(1);
    }

    @Test
    void theEpochAnEmptyChannelReportsIsTheOneAnotherNodePublishesIn() {
        StreamPosition empty = join(a.history(ch, HistoryQuery.position())).position();
        StreamPosition first = join(b.publish(ch, data("b", 1), null, history(10))).position();
        assertThat(first).isEqualTo(new StreamPosition(1, empty.epoch()));
    }

    @Test
    void optionsBeyondTheConfiguredLimitsAreRefusedClearly() {
        assertThatThrownBy(() -> a.publish(ch, data("a", 1), null, history(a.config().maxHistorySize() + 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxHistorySize");
        assertThatThrownBy(() -> a.publish(ch, data("a", 1), null, PublishOptions.history(1, Duration.ofDays(2))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxHistoryTtl");
        assertThatThrownBy(() -> a.publish(ch, data("a", 1), null, history(1).withIdempotencyKey("k", Duration.ofHours(1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxIdempotencyWindow");
        assertThatThrownBy(() -> a.publish("", data("a", 1), null, history(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty channel");
        assertThat(join(a.history(ch, HistoryQuery.position())).position().offset()).as("nothing was stored").isZero();
    }

    @Test
    void channelNamesWithSubjectCharactersStayApart() {
        Set<String> names = new HashSet<>(List.of("x.y", "x=2Ey", "x y", "x*", "x>", "x:y", "ü"));
        for (String n : names) {
            join(a.publish(ch + n, data("a", 1), null, history(10)));
        }
        for (String n : names) {
            assertThat(join(a.history(ch + n, new HistoryQuery(null, -1, false))).publications()).as(n).hasSize(1);
        }
    }
}
