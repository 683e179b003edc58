package dev.chorus.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chorus.core.presence.PresenceStats;
import dev.chorus.protocol.ClientInfo;
import dev.chorus.protocol.Payload;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;

/** Presence shared by several nodes, key expiry, and failures. */
@ExtendWith(RedisAvailable.class)
class RedisPresenceStoreTest {
    private static final String PREFIX = RedisTestSupport.newPrefix();
    private final String ch = "room-" + UUID.randomUUID().toString().substring(0, 8);

    @AfterAll
    static void cleanUp() {
        RedisTestSupport.cleanUp(PREFIX);
    }

    private static <T> T join(CompletionStage<T> s) throws Exception {
        return s.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void twoNodesShareOnePresenceWithLastWriterWins() throws Exception {
        try (RedisPresenceStore a = RedisPresenceStore.create(RedisTestSupport.config(PREFIX).build());
             RedisPresenceStore b = RedisPresenceStore.create(RedisTestSupport.config(PREFIX).build())) {
            ClientInfo v5 = new ClientInfo("c1", "u1", null, Payload.ofJson("{\"v\":5}"), 5);
            assertThat(join(a.put(ch, v5, Duration.ofMinutes(1)))).isTrue();
            assertThat(join(b.put(ch, v5.withState(Payload.ofJson("{\"v\":4}"), 4), Duration.ofMinutes(1)))).isFalse();
            assertThat(join(b.put(ch, new ClientInfo("c2", "u1", null, null, 1), Duration.ofMinutes(1)))).isTrue();
            assertThat(join(b.get(ch)).get("c1")).isEqualTo(v5);
            assertThat(join(a.stats(ch))).isEqualTo(new PresenceStats(2, 1));
            assertThat(join(b.remove(ch, "c1"))).isTrue();
            assertThat(join(a.get(ch))).containsOnlyKeys("c2");
        }
    }

    @Test
    void presenceKeysCarryAnExpirySoAnAbandonedChannelVanishes() throws Exception {
        try (RedisPresenceStore a = RedisPresenceStore.create(RedisTestSupport.config(PREFIX).build())) {
            join(a.put(ch, ClientInfo.of("c1", "u1"), Duration.ofMillis(400)));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> RedisTestSupport.keys(PREFIX).stream().noneMatch(k -> k.contains("{" + ch + "}")));
            assertThat(join(a.get(ch))).isEmpty();
        }
    }

    @Test
    void unreachableRedisFailsEachOperationClearlyAndBadTtlIsRefused() {
        try (RedisPresenceStore s = RedisPresenceStore.create(RedisConfig.builder().uri("redis://127.0.0.1:1").connectTimeout(Duration.ofSeconds(1)).build())) {
            assertThatThrownBy(() -> join(s.put(ch, ClientInfo.of("c", "u"), Duration.ofSeconds(1))))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(RedisBrokerException.class)
                    .hasMessageStartingWith("putting presence of 'c' in '" + ch + "' failed: ").hasMessageContaining("127.0.0.1:1");
            assertThatThrownBy(() -> s.put(ch, ClientInfo.of("c", "u"), Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
