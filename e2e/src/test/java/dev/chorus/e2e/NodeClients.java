package dev.chorus.e2e;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code src/test/node/scenarios.mjs} with the real npm clients ({@code yjs}, {@code y-websocket},
 * {@code @hocuspocus/provider}, pinned by {@code package-lock.json}), installing them with
 * {@code npm ci} when {@code node_modules} is missing, as the chorus-yjs conformance tests do. Without
 * {@code node} the calling test is skipped with a message, except when {@code CI=true}, where that
 * is a failure.
 */
final class NodeClients {
    static final Path DIR = Paths.get("src", "test", "node").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static boolean installed;

    private NodeClients() {
    }

    static synchronized void ensureInstalled() {
        if (!works("node")) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("CI=true but node is not installed: the Yjs interop tests must run");
            }
            assumeTrue(false, "SKIPPED: node is not installed, the Yjs interop tests need Node 20 + npm");
        }
        if (installed) {
            return;
        }
        if (!Files.isDirectory(DIR.resolve("node_modules").resolve("y-websocket"))
                || !Files.isDirectory(DIR.resolve("node_modules").resolve("@hocuspocus").resolve("provider"))) {
            run(List.of("npm", "ci", "--no-audit", "--no-fund"), 300);
        }
        installed = true;
    }

    private static boolean works(String cmd) {
        try {
            Process p = new ProcessBuilder(cmd, "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Runs one scenario against the server and returns its JSON result; fails with its stderr. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> scenario(String name, Map<String, Object> args) {
        ensureInstalled();
        try {
            String out = run(List.of("node", "scenarios.mjs", name, JSON.writeValueAsString(args)), 50);
            return JSON.readValue(out, Map.class);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String run(List<String> cmd, int timeoutSeconds) {
        try {
            Process p = new ProcessBuilder(cmd).directory(DIR.toFile()).start();
            p.getOutputStream().close();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread errPump = new Thread(() -> copy(p.getErrorStream(), err));
            errPump.start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Thread outPump = new Thread(() -> copy(p.getInputStream(), out));
            outPump.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out after " + timeoutSeconds + " s: " + cmd + "\n" + err.toString(StandardCharsets.UTF_8));
            }
            errPump.join();
            outPump.join();
            if (p.exitValue() != 0) {
                throw new AssertionError(cmd.subList(0, Math.min(3, cmd.size())) + " failed (exit " + p.exitValue() + "):\n"
                        + err.toString(StandardCharsets.UTF_8));
            }
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try {
            in.transferTo(out);
        } catch (IOException ignored) {
            // the process ended
        }
    }
}
