package dev.chorus.bench.yjs;

import dev.chorus.yjs.Doc;
import dev.chorus.yjs.DocOptions;
import dev.chorus.yjs.YText;
import dev.chorus.yjs.lib0.JsJson;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The CRDT benchmark, chorus-yjs and yjs side by side in one run: every editing trace in
 * {@code editing-traces/} applied to a text (sequential traces one edit per transaction; the
 * concurrent trace replayed by one document per agent exchanging updates), parsing
 * {@code b4-update.bin}, encoding the final B4 (automerge-paper) document in v1 and v2, and the heap
 * held by the loaded {@code b4-update.bin} document. yjs runs in one Node process
 * ({@code chorus-bench/peer/yjs-bench.mjs}) driven over stdin/stdout: the two sides alternate run by
 * run (a yjs run, then a chorus-yjs run, then the next pair), so changing load on a shared machine
 * hits both alike, and both stay warm from one measure to the next. Each measure reports the first
 * run, the median and the best: the traces run {@code traceRuns} times, parsing and encoding (a few
 * milliseconds each, so a handful of runs mostly times the JIT warming up, on either side)
 * {@code quickRuns} times.
 *
 * <pre>java -Xmx2g -cp chorus-bench/target/chorus-bench.jar dev.chorus.bench.yjs.YjsBench ../shared/bench-data 5 50</pre>
 */
public final class YjsBench {
    private static final String B4 = "sequential/automerge-paper.json.gz";

