package dev.chorus.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of the real server under stock npm Yjs clients: two y-websocket clients edit one
 * document until each has received the other's edits (so the server broadcast them, so they were
 * durable), one goes on editing, the server is SIGKILLed and restarted on the same data, and a fresh
 * y-websocket client and a Hocuspocus provider load it. Every update a client had received is there,
 * nothing that no client wrote is, and both protocols load the same state. Once on SQLite (the
 * default, under {@code --data-dir}) and once on PostgreSQL.
 */
class YjsKillTest {
    private static final String PG_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void node() {
        NodeClients.ensureInstalled();
    }

    @Test
    void sqliteKeepsWhatTheClientsReceivedAcrossKill9(@TempDir Path dir) throws Exception {
        editKillReload(dir, Map.of());
        assertThat(dir.resolve("data").resolve("documents.sqlite")).exists();
    }

    @Test
    void postgresKeepsWhatTheClientsReceivedAcrossKill9(@TempDir Path dir) throws Exception {
        boolean reachable;
        try (Connection c = DriverManager.getConnection(PG_URL)) {
            reachable = c.isValid(2);
        } catch (Exception e) {
            reachable = false;
        }
        if (!reachable && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("PostgreSQL at 127.0.0.1:5432 is required under CI=true");
        }
        Assumptions.assumeTrue(reachable, "SKIPPED: PostgreSQL at 127.0.0.1:5432 is not reachable");
        String schema = "chorus_yjs_kill_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Map<String, String> env = new HashMap<>();
        env.put("CHORUS_DOCUMENTS_STORE", "postgres");
        env.put("CHORUS_DOCUMENTS_POSTGRES_URL", PG_URL);
        env.put("CHORUS_DOCUMENTS_POSTGRES_SCHEMA", schema);
        try {
            editKillReload(dir, env);
            try (Connection c = DriverManager.getConnection(PG_URL);
                 var rs = c.getMetaData().getSchemas(null, schema)) {
                assertThat(rs.next()).as("the documents went to schema " + schema).isTrue();
            }
        } finally {
            try (Connection c = DriverManager.getConnection(PG_URL)) {
                c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void editKillReload(Path dir, Map<String, String> env) throws Exception {
        Path data = dir.resolve("data");
        String room = "killed";
        Map<String, Object> before;
        Map<String, Object> converged;
        try (ChorusProcess first = ChorusProcess.start(data, env, dir.resolve("first.log"))) {
            Process node = new ProcessBuilder("node", "scenarios.mjs", "killEdit",
                    JSON.writeValueAsString(Map.of("url", first.url(), "room", room, "rounds", 25)))
                    .directory(NodeClients.DIR.toFile()).start();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread errPump = new Thread(() -> {
                try {
                    node.getErrorStream().transferTo(err);
                } catch (java.io.IOException ignored) {
                    // the process ended
                }
            });
            errPump.start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
                String line = out.readLine();
                assertThat(line).as("the clients converged; stderr: %s", err).isNotNull();
                converged = JSON.readValue(line, Map.class);
                // client a is still editing: kill -9 now
                first.kill();
                line = out.readLine();
                assertThat(node.waitFor(20, TimeUnit.SECONDS)).isTrue();
                errPump.join();
                assertThat(line).as("what the clients held; stderr: %s", err).isNotNull();
                before = JSON.readValue(line, Map.class);
            } finally {
                node.destroyForcibly();
            }
        }
        try (ChorusProcess second = ChorusProcess.start(data, env, dir.resolve("second.log"))) {
            Map<String, Object> loaded = NodeClients.scenario("killLoad", Map.of("url", second.url(), "room", room,
                    "converged", converged.get("converged"), "a", before.get("a"), "b", before.get("b")));
            assertThat(loaded.get("hocuspocus")).as("Hocuspocus loads what y-websocket loads").isEqualTo(loaded.get("content"));
            assertThat(loaded.get("hocuspocusVector")).isEqualTo(loaded.get("vector"));
            assertThat(loaded).as("the converged state is stored").containsEntry("convergedAddsSomething", false);
            assertThat(loaded).as("everything b received is stored").containsEntry("bAddsSomething", false);
            assertThat(loaded).as("nothing a did not write is stored").containsEntry("loadedAddsToA", false);
            Map<String, Integer> vector = (Map<String, Integer>) loaded.get("vector");
            Map<String, Integer> bVector = (Map<String, Integer>) before.get("bVector");
            Map<String, Integer> aVector = (Map<String, Integer>) before.get("aVector");
            assertThat(vector.keySet()).hasSize(2).isEqualTo(aVector.keySet());
            vector.forEach((client, clock) -> assertThat(clock).as("client " + client)
                    .isBetween(bVector.get(client), aVector.get(client)));
            assertThat((Integer) before.get("tail")).as("a edited while the server was killed").isPositive();
            Map<String, Object> content = (Map<String, Object>) loaded.get("content");
            // each client's last edit of the first half is there (text inserts land at random places: the map tells)
            Map<String, Object> map = (Map<String, Object>) content.get("map");
            assertThat(((Number) map.get("k0")).intValue()).isEqualTo(24);
            assertThat(((Number) map.get("k1")).intValue()).isEqualTo(24);
        }
    }
}
