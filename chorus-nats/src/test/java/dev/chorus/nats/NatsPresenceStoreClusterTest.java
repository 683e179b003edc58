package dev.chorus.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chorus.core.presence.PresenceStats;
import dev.chorus.protocol.ClientInfo;
import dev.chorus.protocol.Payload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two presence stores on one NATS, as two nodes would have. */
class NatsPresenceStoreClusterTest {
    private static final String PREFIX = NatsTestServer.newPrefix();
    private static final Duration TTL = Duration.ofMinutes(1);
    private NatsPresenceStore a;
    private NatsPresenceStore b;
    private final String ch = "doc:" + UUID.randomUUID().toString().substring(0, 8);

    @AfterAll
    static void deleteBucket() throws Exception {
        NatsTestServer.cleanUp(PREFIX);
    }

    @BeforeEach
    void start() {
        NatsTestServer.requireReachable();
        a = NatsPresenceStore.create(NatsTestServer.config(PREFIX).build());
        b = NatsPresenceStore.create(NatsTestServer.config(PREFIX).build());
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

    private static <T> T join(CompletionStage<T> s) {
        try {
            return s.toCompletableFuture().get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static ClientInfo client(String id, String user, long clock) {
        return new ClientInfo(id, user, null, Payload.ofJson("{\"c\":" + clock + "}"), clock);
    }

    @Test
    void entriesPutOnOneNodeAreSeenAndRemovedOnTheOther() {
        join(a.put(ch, client("x", "ann", 1), TTL));
        join(b.put(ch, client("y", "bob", 1), TTL));
        assertThat(join(a.get(ch))).containsOnlyKeys("x", "y");
        assertThat(join(b.stats(ch))).isEqualTo(new PresenceStats(2, 2));
        assertThat(join(b.remove(ch, "x"))).isTrue();
        assertThat(join(a.get(ch))).containsOnlyKeys("y");
    }

    @Test
    void racingNodesKeepTheHighestClock() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        int each = 100;
        try {
            List<Future<?>> fs = new ArrayList<>();
            NatsPresenceStore[] stores = {a, b, a, b};
            for (int t = 0; t < 4; t++) {
                NatsPresenceStore s = stores[t];
                int start = t + 1;
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        join(s.put(ch, client("z", "u", start + (long) i * 4), TTL));
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(join(b.get(ch)).get("z").clock()).isEqualTo(4L * each);
        assertThat(join(a.get(ch)).get("z").state()).isEqualTo(Payload.ofJson("{\"c\":" + 4 * each + "}"));
    }

    @Test
    void aTtlBeyondTheBucketsMaxAgeIsRefused() {
        assertThatThrownBy(() -> a.put(ch, client("x", "u", 1), Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxPresenceTtl");
        assertThatThrownBy(() -> a.put(ch, client("x", "u", 1), Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThat(join(a.get(ch))).isEmpty();
    }

    @Test
    void channelAndClientNamesWithDotsDoNotMix() {
        join(a.put("p.q", client("r", "u", 1), TTL));
        join(a.put("p", client("q.r", "u", 1), TTL));
        assertThat(join(b.get("p.q"))).containsOnlyKeys("r");
        assertThat(join(b.get("p"))).containsOnlyKeys("q.r");
        join(a.remove("p.q", "r"));
        join(a.remove("p", "q.r"));
    }
}
