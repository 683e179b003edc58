package dev.chorus.bench;

import dev.chorus.bench.Connections.BenchClient;
import dev.chorus.core.documents.YMessages;
import dev.chorus.yjs.Doc;
import dev.chorus.yjs.DocOptions;
import dev.chorus.yjs.YText;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * The document scenarios: D documents with C y-websocket (or Hocuspocus) clients each, every client
 * typing into the document's shared text. Each edit is a real Yjs update made by chorus-yjs (an
 * insert into the client's replica, then {@code encodeStateAsUpdate} against the state vector from
 * before it), so every server integrates real CRDT updates.
 *
 * <p>Closed loop: each client has one update in flight and sends the next one when it has reached
 * every other client of its document. An update is recognised on arrival by the client and clock of
 * its first struct: the servers forward it, re-encode it or merge several clients' updates into one
 * message, but that stays the same; with one update in flight per client no two of a client's
 * updates can be merged. Its latency is from just before the sender encoded it to its arrival at the last of the
 * others; all clients are in this JVM, so there is one clock. Throughput is updates per second that
 * reached all the others. Memory: the server's heap (after a full GC) and RSS with everything
 * loaded and connected, less the same before the first client connected, per document.
 */
final class DocEditing {
    /** {@code rate}: updates per second offered in all (open loop); 0 for the closed loop. */
    record Params(int docs, int clientsPerDoc, int chars, int rate, Duration warmup, Duration duration) {
        Params {
            if (clientsPerDoc < 2) {
                throw new IllegalArgumentException("a document needs two clients or more: one edits, the others receive");
            }
            if (rate < 0) {
                throw new IllegalArgumentException("rate must be >= 0: " + rate);
            }
        }
    }

    record Result(String server, Params params, double updatesPerSecond, double deliveriesPerSecond,
                  double p50ms, double p99ms, double p999ms, long completed, long inFlightAtEnd, double serverCpu,
                  double heapPerDoc, double rssPerDoc) {
    }

    /** An update on its way: who sent it, when, and how many of the others still have to receive it. */
    private record Pending(Editor sender, long sentNanos, AtomicInteger left) {
    }

    /** One client: a chorus-yjs replica of its own edits and a socket. */
    final class Editor extends BenchClient {
        final int index;
        final String doc;
        final Doc replica;
        final YText text;
        final CompletableFuture<Void> synced = new CompletableFuture<>();
        private long clock;

        Editor(int index, String doc) {
            super(null, null);
            this.index = index;
            this.doc = doc;
            this.replica = new Doc(DocOptions.builder().clientId(index + 1L).build());
            this.text = replica.getText("text");
        }

        /** Makes one edit and sends its update (on any thread; one at a time per editor). */
        synchronized void edit() {
            if (!running) {
                return;
            }
            byte[] before = replica.encodeStateVector();
            long at = clock;
            long now = System.nanoTime();
            text.insert(text.length(), chunk);
            clock += chunk.length();
            byte[] update = replica.encodeStateAsUpdate(before);
            pending.put(key(index + 1L, at), new Pending(this, now, new AtomicInteger(p.clientsPerDoc() - 1)));
            send(dialect.update(doc, update));
        }
    }

    private final YDialect dialect;
    private final Params p;
    private final String chunk;
    private final ConcurrentHashMap<Long, Pending> pending = new ConcurrentHashMap<>();
    private final Recorder latencies = new Recorder(3);
    private final LongAdder completed = new LongAdder();
    private volatile boolean running = true;
    private volatile boolean measuring;

    private DocEditing(YDialect dialect, Params p) {
        this.dialect = dialect;
        this.p = p;
        this.chunk = "abcdefghijklmnopqrstuvwxyz0123456789".repeat(1 + p.chars() / 36).substring(0, p.chars());
    }

    private static long key(long client, long clock) {
        return client << 32 | clock;
    }

    static Result run(ServerProcess server, String label, YDialect dialect, Params p, int threads, int sourceAddresses) throws Exception {
        return new DocEditing(dialect, p).run(server, label, threads, sourceAddresses);
    }

