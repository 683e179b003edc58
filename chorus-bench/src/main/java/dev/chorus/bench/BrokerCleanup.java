package dev.chorus.bench;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Nats;
import java.time.Duration;

/**
 * Removes what a benchmark cluster left in the shared broker: the Redis keys under its prefix, or the
 * NATS history stream and presence bucket of its prefix. The brokers are shared with other runs, so
 * every run works under a prefix of its own and deletes exactly that.
 */
final class BrokerCleanup {
    private BrokerCleanup() {
    }

    /** Deletes every Redis key starting with {@code prefix}; returns how many. */
    static long redis(String url, String prefix) {
        if (prefix.isEmpty() || prefix.chars().anyMatch(ch -> "*?[]\\".indexOf(ch) >= 0)) {
            throw new IllegalArgumentException("refusing to delete by pattern for prefix '" + prefix + "'");
        }
        RedisClient client = RedisClient.create(url);
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            c.setTimeout(Duration.ofSeconds(10));
            RedisCommands<String, String> r = c.sync();
            long deleted = 0;
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = r.scan(cursor, ScanArgs.Builder.matches(prefix + "*").limit(1000));
                if (!page.getKeys().isEmpty()) {
                    deleted += r.unlink(page.getKeys().toArray(new String[0]));
                }
                cursor = page;
            } while (!cursor.isFinished());
            return deleted;
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    /** The Redis server's process id (from INFO), or -1. */
    static long redisPid(String url) {
        RedisClient client = RedisClient.create(url);
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            String info = c.sync().info("server");
            for (String line : info.split("\r?\n")) {
                if (line.startsWith("process_id:")) {
                    return Long.parseLong(line.substring("process_id:".length()).trim());
                }
            }
            return -1;
        } catch (RuntimeException e) {
            return -1;
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    /** Whether Redis answers at {@code url}. */
    static boolean redisAvailable(String url) {
        RedisClient client = RedisClient.create(url);
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            return "PONG".equals(c.sync().ping());
        } catch (RuntimeException e) {
            return false;
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    /** Deletes the history stream and presence bucket of a NATS prefix (see NatsConfig); returns how many existed. */
    static int nats(String url, String prefix) throws Exception {
        int deleted = 0;
        try (Connection nc = Nats.connect(url)) {
            var jsm = nc.jetStreamManagement();
            for (String stream : new String[] {prefix + "_history", "KV_" + prefix + "_presence"}) {
                try {
                    if (jsm.deleteStream(stream)) {
                        deleted++;
                    }
                } catch (JetStreamApiException e) {
                    // not there (this run never created it)
                }
            }
        }
        return deleted;
    }
}
