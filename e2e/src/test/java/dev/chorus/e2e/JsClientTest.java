package dev.chorus.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.chorus.core.Chorus;
import dev.chorus.core.auth.AuthConfig;
import dev.chorus.core.broker.MemoryBroker;
import dev.chorus.core.config.ChorusConfig;
import dev.chorus.core.config.NamespaceConfig;
import dev.chorus.protocol.Payload;
import dev.chorus.protocol.StreamPosition;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs the TypeScript client's vitest suite (clients/js/test) against real in-process servers: a
 * dev-mode Chorus, a second one with JWT authentication, and a small control endpoint through which
 * the tests restart the first server with its history gone or publish from the server. Fails when
 * vitest fails, with its output.
 */
class JsClientTest {
    static final String SECRET = "js-client-test-secret-of-at-least-32-bytes";
    private static final ObjectMapper JSON = new ObjectMapper();

    private volatile Chorus main;
    /** A server of its own for the restart tests, so they do not cut the other tests' connections. */
    private volatile Chorus restartable;
    private int restartablePort;

    private static ChorusConfig mainConfig(int port) {
        return ChorusConfig.devDefaults().toBuilder()
                .port(port)
                .pingInterval(Duration.ofSeconds(1))
                .heartbeatTimeout(Duration.ofSeconds(5))
                .shutdownGrace(Duration.ofMillis(300))
                .namespace(NamespaceConfig.permissive("nohist").toBuilder().historySize(0).build())
                .build();
    }

    private static Chorus startMain(int port) {
        return Chorus.builder().config(mainConfig(port)).broker(new MemoryBroker())
                .rpc("sum", (client, data) -> Payload.ofValue(data.tree().get("a").asLong() + data.tree().get("b").asLong()))
                .rpc("whoami", (client, data) -> Payload.ofValue(Map.of("user", client.user())))
                .build().start();
    }

    private static Chorus startAuth() {
        ChorusConfig config = ChorusConfig.builder().host("127.0.0.1").port(0)
                .auth(AuthConfig.builder().hmacSecret(SECRET).clockSkew(Duration.ZERO).build())
                .namespace(NamespaceConfig.permissive(""))
                .undeclaredNamespacesAllowed(true)
                .shutdownGrace(Duration.ofMillis(300))
                .build();
        return Chorus.builder().config(config).build().start();
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void vitestSuitePassesAgainstTheRealServer() throws Exception {
        Path js = findClientDir();
        main = startMain(0);
        restartable = startMain(0);
        restartablePort = restartable.port();
        Chorus auth = startAuth();
        HttpServer control = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        control.createContext("/restart", this::restart);
        control.createContext("/publish", this::publish);
        control.createContext("/sessions", ex -> reply(ex, 200, Map.of("sessions", main.node().sessionCount())));
        control.start();
        try {
            String serve = System.getProperty("chorus.js.serve");
            if (serve != null) {
                // for working on the client: keep the servers up and run vitest by hand with these variables
                Path envFile = Path.of(System.getProperty("java.io.tmpdir"), "chorus-js-env.sh");
                Files.writeString(envFile, "export CHORUS_URL=ws://127.0.0.1:" + main.port() + "/ws CHORUS_RESTART_URL=ws://127.0.0.1:" + restartablePort
                        + "/ws CHORUS_AUTH_URL=ws://127.0.0.1:" + auth.port() + "/ws CHORUS_AUTH_SECRET=" + SECRET
                        + " CHORUS_CONTROL=http://127.0.0.1:" + control.getAddress().getPort() + "\n");
                System.out.println("servers up; source " + envFile);
                Thread.sleep(Duration.ofSeconds(Long.parseLong(serve)).toMillis());
                return;
            }
            npmCiIfNeeded(js);
            run(js, List.of("npm", "run", "build"), Map.of(), Duration.ofMinutes(2));
            run(js, List.of("npm", "run", "typecheck"), Map.of(), Duration.ofMinutes(2));
            Map<String, String> env = Map.of(
                    "CHORUS_URL", "ws://127.0.0.1:" + main.port() + "/ws",
                    "CHORUS_RESTART_URL", "ws://127.0.0.1:" + restartablePort + "/ws",
                    "CHORUS_AUTH_URL", "ws://127.0.0.1:" + auth.port() + "/ws",
                    "CHORUS_AUTH_SECRET", SECRET,
                    "CHORUS_CONTROL", "http://127.0.0.1:" + control.getAddress().getPort());
            String out = run(js, List.of("npx", "vitest", "run", "--reporter=verbose"), env, Duration.ofMinutes(4));
            assertThat(out).contains("passed");
        } finally {
            control.stop(0);
            auth.close();
            restartable.close();
            main.close();
        }
    }

    /** Restarts the restartable server on the same port with an empty history (a new broker: new epochs). */
    private synchronized void restart(HttpExchange ex) throws IOException {
        restartable.close();
        Chorus next = null;
        for (int i = 0; next == null; i++) {
            try {
                next = startMain(restartablePort);
            } catch (IllegalStateException e) {
                if (i >= 50) {
                    throw e;
                }
                sleep(100);
            }
        }
        restartable = next;
        reply(ex, 200, Map.of("port", restartablePort));
    }

    /** Publishes from the server: {@code POST /publish?channel=X} with the data as the body. */
    private void publish(HttpExchange ex) throws IOException {
        String query = ex.getRequestURI().getQuery();
        String channel = query == null ? "" : java.net.URLDecoder.decode(query.replaceFirst("^channel=", ""), StandardCharsets.UTF_8);
        byte[] body = ex.getRequestBody().readAllBytes();
        try {
            StreamPosition p = main.publish(channel, Payload.ofJson(body)).toCompletableFuture().get(5, TimeUnit.SECONDS);
            reply(ex, 200, Map.of("offset", p.offset(), "epoch", p.epoch()));
        } catch (Exception e) {
            reply(ex, 500, Map.of("error", String.valueOf(e.getMessage())));
        }
    }

    private static void reply(HttpExchange ex, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(bytes);
        }
    }

