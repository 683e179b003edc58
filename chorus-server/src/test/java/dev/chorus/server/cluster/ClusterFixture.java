package dev.chorus.server.cluster;

import dev.chorus.protocol.Format;
import dev.chorus.testkit.TestClient;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Several Chorus server processes on 127.0.0.1 sharing a broker (and a PostgreSQL document store),
 * each started as an operator would start it: {@code dev.chorus.server.Main --dev} with the
 * environment selecting the backends.
 */
final class ClusterFixture implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");

    /** One server process. */
    static final class NodeProcess {
        final String name;
        final Process process;
        final int port;
        final Path log;

        NodeProcess(String name, Process process, int port, Path log) {
            this.name = name;
            this.process = process;
            this.port = port;
            this.log = log;
        }

        URI ws() {
            return URI.create("ws://127.0.0.1:" + port + "/ws");
        }

        /** SIGKILL: no shutdown hook, no goodbye to the clients. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    final List<NodeProcess> nodes = new ArrayList<>();
    private final List<TestClient> clients = new ArrayList<>();
    private final Path dir;
    private final Map<String, String> env;

    private ClusterFixture(Path dir, Map<String, String> env) {
        this.dir = dir;
        this.env = env;
    }

    static ClusterFixture start(Path dir, int n, Map<String, String> env) throws Exception {
        ClusterFixture c = new ClusterFixture(dir, env);
        try {
            for (int i = 0; i < n; i++) {
                c.startNode("node-" + (i + 1));
            }
        } catch (Exception e) {
            c.close();
            throw e;
        }
        return c;
    }

    NodeProcess startNode(String name) throws IOException, InterruptedException {
        Path log = dir.resolve(name + "-" + System.nanoTime() + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "dev.chorus.server.Main", "--dev", "--host", "127.0.0.1", "--port", "0",
                "--data-dir", dir.resolve(name + "-data").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> e = new HashMap<>(env);
        e.put("CHORUS_NODE_NAME", name);
        pb.environment().putAll(e);
        Process p = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(Files.readString(log));
            if (m.find()) {
                NodeProcess np = new NodeProcess(name, p, Integer.parseInt(m.group(1)), log);
                nodes.add(np);
                return np;
            }
            if (!p.isAlive()) {
                throw new AssertionError(name + " exited: " + Files.readString(log));
            }
            Thread.sleep(50);
        }
        p.destroyForcibly();
        throw new AssertionError(name + " did not start: " + Files.readString(log));
    }

    /** Starts a new process in place of node {@code i} (after it was killed). */
    void restart(int i) throws IOException, InterruptedException {
        NodeProcess old = nodes.get(i);
        old.process.destroyForcibly();
        NodeProcess fresh = startNode(old.name);
        nodes.remove(fresh);
        nodes.set(i, fresh);
    }

    /** A connected client of node {@code i} (0-based). */
    TestClient client(int i, Format format) {
        TestClient c = TestClient.connect(nodes.get(i).ws(), format);
        clients.add(c);
        c.connect();
        return c;
    }

    TestClient client(int i) {
        return client(i, Format.JSON);
    }

    @Override
    public void close() {
        for (TestClient c : clients) {
            try {
                c.close();
            } catch (RuntimeException ignored) {
                // the node is gone
            }
        }
        for (NodeProcess n : nodes) {
            n.process.destroyForcibly();
        }
        for (NodeProcess n : nodes) {
            try {
                n.process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
