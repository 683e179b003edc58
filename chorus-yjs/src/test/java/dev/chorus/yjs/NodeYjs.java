package dev.chorus.yjs;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.chorus.yjs.lib0.JsJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs scripts in {@code src/test/node} with the real npm {@code yjs}. Installs the pinned packages
 * ({@code npm install}) when {@code node_modules} is missing. Without {@code node} the calling test is
 * skipped with a message, except when {@code CI=true}, where that is a failure.
 */
final class NodeYjs {
  static final Path DIR = Paths.get("src", "test", "node").toAbsolutePath();
  private static boolean installed;

  private NodeYjs() {}

  static synchronized void ensureInstalled() {
    boolean ci = "true".equals(System.getenv("CI"));
    boolean hasNode = which("node");
    if (!hasNode) {
      if (ci) {
        throw new IllegalStateException("CI=true but node is not installed: the yjs conformance tests must run");
      }
      assumeTrue(false, "SKIPPED: node is not installed, yjs conformance tests need Node 20 + npm");
    }
    if (installed) {
      return;
    }
    if (!Files.isDirectory(DIR.resolve("node_modules").resolve("yjs"))) {
      run(List.of("npm", "install", "--no-audit", "--no-fund"), null, 300);
    }
    installed = true;
  }

  private static boolean which(String cmd) {
    try {
      Process p = new ProcessBuilder(cmd, "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /** Runs a command in the node directory; returns stdout; fails with stderr on a non-zero exit. */
  static String run(List<String> cmd, byte[] stdin, int timeoutSeconds) {
    try {
      Process p = new ProcessBuilder(cmd).directory(DIR.toFile()).start();
      if (stdin != null) {
        p.getOutputStream().write(stdin);
      }
      p.getOutputStream().close();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      Thread errPump = new Thread(() -> copy(p.getErrorStream(), err));
      errPump.start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out: " + cmd);
      }
      errPump.join();
      if (p.exitValue() != 0) {
        throw new IllegalStateException(cmd + " failed: " + err.toString(StandardCharsets.UTF_8));
      }
      return new String(out, StandardCharsets.UTF_8);
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

  /** Runs {@code node script args...} and parses its JSON output. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> script(String script, byte[] stdin, String... args) {
    ensureInstalled();
    List<String> cmd = new ArrayList<>(List.of("node", script));
    cmd.addAll(List.of(args));
    return (Map<String, Object>) JsJson.parse(run(cmd, stdin, 120));
  }

  static byte[] b64(Object s) {
    return Base64.getDecoder().decode((String) s);
  }

  static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }
}
