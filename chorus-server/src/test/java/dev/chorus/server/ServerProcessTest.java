package dev.chorus.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.protocol.CloseCode;
import dev.chorus.protocol.Format;
import dev.chorus.testkit.TestClient;
import java.nio.file.Files;
import org.junit.jupiter.api.io.TempDir;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Starts the server as a separate JVM, as an operator would, and stops it with SIGTERM. */
class ServerProcessTest {
    private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");

    @Test
    void startsInDevModeServesHealthAndExitsOnSigtermTellingClientsToReconnect(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("server.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "dev.chorus.server.Main", "--dev", "--host", "127.0.0.1", "--port", "0")
                .redirectErrorStream(true)
                // a file, not a pipe: the JDK closes a pipe under a concurrent reader when the process exits
                .redirectOutput(log.toFile());
        pb.environment().put("CHORUS_SHUTDOWN_GRACE", "2s");
        Process p = pb.start();
        try {
            int port = -1;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (port < 0 && System.nanoTime() < deadline) {
                Matcher m = LISTENING.matcher(Files.readString(log));
                if (m.find()) {
                    port = Integer.parseInt(m.group(1));
                } else {
                    Thread.sleep(50);
                }
            }
            assertThat(port).as("server printed its port").isPositive();

            HttpResponse<String> health = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("ok");

            TestClient client = TestClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws"), Format.JSON);
            client.connect();
            client.subscribe("lobby");

            p.destroy(); // SIGTERM
            assertThat(client.awaitClose(Duration.ofSeconds(10)).code()).isEqualTo(CloseCode.SHUTDOWN.code());
            assertThat(p.waitFor(15, TimeUnit.SECONDS)).as("process exited").isTrue();
            // 143 = terminated by SIGTERM after the shutdown hook ran
            assertThat(p.exitValue()).isIn(0, 143);
            assertThat(Files.readString(log)).contains("shutting down").contains("stopped");
        } finally {
            p.destroyForcibly();
        }
    }
}
