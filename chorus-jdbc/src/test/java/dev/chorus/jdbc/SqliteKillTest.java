package dev.chorus.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.core.documents.StoredDocument;
import dev.chorus.core.documents.StoredUpdate;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} in the middle of a stream of appends: every update the child process saw
 * acknowledged must be loaded again, under the sequence number it was acknowledged with.
 */
class SqliteKillTest {
    private static final int ACKS_BEFORE_KILL = 2_000;

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void everyAcknowledgedUpdateSurvivesSigkill() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                SqliteAppender.class.getName(), dir.toString());
        pb.redirectError(dir.resolve("child-stderr.txt").toFile());
        Process child = pb.start();
        Map<Long, Long> acked = new HashMap<>(); // n -> seq
        String error = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("ack ")) {
                    String[] p = line.split(" ");
                    acked.put(Long.parseLong(p[1]), Long.parseLong(p[2]));
                    if (acked.size() == ACKS_BEFORE_KILL) {
                        // SIGKILL while appends are in flight. Through the handle, unlike Process.destroyForcibly,
                        // the pipe stays open, so acknowledgements written just before the kill are read too.
                        child.toHandle().destroyForcibly();
                        break;
                    }
                } else if (line.startsWith("error ")) {
                    error = line;
                    break;
                }
            }
            child.waitFor(30, TimeUnit.SECONDS);
            while ((line = out.readLine()) != null) {
                if (line.startsWith("ack ")) {
                    String[] p = line.split(" ");
                    acked.put(Long.parseLong(p[1]), Long.parseLong(p[2]));
                }
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(error).as("child stderr: %s", Files.readString(dir.resolve("child-stderr.txt"))).isNull();
        assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);
        assertThat(acked).hasSizeGreaterThanOrEqualTo(ACKS_BEFORE_KILL);

        try (SqliteDocumentStore store = SqliteDocumentStore.open(SqliteStoreConfig.builder(dir).build())) {
            StoredDocument doc = store.load("killed").toCompletableFuture().get(30, TimeUnit.SECONDS);
            Map<Long, String> stored = new HashMap<>();
            for (StoredUpdate u : doc.updates()) {
                stored.put(u.seq(), new String(u.data(), StandardCharsets.UTF_8));
            }
            for (Map.Entry<Long, Long> a : acked.entrySet()) {
                long n = a.getKey();
                String expected = "update-" + n + "-" + "x".repeat((int) (n % 50));
                assertThat(stored.get(a.getValue())).as("update %d acknowledged as seq %d", n, a.getValue()).isEqualTo(expected);
            }
            assertThat(doc.lastSeq()).isGreaterThanOrEqualTo(acked.size());
            // the store still works after the crash: numbering goes on
            long next = store.append("killed", new byte[] {1}).toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertThat(next).isEqualTo(doc.lastSeq() + 1);
        }
    }
}
