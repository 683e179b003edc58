package dev.chorus.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server under test, started as its own process so that both servers are measured the same way
 * (RSS from /proc, heap after a forced GC).
 */
final class ServerProcess implements AutoCloseable {
    /** Which server. */
    enum Kind {
        CHORUS, SOCKETIO, SOCKETIO_RECOVERY,
        /** {@code @y/websocket-server} 0.1.1 (documents only). */
        Y_WEBSOCKET,
        /** {@code @hocuspocus/server} 4.x (documents only). */
        HOCUSPOCUS;

        WireProtocol wire() {
            return switch (this) {
                case CHORUS -> new ChorusWire();
                case SOCKETIO, SOCKETIO_RECOVERY -> new SocketIoWire();
                case Y_WEBSOCKET, HOCUSPOCUS -> throw new UnsupportedOperationException(this + " serves Yjs documents only");
            };
        }

        String label() {
            return switch (this) {
                case CHORUS -> "Chorus";
                case SOCKETIO -> "Socket.IO 4.8";
                case SOCKETIO_RECOVERY -> "Socket.IO 4.8 + recovery";
                case Y_WEBSOCKET -> "y-websocket-server 0.1.1";
                case HOCUSPOCUS -> "Hocuspocus 4.7";
            };
        }

        /** The start script in chorus-bench/peer, for the Node peers. */
        private String script() {
            return switch (this) {
                case SOCKETIO, SOCKETIO_RECOVERY -> "server.js";
                case Y_WEBSOCKET -> "y-websocket-server.mjs";
                case HOCUSPOCUS -> "hocuspocus-server.mjs";
                case CHORUS -> throw new IllegalStateException("Chorus runs from chorus.jar");
            };
        }
    }

    final Kind kind;
    final int port;
    private final Process process;
    private final Path log;
    /** Chorus's --data-dir (documents.sqlite), removed on close; null for the peers. */
    private final Path dataDir;

    private ServerProcess(Kind kind, int port, Process process, Path log, Path dataDir) {
        this.kind = kind;
        this.port = port;
        this.process = process;
        this.log = log;
        this.dataDir = dataDir;
    }

    /**
     * Starts a server and waits until it answers on {@code /health}.
     *
     * @param root     the repository root (for chorus-server/target/chorus.jar and chorus-bench/peer)
     * @param heap     the Chorus JVM's maximum heap, e.g. "1g"
     * @param chorusEnv extra environment for Chorus (CHORUS_* settings)
     */
    static ServerProcess start(Kind kind, Path root, int port, String heap, Map<String, String> chorusEnv) throws Exception {
        return start(kind, root, port, heap, chorusEnv, null);
    }

    /**
     * As {@link #start(Kind, Path, int, String, Map)}, pinned with {@code taskset -c cpus} to the
     * CPUs given (e.g. "1"), or not pinned when {@code cpus} is null.
     */
    static ServerProcess start(Kind kind, Path root, int port, String heap, Map<String, String> chorusEnv, String cpus) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (cpus != null) {
            cmd.addAll(List.of("taskset", "-c", cpus));
        }
        ProcessBuilder pb;
        Path dataDir = null;
        if (kind == Kind.CHORUS) {
            dataDir = Files.createTempDirectory("bench-chorus-data-");
            Path jar = root.resolve("chorus-server/target/chorus.jar");
            if (!Files.exists(jar)) {
                throw new IllegalStateException(jar + " is missing: build it with mvn -pl chorus-server -am package");
            }
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            cmd.addAll(List.of(java, "-Xms" + heap, "-Xmx" + heap, "-XX:+UseG1GC", "-XX:+AlwaysPreTouch", "-jar", jar.toString(),
                    "--dev", "--host", "127.0.0.1", "--port", String.valueOf(port), "--data-dir", dataDir.toString()));
            pb = new ProcessBuilder(cmd);
            pb.environment().putAll(chorusEnv);
        } else {
            Path peer = root.resolve("chorus-bench/peer");
            if (!Files.isDirectory(peer.resolve("node_modules/socket.io")) || !Files.isDirectory(peer.resolve("node_modules/@hocuspocus/server"))) {
                throw new IllegalStateException("peer not installed: run npm ci in " + peer);
            }
            cmd.addAll(List.of("node", "--expose-gc", "--max-old-space-size=4096", kind.script(), "--port", String.valueOf(port)));
            if (kind == Kind.SOCKETIO_RECOVERY) {
                cmd.add("--recovery");
            }
            pb = new ProcessBuilder(cmd).directory(peer.toFile());
        }
        Path log = Files.createTempFile("bench-" + kind.name().toLowerCase() + "-", ".log");
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        Process p = pb.start();
        ServerProcess s = new ServerProcess(kind, port, p, log, dataDir);
        try {
            s.awaitHealthy(Duration.ofSeconds(60));
        } catch (Exception | Error e) {
            s.close();
            throw e;
        }
        return s;
    }

    private void awaitHealthy(Duration timeout) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(kind + " exited: " + Files.readString(log));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(kind + " did not become healthy: " + Files.readString(log));
    }

    long pid() {
        return process.pid();
    }

    /** CPU time (user + system) the server process has used so far, in seconds (Linux clock ticks of 1/100 s). */
    double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after the command: state is field 3, utime field 14 and stime field 15 (1-based in proc(5))
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
        } catch (IOException e) {
            return -1;
        }
    }

    /** Resident set size of the server process, in bytes. */
    long rss() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    private static final Pattern G1_USED = Pattern.compile("used (\\d+)K");

    /** Heap in use after a full garbage collection, in bytes. */
    long heapAfterGc() throws Exception {
        if (kind == Kind.CHORUS) {
            run("jcmd", String.valueOf(process.pid()), "GC.run");
            String info = run("jcmd", String.valueOf(process.pid()), "GC.heap_info");
            Matcher m = G1_USED.matcher(info);
            if (m.find()) {
                return Long.parseLong(m.group(1)) * 1024;
            }
            throw new IllegalStateException("cannot read heap from: " + info);
        }
        HttpResponse<String> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/mem")).build(), HttpResponse.BodyHandlers.ofString());
        return Strings.longAfter(r.body(), "\"heapUsed\":", 0);
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (dataDir != null) {
            try (var files = Files.walk(dataDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                // a temporary directory: the system cleans it eventually
            }
        }
    }
}
