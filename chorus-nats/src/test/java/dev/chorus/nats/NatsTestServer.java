package dev.chorus.nats;

import static org.junit.jupiter.api.Assertions.fail;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * The NATS (with JetStream) the tests run against: {@code CHORUS_TEST_NATS_URL}, else
 * {@code nats://127.0.0.1:4222}. When it cannot be reached, or has no JetStream, the tests are
 * skipped with a message, except with {@code CI=true}, where they fail. Each test class uses a
 * prefix of its own and deletes its stream and bucket afterwards: the server is shared between runs.
 */
final class NatsTestServer {
    static final String URL = System.getenv().getOrDefault("CHORUS_TEST_NATS_URL", "nats://127.0.0.1:4222");
    private static String problem;
    private static boolean checked;

    private NatsTestServer() {
    }

    /** Skips (or, on CI, fails) when NATS with JetStream is not there. */
    static synchronized void requireReachable() {
        if (!checked) {
            checked = true;
            try (Connection c = connect()) {
                c.jetStreamManagement().getAccountStatistics();
            } catch (JetStreamApiException e) {
                problem = "NATS at " + URL + " has no JetStream (" + e.getMessage() + ")";
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                problem = "NATS not reachable at " + URL + " (" + e + ")";
            }
        }
        if (problem != null) {
            if ("true".equals(System.getenv("CI"))) {
                fail(problem + ": with CI=true the NATS tests must run");
            }
            Assumptions.abort(problem + ": skipping the NATS tests");
        }
    }

    static Connection connect() throws Exception {
        return Nats.connect(new Options.Builder().server(URL).connectionTimeout(Duration.ofSeconds(3)).maxReconnects(0).build());
    }

    static String newPrefix() {
        return "chorustest_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    static NatsConfig.Builder config(String prefix) {
        return NatsConfig.builder().url(URL).prefix(prefix).storage(NatsConfig.Storage.MEMORY);
    }

    /** Deletes what a test class created under {@code prefix}. */
    static void cleanUp(String prefix) throws Exception {
        if (problem != null || !checked) {
            return;
        }
        try (Connection c = connect()) {
            JetStreamManagement jsm = c.jetStreamManagement();
            for (String name : new String[] {prefix + "_history", "KV_" + prefix + "_presence"}) {
                try {
                    jsm.deleteStream(name);
                } catch (JetStreamApiException e) {
                    // not created by this class
                }
            }
        }
    }
}
