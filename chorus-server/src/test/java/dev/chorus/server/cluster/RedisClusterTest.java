package dev.chorus.server.cluster;

import dev.chorus.testkit.RedisKeys;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;

/** Three nodes over the machine's Redis (127.0.0.1:6379), each test under its own key prefix. */
class RedisClusterTest extends ClusterContract {

    @Override
    Map<String, String> brokerEnvironment(String prefix) {
        return Map.of("CHORUS_BROKER", "redis", "CHORUS_REDIS_URL", "redis://127.0.0.1:6379", "CHORUS_REDIS_PREFIX", prefix + ":");
    }

    @Override
    boolean brokerReachable() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", 6379), 1000);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * Deletes every key of the prefix: what FLUSHALL or a restart without persistence does to this
     * cluster's data, without touching other users of the shared Redis.
     */
    @Override
    void loseBrokerData(String prefix) throws Exception {
        RedisKeys.deleteMatching(prefix + ":*");
    }
}
