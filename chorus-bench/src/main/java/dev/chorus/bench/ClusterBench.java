package dev.chorus.bench;

import dev.chorus.bench.ServerProcess.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The fan-out scenario against Chorus clusters of 1, 2, 3 ... nodes over a broker: for every setup
 * ({@code broker:nodes}) the nodes are started as separate processes on this machine, the same load
 * runs through one generator, and the nodes are stopped and the broker's keys of that run removed.
 * The order of the setups is reversed in every second round.
 */
@Command(name = "cluster-bench", mixinStandardHelpOptions = true,
        description = "Fan-out over Chorus clusters: deliveries/s and publish-to-receive latency with 1, 2, 3 nodes over memory, redis or nats.")
public final class ClusterBench implements Callable<Integer> {
    @Option(names = "--setups", split = ",", defaultValue = "memory:1,redis:1,redis:2,redis:3",
            description = "broker:nodes, comma-separated; broker memory (1 node only), redis or nats")
    List<String> setups;

    @Option(names = "--rounds", defaultValue = "1")
    int rounds;

    @Option(names = "--root", defaultValue = ".", description = "repository root (for chorus-server/target/chorus.jar)")
    Path root;

    @Option(names = "--heap", defaultValue = "512m", description = "heap of each node's JVM")
    String heap;

    @Option(names = "--threads", defaultValue = "2", description = "generator event-loop threads (for all nodes together)")
    int threads;

    @Option(names = "--source-addresses", defaultValue = "32", description = "spread connections over 127.0.0.1..N")
    int sourceAddresses;

    @Option(names = "--publishers-per-node", defaultValue = "2")
    int publishersPerNode;

    @Option(names = "--subscribers", defaultValue = "600", description = "subscribers in all, spread over the nodes")
    int subscribers;

    @Option(names = "--channels", defaultValue = "10")
    int channels;

    @Option(names = "--size", defaultValue = "128", description = "message size in bytes")
    int size;

    @Option(names = "--rate", defaultValue = "2000", description = "publications per second in all")
    int rate;

    @Option(names = "--warmup", defaultValue = "5", description = "seconds")
    int warmup;

    @Option(names = "--duration", defaultValue = "20", description = "seconds")
    int duration;

    @Option(names = "--history", defaultValue = "1000", description = "history size per channel")
    int history;

    @Option(names = "--redis-url", defaultValue = "redis://127.0.0.1:6379")
    String redisUrl;

    @Option(names = "--nats-url", defaultValue = "nats://127.0.0.1:4222")
    String natsUrl;

    @Option(names = "--prefix", description = "broker key prefix stem (default: cbench-<pid>-<time>); each row adds its own suffix")
    String prefix;

    @Option(names = "--chorus-env", description = "extra environment for every node, KEY=VALUE")
    Map<String, String> chorusEnv = new HashMap<>();

    /** One row: a broker and a number of nodes. */
    record Setup(String broker, int nodes) {
        static Setup parse(String s) {
            String[] parts = s.trim().toLowerCase(Locale.ROOT).split(":");
            if (parts.length != 2 || !List.of("memory", "redis", "nats").contains(parts[0])) {
                throw new IllegalArgumentException("setup must be memory:1, redis:N or nats:N, got " + s);
            }
            Setup setup = new Setup(parts[0], Integer.parseInt(parts[1]));
            if (setup.nodes < 1 || "memory".equals(setup.broker) && setup.nodes != 1) {
                throw new IllegalArgumentException("the memory broker serves exactly one node: " + s);
            }
            return setup;
        }

        String label() {
            return switch (broker) {
                case "memory" -> "memory";
                case "redis" -> "Redis";
                default -> "NATS";
            };
        }
    }

    /** What one row measured, plus what was left to clean up. */
    record Row(Setup setup, ClusterFanOut.Result result, double loadAverage, long brokerEntriesDeleted) {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ClusterBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        List<Setup> parsed = setups.stream().map(Setup::parse).toList();
        String stem = prefix != null ? prefix : "cbench-" + ProcessHandle.current().pid() + "-" + Long.toString(System.currentTimeMillis(), 36);
        List<String> lines = new ArrayList<>();
        int row = 0;
        for (int round = 0; round < rounds; round++) {
            List<Setup> order = new ArrayList<>(parsed);
            if (round % 2 == 1) {
                Collections.reverse(order);
            }
            for (Setup s : order) {
                Row r = runOne(s, stem + "-" + (++row));
                String line = format(r);
                System.out.println(line);
                System.out.printf(Locale.ROOT, "    (load average at start %.2f; delivered in the window %d; subscriber connections closed %d; "
                        + "broker entries removed afterwards %d)%n", r.loadAverage(), r.result().delivered(), r.result().closed(),
                        r.brokerEntriesDeleted());
                lines.add(line);
            }
        }
        System.out.println();
        System.out.println(header());
        lines.forEach(System.out::println);
        return 0;
    }

    static String header() {
        return "| broker | nodes | deliveries/s | offered/s | p50 ms | p99 ms | p99.9 ms | nodes' CPU (cores, sum) | broker CPU (cores) "
                + "| generator CPU (cores) | out of order / disagreeing / missing (never seen + not delivered) |\n|---|---|---|---|---|---|---|---|---|---|---|";
    }