    private Result run(ServerProcess server, String label, int threads, int sourceAddresses) throws Exception {
        long heapBefore = server.heapAfterGc();
        long rssBefore = server.rss();
        List<Editor> editors = new ArrayList<>();
        try (Connections connections = new Connections(threads, sourceAddresses)) {
            Connections.Listener listener = new Connections.Listener() {
                @Override
                public void onText(BenchClient client, ByteBuf text) {
                }

                @Override
                public void onBinary(BenchClient client, ByteBuf data) {
                    received((Editor) client, ByteBufUtil.getBytes(data));
                }

                @Override
                public void onClosed(BenchClient client) {
                    ((Editor) client).synced.completeExceptionally(new IllegalStateException("closed"));
                }
            };
            List<CompletableFuture<Editor>> opening = new ArrayList<>();
            for (int d = 0; d < p.docs(); d++) {
                String doc = "bench-doc-" + d;
                for (int c = 0; c < p.clientsPerDoc(); c++) {
                    Editor e = new Editor(editors.size(), doc);
                    editors.add(e);
                    opening.add(connections.open("127.0.0.1", server.port, dialect.path(doc), null, e, listener).thenApply(x -> {
                        for (byte[] m : dialect.open(doc, x.replica.encodeStateVector())) {
                            x.send(m);
                        }
                        return x;
                    }));
                }
            }
            for (CompletableFuture<Editor> f : opening) {
                f.get(120, TimeUnit.SECONDS).synced.get(120, TimeUnit.SECONDS);
            }
            Thread sender = null;
            if (p.rate() == 0) {
                editors.forEach(Editor::edit);
            } else {
                sender = new Thread(() -> offer(editors), "doc-sender");
                sender.setDaemon(true);
                sender.start();
            }
            Thread.sleep(p.warmup().toMillis());
            latencies.reset();
            completed.reset();
            double cpuStart = server.cpuSeconds();
            measuring = true;
            long start = System.nanoTime();
            Thread.sleep(p.duration().toMillis());
            measuring = false;
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpu = (server.cpuSeconds() - cpuStart) / seconds;
            long done = completed.sum();
            running = false;
            if (sender != null) {
                sender.join(1000);
            }
            // what is still on its way arrives now, or never
            long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!pending.isEmpty() && System.nanoTime() < drainUntil) {
                Thread.sleep(20);
            }
            long inFlight = pending.size();
            long heapAfter = server.heapAfterGc();
            long rssAfter = server.rss();
            var h = latencies.getIntervalHistogram();
            editors.forEach(BenchClient::close);
            double perSecond = done / seconds;
            return new Result(label, p,
                    perSecond, perSecond * (p.clientsPerDoc() - 1),
                    h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0, h.getValueAtPercentile(99.9) / 1000.0,
                    done, inFlight, cpu, (heapAfter - heapBefore) / (double) p.docs(), (rssAfter - rssBefore) / (double) p.docs());
        }
    }

    /** Open loop: sends {@code p.rate()} updates a second, round robin over the clients, until stopped. */
    private void offer(List<Editor> editors) {
        long start = System.nanoTime();
        long sent = 0;
        while (running) {
            long due = (long) ((System.nanoTime() - start) / 1e9 * p.rate());
            while (sent < due && running) {
                editors.get((int) (sent % editors.size())).edit();
                sent++;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** A message from the server to {@code to} (on its event loop). */
    private void received(Editor to, byte[] message) {
        int sub;
        try {
            // every update in the range: a merged run of one client's updates arrives as one struct
            sub = dialect.read(message, (client, from, end) -> {
                for (long clock = from; clock < end; clock += chunk.length()) {
                    arrived(to, client, clock);
                }
            });
        } catch (RuntimeException e) {
            return; // not a y-protocols message the benchmark reads (a single-byte ping, say)
        }
        if (sub == YMessages.STEP2) {
            to.synced.complete(null);
        }
    }

    private void arrived(Editor to, long client, long clock) {
        long k = key(client, clock);
        Pending u = pending.get(k);
        // y-websocket-server and Hocuspocus send an update back to its sender as well: not counted
        if (u == null || u.sender() == to || u.left().decrementAndGet() != 0) {
            return;
        }
        pending.remove(k);
        if (measuring) {
            latencies.recordValue(Math.max(1, (System.nanoTime() - u.sentNanos()) / 1000));
            completed.increment();
        }
        if (p.rate() == 0) {
            u.sender().edit();
        }
    }
}
