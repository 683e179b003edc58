package dev.chorus.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.testkit.RedisKeys;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stock Yjs clients on different nodes converge: two server processes over the machine's Redis
 * and a shared PostgreSQL document store, a y-websocket client on each, and a Hocuspocus provider
 * joining on the second.
 */
class YjsClusterTest {
    private static final String PG_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private static boolean reachable(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static void require(boolean ok, String what) {
        if (!ok && "true".equals(System.getenv("CI"))) {
            throw new AssertionError(what + " is required under CI=true");
        }
        Assumptions.assumeTrue(ok, what + " is not reachable: test skipped");
    }

    @Test
    void yWebsocketClientsOnDifferentNodesAndAHocuspocusProviderConverge(@TempDir Path dir) throws Exception {
        require(reachable(6379), "Redis at 127.0.0.1:6379");
        require(reachable(5432), "PostgreSQL at 127.0.0.1:5432");
        NodeClients.ensureInstalled();
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String prefix = "chorus-yjs-cluster-" + id + ":";
        String schema = "chorus_yjs_cluster_" + id;
        Map<String, String> env = Map.of("CHORUS_BROKER", "redis", "CHORUS_REDIS_PREFIX", prefix,
                "CHORUS_DOCUMENTS_STORE", "postgres", "CHORUS_DOCUMENTS_POSTGRES_URL", PG_URL,
                "CHORUS_DOCUMENTS_POSTGRES_SCHEMA", schema);
        try (ChorusProcess one = ChorusProcess.start(dir.resolve("one"), env, dir.resolve("one.log"));
             ChorusProcess two = ChorusProcess.start(dir.resolve("two"), env, dir.resolve("two.log"))) {
            Map<String, Object> result = NodeClients.scenario("acrossNodes", Map.of("room", "shared-" + id,
                    "urls", List.of("ws://127.0.0.1:" + one.port, "ws://127.0.0.1:" + two.port)));
            @SuppressWarnings("unchecked")
            Map<String, Object> content = (Map<String, Object>) result.get("content");
            // both nodes' clients' edits are in the converged document
            assertThat((String) content.get("text")).contains("[0.").contains("[1.");
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) content.get("map");
            assertThat(map).containsKeys("k0", "k1");
        } finally {
            RedisKeys.deleteMatching(prefix + "*");
            try (Connection c = DriverManager.getConnection(PG_URL)) {
                c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }
}
