package dev.chorus.bench;

import dev.chorus.bench.ServerProcess.Kind;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs a scenario against Chorus and the peer servers side by side: each round starts each server
 * as its own process, runs the same load with the same generator, and stops it; the order of the
 * servers alternates between rounds so the machine's drift hits all of them.
 */
@Command(name = "chorus-bench", mixinStandardHelpOptions = true,
        description = "Load generator: fanout | idle | churn | recovery, against chorus, socketio, socketio-recovery; "
                + "docs (Yjs documents), against chorus, chorus-hocuspocus, y-websocket, hocuspocus.")
public final class BenchMain implements Callable<Integer> {
    @Option(names = "--scenario", required = true, description = "fanout, idle, churn, recovery or docs")
    String scenario;

    @Option(names = "--servers", split = ",", defaultValue = "chorus,socketio",
            description = "chorus, socketio, socketio-recovery; for docs: chorus (/yjs), chorus-memory (/yjs, memory store), chorus-sqlite-normal (/yjs, SQLite without a sync per commit), "
                    + "chorus-hocuspocus, y-websocket, hocuspocus")
    List<String> servers;

    @Option(names = "--rounds", defaultValue = "1")
    int rounds;

    @Option(names = "--root", defaultValue = ".", description = "repository root")
    Path root;

    @Option(names = "--heap", defaultValue = "1g", description = "Chorus JVM heap")
    String heap;

    @Option(names = "--threads", defaultValue = "2", description = "generator event-loop threads")
    int threads;

    @Option(names = "--source-addresses", defaultValue = "32", description = "spread connections over 127.0.0.1..N")
    int sourceAddresses;

    @Option(names = "--publishers", defaultValue = "4")
    int publishers;

    @Option(names = "--subscribers", defaultValue = "1000")
    int subscribers;

    @Option(names = "--channels", defaultValue = "10")
    int channels;

    @Option(names = "--size", defaultValue = "128", description = "message size in bytes")
    int size;

    @Option(names = "--rate", defaultValue = "1000", description = "publications per second in all")
    int rate;

    @Option(names = "--warmup", defaultValue = "5", description = "seconds")
    int warmup;

    @Option(names = "--duration", defaultValue = "20", description = "seconds")
    int duration;

    @Option(names = "--connections", defaultValue = "10000", description = "idle: connections")
    int connections;

    @Option(names = "--settle", defaultValue = "30", description = "idle: seconds of heartbeats before measuring")
    int settle;

    @Option(names = "--workers", defaultValue = "16", description = "churn: concurrent workers")
    int workers;

    @Option(names = "--downtime", defaultValue = "3", description = "recovery: seconds the subscribers stay away")
    int downtime;

    @Option(names = "--history", defaultValue = "1000", description = "Chorus history size per channel")
    int history;

    @Option(names = "--docs", defaultValue = "1", description = "docs: documents")
    int docs;

    @Option(names = "--clients-per-doc", defaultValue = "10", description = "docs: editing clients per document")
    int clientsPerDoc;

    @Option(names = "--chars", defaultValue = "4", description = "docs: characters typed per update")
    int chars;

    @Option(names = "--doc-rate", defaultValue = "0", description = "docs: updates per second offered in all, spread over the clients "
            + "(open loop, to compare latency at one load); 0: closed loop, each client sends its next update when the last one reached every other client")
    int docRate;

    @Option(names = "--server-cpus", description = "pin each server process to these CPUs with taskset -c (e.g. 1); "
            + "run the generator itself under taskset -c on the others, so server and generator do not share a core")
    String serverCpus;