    private YjsBench() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args.length > 0 ? args[0] : "../shared/bench-data").toAbsolutePath().normalize();
        int traceRuns = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int quickRuns = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        Path peerDir = Path.of(args.length > 3 ? args[3] : "chorus-bench/peer").toAbsolutePath().normalize();

        try (YjsPeer yjs = new YjsPeer(peerDir, data)) {
            Map<?, ?> version = yjs.call("version");
            // B4 first (its final document is encoded below), then the other traces
            List<String> names = traceFiles(data, "sequential");
            names.remove(B4);
            names.add(0, B4);
            names.addAll(traceFiles(data, "concurrent"));

            Map<String, double[][]> traces = new LinkedHashMap<>();
            Doc b4 = null;
            for (String name : names) {
                Map<?, ?> trace = readTrace(data, name);
                ConcurrentReplay replay = name.startsWith("concurrent/") ? new ConcurrentReplay(trace) : null;
                double[][] runs = new double[2][traceRuns];
                for (int i = 0; i < traceRuns; i++) {
                    runs[0][i] = ms(yjs.call("trace " + name));
                    long t = System.nanoTime();
                    Doc doc = replay != null ? replay.run() : applySequential(trace);
                    runs[1][i] = (System.nanoTime() - t) / 1e6;
                    if (name.equals(B4)) {
                        b4 = doc;
                    }
                }
                traces.put(name, runs);
            }

            byte[] update = Files.readAllBytes(data.resolve("b4-update.bin"));
            double[][] parse = new double[2][quickRuns];
            for (int i = 0; i < quickRuns; i++) {
                parse[0][i] = ms(yjs.call("parse"));
                long t = System.nanoTime();
                new Doc().applyUpdate(update);
                parse[1][i] = (System.nanoTime() - t) / 1e6;
            }
            double[][] v1 = new double[2][quickRuns];
            double[][] v2 = new double[2][quickRuns];
            Map<?, ?> yjsEncode = null;
            int sizeV1 = 0;
            int sizeV2 = 0;
            for (int i = 0; i < quickRuns; i++) {
                yjsEncode = yjs.call("encode");
                v1[0][i] = ((Number) yjsEncode.get("v1")).doubleValue();
                v2[0][i] = ((Number) yjsEncode.get("v2")).doubleValue();
                long t = System.nanoTime();
                sizeV1 = b4.encodeStateAsUpdate().length;
                v1[1][i] = (System.nanoTime() - t) / 1e6;
                t = System.nanoTime();
                sizeV2 = b4.encodeStateAsUpdateV2(null).length;
                v2[1][i] = (System.nanoTime() - t) / 1e6;
            }
            long yjsMemory = ((Number) yjs.call("memory").get("bytes")).longValue();
            b4 = null;
            long before = heapAfterGc();
            Doc loaded = new Doc();
            loaded.applyUpdate(update);
            long memory = heapAfterGc() - before;

            System.out.println("yjs " + version.get("yjs") + " on Node " + version.get("node") + ", chorus-yjs on Java "
                    + System.getProperty("java.version") + "; ms per run as first / median / best;"
                    + " ratio = yjs / chorus-yjs (above 1: chorus-yjs faster)");
            System.out.println();
            System.out.println("| measure | runs | yjs | chorus-yjs | ratio (median) | ratio (first run) |");
            System.out.println("|---|---|---|---|---|---|");
            for (Map.Entry<String, double[][]> e : traces.entrySet()) {
                String what = e.getKey().equals(B4) ? "B4 trace (" + e.getKey() + ")" : "trace " + e.getKey();
                row(what, e.getValue());
            }
            row("parse b4-update.bin", parse);
            row("encode final B4 doc, v1", v1);
            row("encode final B4 doc, v2", v2);
            System.out.printf(Locale.ROOT, "| size of the encoded B4 doc, v1 / v2 (bytes) | | %,d / %,d | %,d / %,d | | |%n",
                    ((Number) yjsEncode.get("sizeV1")).longValue(), ((Number) yjsEncode.get("sizeV2")).longValue(), sizeV1, sizeV2);
            System.out.printf(Locale.ROOT, "| heap held by the loaded b4-update.bin doc (bytes) | 1 | %,d | %,d | %.2f | |%n",
                    yjsMemory, memory, (double) yjsMemory / memory);
            if (loaded.encodeStateVector().length == 0) {
                throw new IllegalStateException("unreachable: keeps the loaded document alive until measured");
            }
        }
    }

    /** The Node side: one process answering one JSON line per command line (see yjs-bench.mjs). */
    private static final class YjsPeer implements AutoCloseable {
        private final Process process;
        private final BufferedWriter in;
        private final BufferedReader out;

        YjsPeer(Path dir, Path data) throws IOException {
            process = new ProcessBuilder("node", "--expose-gc", "yjs-bench.mjs", data.toString())
                    .directory(dir.toFile()).redirectErrorStream(true).start();
            in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        Map<?, ?> call(String command) throws IOException {
            in.write(command);
            in.newLine();
            in.flush();
            String line = out.readLine();
            if (line == null || !line.startsWith("{")) {
                StringBuilder rest = new StringBuilder(line == null ? "" : line);
                for (String l; (l = out.readLine()) != null; ) {
                    rest.append('\n').append(l);
                }
                throw new IllegalStateException("yjs side failed on '" + command + "': " + rest);
            }
            return (Map<?, ?>) JsJson.parse(line);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor();
        }
    }

    private static double ms(Map<?, ?> reply) {
        return ((Number) reply.get("ms")).doubleValue();
    }

    private static List<String> traceFiles(Path data, String kind) throws IOException {
        try (Stream<Path> files = Files.list(data.resolve("editing-traces").resolve(kind))) {
            return files.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".json.gz")).sorted()
                    .map(f -> kind + "/" + f).collect(Collectors.toCollection(ArrayList::new));
        }
    }

    private static Map<?, ?> readTrace(Path data, String name) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(
                Files.readAllBytes(data.resolve("editing-traces").resolve(name))))) {
            return (Map<?, ?>) JsJson.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** Every patch {@code [pos, deleted, inserted]} in its own transaction. */
    private static Doc applySequential(Map<?, ?> trace) {
        Doc doc = new Doc();
        YText text = doc.getText("text");
        for (Object tx : (List<?>) trace.get("txns")) {
            for (Object p : (List<?>) ((Map<?, ?>) tx).get("patches")) {
                List<?> patch = (List<?>) p;
                int pos = ((Number) patch.get(0)).intValue();
                int del = ((Number) patch.get(1)).intValue();
                String ins = (String) patch.get(2);
                doc.transact(t -> {
                    if (del > 0) {
                        text.delete(pos, del);
                    }
                    if (!ins.isEmpty()) {
                        text.insert(pos, ins);
                    }
                });
            }
        }
        if (!text.toString().equals(trace.get("endContent"))) {
            throw new IllegalStateException("wrong final text");
        }
        return doc;
    }

    /**
     * A concurrent trace (txns with parents, see the trace README) replayed as peers would: one Doc
     * per agent; before an agent's txn, its Doc receives the updates of the txns that txn follows
     * and it has not seen (in trace order); then the txn's patches run in one transaction whose
     * update is kept for the other agents. At the end every agent receives everything and must show
     * the final text. The causal pasts are computed once, outside the timed runs. Agent {@code a}
     * writes as client {@code a + 1} on both sides: the trace has concurrent inserts at the same place
     * (both agents typing there with a second of latency), which Yjs orders by client id, and the
     * trace's final text is the order with agent 0 first; random ids would fail half the runs.
     */
    private static final class ConcurrentReplay {
        private final Map<?, ?> trace;
        private final List<Map<?, ?>> txns = new ArrayList<>();
        private final int agents;
        private final int words;
        private final long[][] before;

        ConcurrentReplay(Map<?, ?> trace) {
            this.trace = trace;
            for (Object t : (List<?>) trace.get("txns")) {
                txns.add((Map<?, ?>) t);
            }
            this.agents = ((Number) trace.get("numAgents")).intValue();
            int n = txns.size();
            this.words = (n + 63) >>> 6;
            this.before = new long[n][];
            long[][] upTo = new long[n][];
            for (int i = 0; i < n; i++) {
                long[] b = new long[words];
                for (Object p : (List<?>) txns.get(i).get("parents")) {
                    long[] u = upTo[((Number) p).intValue()];
                    for (int w = 0; w < words; w++) {
                        b[w] |= u[w];
                    }
                }
                long[] u = b.clone();
                u[i >>> 6] |= 1L << i;
                before[i] = b;
                upTo[i] = u;
            }
        }

        Doc run() {
            int n = txns.size();
            byte[][] updates = new byte[n][];
            Doc[] docs = new Doc[agents];
            long[][] seen = new long[agents][words];
            int[] recording = {-1};
            for (int a = 0; a < agents; a++) {
                docs[a] = new Doc(DocOptions.builder().clientId(a + 1).build());
                docs[a].addUpdateListener((u, origin, tx) -> {
                    if (recording[0] >= 0) {
                        updates[recording[0]] = u;
                    }
                });
            }
            for (int i = 0; i < n; i++) {
                Map<?, ?> txn = txns.get(i);
                int a = ((Number) txn.get("agent")).intValue();
                catchUp(docs[a], seen[a], before[i], updates);
                YText text = docs[a].getText("text");
                recording[0] = i;
                docs[a].transact(t -> {
                    for (Object p : (List<?>) txn.get("patches")) {
                        List<?> patch = (List<?>) p;
                        int pos = ((Number) patch.get(0)).intValue();
                        int del = ((Number) patch.get(1)).intValue();
                        String ins = (String) patch.get(2);
                        if (del > 0) {
                            text.delete(pos, del);
                        }
                        if (!ins.isEmpty()) {
                            text.insert(pos, ins);
                        }
                    }
                });
                recording[0] = -1;
                seen[a][i >>> 6] |= 1L << i;
            }
            long[] all = new long[words];
            for (int i = 0; i < n; i++) {
                all[i >>> 6] |= 1L << i;
            }
            for (int a = 0; a < agents; a++) {
                catchUp(docs[a], seen[a], all, updates);
                if (!docs[a].getText("text").toString().equals(trace.get("endContent"))) {
                    throw new IllegalStateException("wrong final text, agent " + a);
                }
            }
            return docs[0];
        }

        private void catchUp(Doc doc, long[] seen, long[] want, byte[][] updates) {
            for (int w = 0; w < words; w++) {
                long missing = want[w] & ~seen[w];
                while (missing != 0) {
                    int j = (w << 6) + Long.numberOfTrailingZeros(missing);
                    if (updates[j] != null) {
                        doc.applyUpdate(updates[j]);
                    }
                    missing &= missing - 1;
                }
                seen[w] |= want[w];
            }
        }
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void row(String what, double[][] runs) {
        double[] yjs = runs[0];
        double[] java = runs[1];
        System.out.printf(Locale.ROOT, "| %s | %d | %s | %s | %.2f | %.2f |%n", what, java.length,
                stats(yjs), stats(java), median(yjs) / median(java), yjs[0] / java[0]);
    }

    private static String stats(double[] runs) {
        double best = Arrays.stream(runs).min().orElse(Double.NaN);
        return String.format(Locale.ROOT, "%s / %s / %s", format(runs[0]), format(median(runs)), format(best));
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, v < 100 ? "%,.1f" : "%,.0f", v);
    }

    private static double median(double[] runs) {
        double[] s = runs.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }
}
