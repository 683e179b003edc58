package dev.chorus.redis;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The Redis the tests run against: {@code CHORUS_REDIS_URI}, default {@code redis://127.0.0.1:6379}.
 * Tests skip with a visible message when it does not answer, except with {@code CI=true}, where
 * they fail ({@link RedisAvailable}). Every test class works under a key prefix of its own and deletes its keys afterwards,
 * since the Redis is shared with other runs.
 */
final class RedisTestSupport {
    static final String URI = System.getenv().getOrDefault("CHORUS_REDIS_URI", "redis://127.0.0.1:6379");
    private static volatile boolean reachable;
    private static volatile String problem;
    private static volatile boolean checked;

    private RedisTestSupport() {
    }

    /** Why Redis cannot be used, or {@code null} when it answers PING; Redis is asked once. */
    static synchronized String problem() {
        if (!checked) {
            checked = true;
            try (Admin a = new Admin()) {
                if (!"PONG".equals(a.redis().ping())) {
                    problem = "no PONG";
                }
            } catch (RuntimeException e) {
                problem = e.toString();
            }
            reachable = problem == null;
        }
        return problem;
    }

    static String newPrefix() {
        return "chorus-test-" + UUID.randomUUID() + ":";
    }

    static RedisConfig.Builder config(String prefix) {
        return RedisConfig.builder().uri(URI).keyPrefix(prefix).commandTimeout(Duration.ofSeconds(10));
    }

    /** Every key under {@code prefix}. */
    static List<String> keys(String prefix) {
        try (Admin a = new Admin()) {
            return a.keys(prefix);
        }
    }

    /** After a test class: deletes its keys, unless Redis was not reachable (the class was skipped). */
    static void cleanUp(String prefix) {
        if (reachable) {
            deleteKeys(prefix);
        }
    }

    /**
     * Deletes every key under {@code prefix}: what {@code FLUSHALL} or a restart without
     * persistence does to this prefix's channels, without disturbing others sharing the Redis.
     */
    static int deleteKeys(String prefix) {
        try (Admin a = new Admin()) {
            List<String> keys = a.keys(prefix);
            if (!keys.isEmpty()) {
                a.redis().del(keys.toArray(new String[0]));
            }
            return keys.size();
        }
    }

    static void withAdmin(Consumer<RedisCommands<String, String>> body) {
        try (Admin a = new Admin()) {
            body.accept(a.redis());
        }
    }

    /** A plain synchronous connection for setting up and inspecting (tests only). */
    static final class Admin implements AutoCloseable {
        private final RedisClient client = RedisClient.create(io.lettuce.core.RedisURI.builder(io.lettuce.core.RedisURI.create(URI)).withTimeout(Duration.ofSeconds(5)).build());
        private final StatefulRedisConnection<String, String> connection;

        Admin() {
            try {
                connection = client.connect();
            } catch (RuntimeException e) {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
                throw e;
            }
        }

        RedisCommands<String, String> redis() {
            return connection.sync();
        }

        List<String> keys(String prefix) {
            List<String> out = new ArrayList<>();
            ScanCursor cursor = ScanCursor.INITIAL;
            String pattern = new dev.chorus.redis.internal.Keys(prefix).pattern();
            do {
                KeyScanCursor<String> page = redis().scan(cursor, ScanArgs.Builder.matches(pattern).limit(1000));
                out.addAll(page.getKeys());
                cursor = page;
            } while (!cursor.isFinished());
            return out;
        }

        /** Kills this Redis's connections named {@code name}; {@code pubSub} picks subscribed ones or the others. */
        int kill(String name, boolean pubSub) {
            int n = 0;
            for (String line : redis().clientList().split("\n")) {
                if (!line.contains(" name=" + name + " ")) {
                    continue;
                }
                boolean subscribed = !line.matches(".* sub=0 psub=0 ssub=0 .*");
                if (subscribed == pubSub) {
                    String id = line.replaceFirst("^id=(\\d+) .*$", "$1").trim();
                    redis().clientKill(io.lettuce.core.KillArgs.Builder.id(Long.parseLong(id)));
                    n++;
                }
            }
            return n;
        }

        @Override
        public void close() {
            connection.close();
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }
}
