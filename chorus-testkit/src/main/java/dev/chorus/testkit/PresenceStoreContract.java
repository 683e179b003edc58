package dev.chorus.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chorus.core.presence.PresenceStats;
import dev.chorus.core.presence.PresenceStore;
import dev.chorus.protocol.ClientInfo;
import dev.chorus.protocol.Payload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link PresenceStore} must show, clause by clause of its Javadoc:
 * put/get/remove, last-writer-wins by clock (also under racing writers), expiry without refresh,
 * and stats consistent with get. Extend it with a factory for the store under test; each test
 * gets a new store, closed afterwards. Channel names carry a random prefix per test instance, so
 * stores backed by a server shared between runs (Redis) can use it. TTL tests use TTLs of a few
 * hundred milliseconds and wait with Awaitility.
 */
public abstract class PresenceStoreContract {
    protected static final Duration TTL = Duration.ofMinutes(1);
    protected PresenceStore store;
    private final String prefix = "p" + UUID.randomUUID().toString().substring(0, 8) + ".";

    protected abstract PresenceStore createStore() throws Exception;

    @BeforeEach
    void create() throws Exception {
        store = createStore();
    }

    @AfterEach
    void close() {
        store.close();
    }

    protected String channel(String name) {
        return prefix + name;
    }

    protected static <T> T join(CompletionStage<T> s) {
        try {
            return s.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static ClientInfo client(String id, String user, String state, long clock) {
        return new ClientInfo(id, user, null, state == null ? null : Payload.ofJson(state), clock);
    }

    @Test
    void putGetRemove() {
        String ch = channel("basic");
        assertThat(join(store.put(ch, client("a", "u1", "{\"x\":1}", 1), TTL))).isTrue();
        assertThat(join(store.put(ch, client("b", "u2", null, 1), TTL))).isTrue();
        Map<String, ClientInfo> all = join(store.get(ch));
        assertThat(all).containsOnlyKeys("a", "b");
        assertThat(all.get("a").state()).isEqualTo(Payload.ofJson("{\"x\":1}"));
        assertThat(join(store.remove(ch, "a"))).isTrue();
        assertThat(join(store.remove(ch, "a"))).isFalse();
        assertThat(join(store.get(ch))).containsOnlyKeys("b");
    }

    @Test
    void lastWriterWinsByClock() {
        String ch = channel("lww");
        join(store.put(ch, client("a", "u", "{\"v\":2}", 2), TTL));
        assertThat(join(store.put(ch, client("a", "u", "{\"v\":1}", 1), TTL))).as("older clock ignored").isFalse();
        assertThat(join(store.get(ch)).get("a").state()).isEqualTo(Payload.ofJson("{\"v\":2}"));
        assertThat(join(store.put(ch, client("a", "u", "{\"v\":3}", 3), TTL))).isTrue();
        assertThat(join(store.get(ch)).get("a").clock()).isEqualTo(3);
        assertThat(join(store.put(ch, client("a", "u", "{\"v\":4}", 3), TTL))).as("equal clock replaces").isTrue();
        assertThat(join(store.get(ch)).get("a").state()).isEqualTo(Payload.ofJson("{\"v\":4}"));
    }

    @Test
    void anIgnoredPutDoesNotRefreshTheEntry() {
        String ch = channel("lww-ttl");
        join(store.put(ch, client("a", "u", null, 5), Duration.ofMillis(300)));
        assertThat(join(store.put(ch, client("a", "u", null, 4), TTL))).isFalse();
        await().atMost(Duration.ofSeconds(10)).until(() -> join(store.get(ch)).isEmpty());
        assertThat(join(store.stats(ch))).isEqualTo(new PresenceStats(0, 0));
    }

    @Test
    void afterRemoveAnyClockIsAccepted() {
        String ch = channel("lww-remove");
        join(store.put(ch, client("a", "u", "{\"v\":9}", 9), TTL));
        join(store.remove(ch, "a"));
        assertThat(join(store.put(ch, client("a", "u", "{\"v\":1}", 1), TTL))).isTrue();
        assertThat(join(store.get(ch)).get("a").clock()).isEqualTo(1);
    }

    @Test
    void racingPutsKeepTheHighestClock() throws Exception {
        String ch = channel("lww-race");
        int threads = 4;
        int each = 250;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int start = t + 1;
                futures.add(pool.submit(() -> {
                    // thread t writes clocks t+1, t+1+threads, ...: the clocks interleave across threads
                    for (int i = 0; i < each; i++) {
                        long clock = start + (long) i * threads;
                        join(store.put(ch, client("a", "u", "{\"c\":" + clock + "}", clock), TTL));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        ClientInfo kept = join(store.get(ch)).get("a");
        assertThat(kept.clock()).isEqualTo((long) threads * each);
        assertThat(kept.state()).isEqualTo(Payload.ofJson("{\"c\":" + threads * each + "}"));
    }

    @Test
    void entriesExpireWithoutRefresh() {
        String ch = channel("ttl");
        join(store.put(ch, client("short", "u", null, 1), Duration.ofMillis(300)));
        join(store.put(ch, client("long", "u", null, 1), TTL));
        assertThat(join(store.get(ch))).containsKeys("short", "long");
        await().atMost(Duration.ofSeconds(10)).until(() -> !join(store.get(ch)).containsKey("short"));
        assertThat(join(store.get(ch))).containsOnlyKeys("long");
        assertThat(join(store.stats(ch))).isEqualTo(new PresenceStats(1, 1));
    }

    @Test
    void statsCountClientsAndDistinctUsers() {
        String ch = channel("stats");
        join(store.put(ch, client("a", "ann", null, 1), TTL));
        join(store.put(ch, client("b", "ann", null, 1), TTL));
        join(store.put(ch, client("c", "bob", null, 1), TTL));
        assertThat(join(store.stats(ch))).isEqualTo(new PresenceStats(3, 2));
        assertThat(join(store.stats(channel("nobody")))).isEqualTo(new PresenceStats(0, 0));
        join(store.remove(ch, "c"));
        assertThat(join(store.stats(ch))).isEqualTo(new PresenceStats(2, 1));
        join(store.remove(ch, "a"));
        assertThat(join(store.stats(ch))).isEqualTo(new PresenceStats(1, 1));
        assertThat(join(store.get(ch))).containsOnlyKeys("b");
    }

    @Test
    void entriesKeepEveryField() {
        String ch = channel("fields");
        ClientInfo full = new ClientInfo("a", "ann", Payload.ofJson("{\"role\":\"editor\"}"), Payload.ofJson("{\"cursor\":[1,2]}"), 7);
        join(store.put(ch, full, TTL));
        assertThat(join(store.get(ch))).containsExactly(Map.entry("a", full));
    }

    @Test
    void channelsAreIndependent() {
        String a = channel("a");
        String b = channel("b");
        join(store.put(a, client("x", "u", null, 1), TTL));
        assertThat(join(store.get(b))).isEmpty();
        assertThat(join(store.remove(b, "x"))).isFalse();
        assertThat(join(store.get(a))).containsOnlyKeys("x");
    }
}