    @Option(names = "--chorus-env", description = "extra environment for the Chorus process, KEY=VALUE (e.g. CHORUS_IO_THREADS=2, JAVA_TOOL_OPTIONS=-XX:StartFlightRecording=...)")
    Map<String, String> chorusEnv = new java.util.HashMap<>();

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        List<String> rows = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            List<String> order = new ArrayList<>(servers);
            if (round % 2 == 1) {
                Collections.reverse(order);
            }
            for (String name : order) {
                String row = "docs".equals(scenario) ? runDocs(name) : runOne(kind(name));
                System.out.println(row);
                rows.add(row);
            }
        }
        System.out.println();
        System.out.println(header());
        rows.forEach(System.out::println);
        return 0;
    }

    static Kind kind(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "chorus", "chorus-memory", "chorus-sqlite-normal", "chorus-hocuspocus" -> Kind.CHORUS;
            case "y-websocket" -> Kind.Y_WEBSOCKET;
            case "hocuspocus" -> Kind.HOCUSPOCUS;
            case "socketio", "socket.io" -> Kind.SOCKETIO;
            case "socketio-recovery" -> Kind.SOCKETIO_RECOVERY;
            default -> throw new CommandLine.ParameterException(new CommandLine(new BenchMain()), "unknown server " + name);
        };
    }

    private String header() {
        return switch (scenario) {
            case "fanout" -> "| server | deliveries/s | offered/s | p50 ms | p99 ms | p99.9 ms | server CPU (cores) | deliveries per server CPU-second | generator CPU (cores) |\n|---|---|---|---|---|---|---|---|---|";
            case "idle" -> "| server | connections | heap/conn (bytes) | RSS/conn (bytes) | heap after (MiB) | RSS after (MiB) |\n|---|---|---|---|---|---|";
            case "churn" -> "| server | workers | connect+subscribe/s | failures |\n|---|---|---|---|";
            case "recovery" -> "| server | subscribers | seconds to recover all | complete | gaps | duplicates | recovered sessions |\n|---|---|---|---|---|---|---|";
            case "docs" -> "| server | docs x clients | updates/s to all | deliveries/s | p50 ms | p99 ms | p99.9 ms | server CPU (cores) "
                    + "| updates per server CPU-s | heap/doc (KiB) | RSS/doc (KiB) | never arrived | load avg |\n"
                    + "|---|---|---|---|---|---|---|---|---|---|---|---|---|";
            default -> "";
        };
    }

    String runOne(Kind kind) throws Exception {
        int port = freePort();
        Map<String, String> env = new java.util.HashMap<>(Map.of("CHORUS_DEFAULT_NAMESPACE_HISTORY_SIZE", String.valueOf(history),
                "CHORUS_LIMITS_MAX_SUBSCRIPTIONS", "1024"));
        env.putAll(chorusEnv);
        try (ServerProcess server = ServerProcess.start(kind, root, port, heap, env, serverCpus);
             Driver driver = new Driver("127.0.0.1", port, kind.wire(), threads, sourceAddresses)) {
            return switch (scenario) {
                case "fanout" -> {
                    FanOut.Result r = FanOut.run(driver, kind.label(), new FanOut.Params(publishers, subscribers, channels, size, rate,
                            Duration.ofSeconds(warmup), Duration.ofSeconds(duration)), server::cpuSeconds);
                    yield String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.2f | %.2f | %.2f | %.2f | %.0f | %.2f |", r.server(), r.deliveriesPerSecond(),
                            r.expectedPerSecond(), r.p50ms(), r.p99ms(), r.p999ms(), r.serverCpu(), r.deliveriesPerCpuSecond(), r.generatorCpu());
                }
                case "idle" -> {
                    Idle.Result r = Idle.run(server, driver, connections, channels, Duration.ofSeconds(settle));
                    yield String.format(Locale.ROOT, "| %s | %d | %.0f | %.0f | %.1f | %.1f |", r.server(), r.connections(),
                            r.heapPerConnection(), r.rssPerConnection(), r.heapAfter() / 1048576.0, r.rssAfter() / 1048576.0);
                }
                case "churn" -> {
                    Churn.Result r = Churn.run(driver, kind.label(), workers, Duration.ofSeconds(duration));
                    yield String.format(Locale.ROOT, "| %s | %d | %.0f | %d |", r.server(), r.workers(), r.cyclesPerSecond(), r.failures());
                }
                case "recovery" -> {
                    RecoveryStorm.Result r = RecoveryStorm.run(driver, kind.label(),
                            new RecoveryStorm.Params(subscribers, channels, rate, Duration.ofSeconds(downtime)), Duration.ofSeconds(120));
                    yield String.format(Locale.ROOT, "| %s | %d | %s | %d | %d | %d | %d |", r.server(), subscribers,
                            r.finished() ? String.format(Locale.ROOT, "%.2f", r.seconds()) : "not within 120 s", r.complete(), r.gaps(),
                            r.duplicates(), r.recovered());
                }
                default -> throw new IllegalArgumentException("unknown scenario " + scenario);
            };
        }
    }

    /** The y-protocols dialect the document clients speak to a server named on the command line. */
    static YDialect dialect(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "chorus", "chorus-memory", "chorus-sqlite-normal" -> YDialect.CHORUS_YJS;
            case "chorus-hocuspocus" -> YDialect.CHORUS_HOCUSPOCUS;
            case "y-websocket" -> YDialect.Y_WEBSOCKET;
            case "hocuspocus" -> YDialect.HOCUSPOCUS;
            default -> throw new CommandLine.ParameterException(new CommandLine(new BenchMain()), "not a document server: " + name);
        };
    }

    String runDocs(String name) throws Exception {
        YDialect dialect = dialect(name);
        Map<String, String> env = new java.util.HashMap<>(chorusEnv);
        String label = switch (name.toLowerCase(Locale.ROOT)) {
            case "chorus" -> "Chorus /yjs (" + env.getOrDefault("CHORUS_DOCUMENTS_STORE", "sqlite") + ")";
            case "chorus-sqlite-normal" -> {
                env.put("CHORUS_DOCUMENTS_SQLITE_SYNC", "normal");
                yield "Chorus /yjs (sqlite, sync normal)";
            }
            case "chorus-memory" -> {
                env.put("CHORUS_DOCUMENTS_STORE", "memory");
                yield "Chorus /yjs (memory store)";
            }
            case "chorus-hocuspocus" -> "Chorus /hocuspocus (" + env.getOrDefault("CHORUS_DOCUMENTS_STORE", "sqlite") + ")";
            default -> kind(name).label();
        };
        // the machine's 1-minute load average as the row starts: the cores are shared with other work
        String load = java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        try (ServerProcess server = ServerProcess.start(kind(name), root, freePort(), heap, env, serverCpus)) {
            DocEditing.Result r = DocEditing.run(server, label, dialect, new DocEditing.Params(docs, clientsPerDoc, chars, docRate,
                    Duration.ofSeconds(warmup), Duration.ofSeconds(duration)), threads, sourceAddresses);
            return String.format(Locale.ROOT, "| %s | %d x %d%s | %.0f | %.0f | %.2f | %.2f | %.2f | %.2f | %.0f | %.1f | %.1f | %d | %s |",
                    r.server(), docs, clientsPerDoc, docRate == 0 ? "" : " at " + docRate + "/s", r.updatesPerSecond(), r.deliveriesPerSecond(), r.p50ms(), r.p99ms(), r.p999ms(),
                    r.serverCpu(), r.updatesPerSecond() / r.serverCpu(), r.heapPerDoc() / 1024, r.rssPerDoc() / 1024, r.inFlightAtEnd(), load);
        }
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