    private static Path findClientDir() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("clients/js/package.json"))) {
                return p.resolve("clients/js");
            }
        }
        fail("clients/js not found above " + dir);
        return null;
    }

    /** {@code npm ci} only when node_modules is missing or package-lock.json changed since the last install. */
    private static void npmCiIfNeeded(Path js) throws Exception {
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(js.resolve("package-lock.json"))));
        Path stamp = js.resolve("node_modules/.chorus-lock-sha256");
        if (Files.isDirectory(js.resolve("node_modules")) && Files.isRegularFile(stamp) && Files.readString(stamp).trim().equals(hash)) {
            return;
        }
        run(js, List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), Duration.ofMinutes(4));
        Files.writeString(stamp, hash);
    }

    private static String run(Path dir, List<String> cmd, Map<String, String> env, Duration timeout) throws Exception {
        System.out.println("---- " + String.join(" ", cmd) + " ----");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().put("NO_COLOR", "1");
        pb.environment().put("FORCE_COLOR", "0");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            fail("cannot run " + String.join(" ", cmd) + " (is Node.js installed? see scripts/setup.sh): " + e.getMessage());
            return "";
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Thread pump = new Thread(() -> copy(p.getInputStream(), buf), "npm-output");
        pump.start();
        boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!done) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        pump.join(5000);
        String out = buf.toString(StandardCharsets.UTF_8);
        if (!done) {
            fail(String.join(" ", cmd) + " did not finish within " + timeout + ":\n" + out);
        }
        if (p.exitValue() != 0) {
            fail(String.join(" ", cmd) + " exited with " + p.exitValue() + ":\n" + out);
        }
        return out;
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        byte[] b = new byte[8192];
        try {
            for (int n; (n = in.read(b)) > 0; ) {
                synchronized (out) {
                    out.write(b, 0, n);
                }
                System.out.write(b, 0, n);
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