    static String format(Row row) {
        ClusterFanOut.Result r = row.result();
        return String.format(Locale.ROOT, "| %s | %d | %.0f | %.0f | %.2f | %.2f | %.2f | %.2f | %s | %.2f | %d / %d / %d (%d + %d) |",
                row.setup().label(), row.setup().nodes(), r.deliveriesPerSecond(), r.expectedPerSecond(), r.p50ms(), r.p99ms(), r.p999ms(),
                r.serverCpu(), r.brokerCpu() < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", r.brokerCpu()), r.generatorCpu(),
                r.outOfOrder(), r.disagreements(), r.missing(), r.neverSeen(), r.notDelivered());
    }

    /** Starts the nodes of one setup, runs the load, stops them and removes the run's broker entries. */
    Row runOne(Setup setup, String runPrefix) throws Exception {
        String redisPrefix = runPrefix + ":";
        String natsPrefix = runPrefix.replaceAll("[^A-Za-z0-9_-]", "_");
        Map<String, String> env = new HashMap<>(Map.of("CHORUS_DEFAULT_NAMESPACE_HISTORY_SIZE", String.valueOf(history),
                "CHORUS_LIMITS_MAX_SUBSCRIPTIONS", "1024", "CHORUS_BROKER", setup.broker()));
        long brokerPid = -1;
        switch (setup.broker()) {
            case "redis" -> {
                env.put("CHORUS_REDIS_URL", redisUrl);
                env.put("CHORUS_REDIS_PREFIX", redisPrefix);
                brokerPid = BrokerCleanup.redisPid(redisUrl);
            }
            case "nats" -> {
                env.put("CHORUS_NATS_URL", natsUrl);
                env.put("CHORUS_NATS_PREFIX", natsPrefix);
                brokerPid = ProcCpu.onlyProcessNamed("nats-server");
            }
            default -> {
            }
        }
        env.putAll(chorusEnv);
        double load = loadAverage();
        List<ServerProcess> nodes = new ArrayList<>();
        try {
            nodes.addAll(startNodes(setup.nodes(), env));
            List<Integer> ports = nodes.stream().map(n -> n.port).toList();
            long bpid = brokerPid;
            try (ClusterDriver driver = new ClusterDriver("127.0.0.1", ports, threads, sourceAddresses)) {
                ClusterFanOut.Result r = ClusterFanOut.run(driver, setup.label() + " x" + setup.nodes(),
                        new ClusterFanOut.Params(setup.nodes(), publishersPerNode, subscribers, channels, size, rate,
                                Duration.ofSeconds(warmup), Duration.ofSeconds(duration)),
                        () -> sumCpu(nodes), () -> ProcCpu.seconds(bpid));
                nodes.forEach(ServerProcess::close);
                nodes.clear();
                return new Row(setup, r, load, cleanup(setup, redisPrefix, natsPrefix));
            }
        } finally {
            nodes.forEach(ServerProcess::close);
            if (!nodes.isEmpty()) {
                cleanup(setup, redisPrefix, natsPrefix);
            }
        }
    }

    private long cleanup(Setup setup, String redisPrefix, String natsPrefix) {
        try {
            return switch (setup.broker()) {
                case "redis" -> BrokerCleanup.redis(redisUrl, redisPrefix);
                case "nats" -> BrokerCleanup.nats(natsUrl, natsPrefix);
                default -> 0;
            };
        } catch (Exception e) {
            System.err.println("could not clean up the broker entries of " + redisPrefix + ": " + e);
            return -1;
        }
    }

    /** Starts the nodes at once (each waits for its /health), each on its own port. */
    private List<ServerProcess> startNodes(int n, Map<String, String> env) throws Exception {
        List<CompletableFuture<ServerProcess>> fs = new ArrayList<>();
        java.util.Set<Integer> ports = new java.util.HashSet<>();
        while (ports.size() < n) {
            ports.add(BenchMain.freePort());
        }
        int i = 0;
        for (int port : ports) {
            Map<String, String> e = new HashMap<>(env);
            e.put("CHORUS_NODE_NAME", "bench-node-" + (++i));
            fs.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return ServerProcess.start(Kind.CHORUS, root, port, heap, e);
                } catch (Exception ex) {
                    throw new CompletionException(ex);
                }
            }));
        }
        List<ServerProcess> out = new ArrayList<>();
        Exception failure = null;
        for (CompletableFuture<ServerProcess> f : fs) {
            try {
                out.add(f.join());
            } catch (CompletionException ex) {
                failure = ex.getCause() instanceof Exception c ? c : ex;
            }
        }
        if (failure != null) {
            out.forEach(ServerProcess::close);
            throw failure;
        }
        return out;
    }

    private static double sumCpu(List<ServerProcess> nodes) {
        double sum = 0;
        for (ServerProcess n : nodes) {
            double s = n.cpuSeconds();
            if (s < 0) {
                return -1;
            }
            sum += s;
        }
        return sum;
    }

    private static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (Exception e) {
            return -1;
        }
    }
}
