package dev.chorus.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.core.documents.YMessages;
import dev.chorus.protocol.Format;
import dev.chorus.protocol.Push;
import dev.chorus.protocol.Request;
import dev.chorus.testkit.TestClient;
import dev.chorus.yjs.Doc;
import dev.chorus.yjs.lib0.Lib0Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A document edited by clients survives {@code kill -9} of the server: every update a client was
 * told was applied (and so every update another client received) is there after a restart.
 */
class DocumentDurabilityTest {
    private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");
    private static final String PG_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private record Server(Process process, int port) {
    }

    private static Server start(Path dir, Map<String, String> env, String logName) throws Exception {
        Path log = dir.resolve(logName);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "dev.chorus.server.Main", "--dev", "--host", "127.0.0.1", "--port", "0", "--data-dir", dir.resolve("data").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(Files.readString(log));
            if (m.find()) {
                return new Server(p, Integer.parseInt(m.group(1)));
            }
            if (!p.isAlive()) {
                throw new AssertionError("server exited: " + Files.readString(log));
            }
            Thread.sleep(50);
        }
        p.destroyForcibly();
        throw new AssertionError("server did not start: " + Files.readString(log));
    }

    private static TestClient open(Server s, String doc) {
        TestClient c = TestClient.connect(URI.create("ws://127.0.0.1:" + s.port() + "/ws"), Format.JSON);
        c.connect();
        assertThat(c.request(new Request.DocOpen(0, doc, false)).error()).isNull();
        return c;
    }

    /** The document as the server has it, read through a fresh client's sync. */
    private static Map<String, Object> read(Server s, String doc) {
        TestClient c = open(s, doc);
        Doc d = new Doc();
        assertThat(c.request(new Request.Doc(0, doc, YMessages.syncStep1(d.encodeStateVector()))).error()).isNull();
        Push.Doc step2 = (Push.Doc) c.awaitPush(p -> p instanceof Push.Doc pd && isStep2(pd.data()), Duration.ofSeconds(10));
        Lib0Reader r = new Lib0Reader(step2.data());
        r.readVarUint();
        r.readVarUint();
        d.applyUpdate(r.readVarUint8Array());
        c.close();
        return d.toJSON();
    }

    private static boolean isStep2(byte[] m) {
        Lib0Reader r = new Lib0Reader(m);
        return r.readVarUintAsInt() == YMessages.SYNC && r.readVarUintAsInt() == YMessages.STEP2;
    }

    private void editKillRestart(Path dir, Map<String, String> env) throws Exception {
        Server first = start(dir, env, "first.log");
        Map<String, Object> expected;
        try {
            TestClient writer = open(first, "journal");
            TestClient watcher = open(first, "journal");
            Doc local = new Doc();
            for (int i = 0; i < 200; i++) {
                byte[] sv = local.encodeStateVector();
                local.getArray("entries").push(java.util.List.of("entry " + i));
                // the reply comes once the update is durable
                assertThat(writer.request(new Request.Doc(0, "journal", YMessages.update(local.encodeStateAsUpdate(sv)))).error()).isNull();
            }
            // the watcher received them too
            watcher.awaitPush(p -> p instanceof Push.Doc, Duration.ofSeconds(10));
            expected = local.toJSON();
        } finally {
            first.process().destroyForcibly(); // SIGKILL: no shutdown hook, no flush
            first.process().waitFor(10, TimeUnit.SECONDS);
        }
        Server second = start(dir, env, "second.log");
        try {
            assertThat(read(second, "journal")).isEqualTo(expected);
        } finally {
            second.process().destroyForcibly();
        }
    }

    @Test
    void sqliteKeepsEveryAcknowledgedUpdateAcrossKill9(@TempDir Path dir) throws Exception {
        editKillRestart(dir, Map.of());
        assertThat(dir.resolve("data").resolve("documents.sqlite")).exists();
    }

    @Test
    void sqliteWithoutASyncPerCommitStillKeepsEveryAcknowledgedUpdateAcrossKill9(@TempDir Path dir) throws Exception {
        // sqlite_sync: normal gives up power-cut safety, not process-crash safety
        editKillRestart(dir, Map.of("CHORUS_DOCUMENTS_SQLITE_SYNC", "normal"));
        assertThat(dir.resolve("data").resolve("documents.sqlite")).exists();
    }

    @Test
    void postgresKeepsEveryAcknowledgedUpdateAcrossKill9(@TempDir Path dir) throws Exception {
        boolean reachable;
        try (Connection c = DriverManager.getConnection(PG_URL)) {
            reachable = c.isValid(2);
        } catch (Exception e) {
            reachable = false;
        }
        if (!reachable && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("PostgreSQL at 127.0.0.1:5432 is required under CI=true");
        }
        Assumptions.assumeTrue(reachable, "PostgreSQL at 127.0.0.1:5432 is not reachable: test skipped");
        String schema = "chorus_durability_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Map<String, String> env = new HashMap<>();
        env.put("CHORUS_DOCUMENTS_STORE", "postgres");
        env.put("CHORUS_DOCUMENTS_POSTGRES_URL", PG_URL);
        env.put("CHORUS_DOCUMENTS_POSTGRES_SCHEMA", schema);
        try {
            editKillRestart(dir, env);
        } finally {
            try (Connection c = DriverManager.getConnection(PG_URL)) {
                c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }
}
