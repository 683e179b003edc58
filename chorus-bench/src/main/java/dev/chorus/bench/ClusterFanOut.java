package dev.chorus.bench;

import dev.chorus.bench.Connections.BenchClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;
import org.HdrHistogram.Recorder;

/**
 * The fan-out scenario over a cluster of N nodes: S subscribers spread evenly over the nodes and
 * over C channels (every channel has subscribers on every node), P publishers on every node, R
 * publications per second in all, each channel's publications coming from every publisher in turn.
 * Besides deliveries per second and publish-to-receive latency it checks what the cluster promises:
 * every subscriber sees its channel's offsets consecutively (no gap, duplicate or reordering), every
 * subscriber of a channel sees the same publication at the same offset whichever node it is on, and
 * after publishing stops every publication reached every subscriber of its channel.
 */
final class ClusterFanOut {
    record Params(int nodes, int publishersPerNode, int subscribers, int channels, int size, int rate, Duration warmup,
                  Duration duration) {
    }

    /**
     * @param serverCpu    cores used by the node processes together during the measurement
     * @param brokerCpu    cores used by the broker process (-1 when not known; it may serve others too)
     * @param generatorCpu cores used by this JVM (the generator)
     * @param outOfOrder   deliveries whose offset was not the connection's previous one + 1
     * @param disagreements deliveries whose (channel, offset) carried another publication on another subscriber
     * @param missing      deliveries expected after the drain (published x subscribers of the channel) and not received
     * @param neverSeen    of those, deliveries of publications no subscriber received (no offset seen: most likely dropped
     *                     before being stored, by the publishing connection's request queue)
     * @param notDelivered of those, deliveries of publications another subscriber of the channel did receive
     * @param closed       subscriber connections closed by a node during the run
     */
    record Result(String label, Params params, double deliveriesPerSecond, double expectedPerSecond, double p50ms, double p99ms,
                  double p999ms, long delivered, double serverCpu, double brokerCpu, double generatorCpu, long outOfOrder,
                  long disagreements, long missing, long neverSeen, long notDelivered, long closed) {
    }

    private ClusterFanOut() {
    }

    static String channel(int c) {
        return "bench" + c;
    }

    static Result run(ClusterDriver driver, String label, Params p, DoubleSupplier serverCpuSeconds, DoubleSupplier brokerCpuSeconds)
            throws Exception {
        int n = driver.ports.size();
        Recorder latencies = new Recorder(3);
        LongAdder measured = new LongAdder();
        LongAdder total = new LongAdder();
        LongAdder outOfOrder = new LongAdder();
        LongAdder disagreements = new LongAdder();
        LongAdder closed = new LongAdder();
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean done = new AtomicBoolean();
        // per channel: the publication seen at each offset (index = offset - base), to compare subscribers
        int slots = (int) Math.min(Integer.MAX_VALUE - 8,
                (long) p.rate() * (p.warmup().toSeconds() + p.duration().toSeconds() + 30) / p.channels() + 1024);
        AtomicLongArray[] seen = new AtomicLongArray[p.channels()];
        long[] base = new long[p.channels()];
        for (int c = 0; c < p.channels(); c++) {
            seen[c] = new AtomicLongArray(slots);
        }
        driver.onClosed(c -> {
            if (!done.get()) {
                closed.increment();
            }
        });

        // subscriber i: channel i mod C, node (i div C) mod N, so each channel has subscribers on every node
        List<CompletableFuture<BenchClient>> fs = new ArrayList<>();
        for (int i = 0; i < p.subscribers(); i++) {
            fs.add(driver.connectAndSubscribe((i / p.channels()) % n, channel(i % p.channels())));
        }
        List<BenchClient> subs = new ArrayList<>();
        for (CompletableFuture<BenchClient> f : fs) {
            subs.add(f.get(120, TimeUnit.SECONDS));
        }
        int[] perChannel = new int[p.channels()];
        boolean[] hasBase = new boolean[p.channels()];
        for (int i = 0; i < subs.size(); i++) {
            int c = i % p.channels();
            perChannel[c]++;
            long pos = subs.get(i).state.lastOffset;
            if (!hasBase[c]) {
                base[c] = pos;
                hasBase[c] = true;
            } else if (base[c] != pos) {
                disagreements.increment(); // subscribers of one channel told different positions
            }
        }
        java.util.Map<String, Integer> channelIndex = new java.util.HashMap<>();
        for (int c = 0; c < p.channels(); c++) {
            channelIndex.put(channel(c), c);
        }
        driver.onDelivery((client, t, seq, offset, last) -> {
            total.increment();
            if (offset >= 0) {
                if (offset != last + 1) {
                    outOfOrder.increment();
                }
                int c = channelIndex.get(client.state.channel);
                long idx = offset - base[c];
                if (idx >= 0 && idx < slots && seq > 0) {
                    AtomicLongArray a = seen[c];
                    if (!a.compareAndSet((int) idx, 0, seq) && a.get((int) idx) != seq) {
                        disagreements.increment();
                    }
                }
            }
            if (measuring.get()) {
                if (t > 0) {
                    latencies.recordValue(Math.max(1, (System.nanoTime() - t) / 1000));
                }
                measured.increment();
            }
        });

        List<BenchClient> pubs = new ArrayList<>();
        for (int i = 0; i < p.publishersPerNode() * n; i++) {
            pubs.add(driver.connect(i % n).get(60, TimeUnit.SECONDS));
        }
        long[] published = new long[p.channels()];
        AtomicBoolean running = new AtomicBoolean(true);
        Thread publisher = new Thread(() -> publishLoop(driver.wire, pubs, p, running, published), "cluster-bench-publisher");
        publisher.start();
        Thread.sleep(p.warmup().toMillis());
        latencies.reset();
        double cpuStart = serverCpuSeconds.getAsDouble();
        double brokerStart = brokerCpuSeconds.getAsDouble();
        double genStart = ProcCpu.selfSeconds();
        measuring.set(true);
        long start = System.nanoTime();
        Thread.sleep(p.duration().toMillis());
        measuring.set(false);
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = cpuStart < 0 ? -1 : (serverCpuSeconds.getAsDouble() - cpuStart) / seconds;
        double brokerEnd = brokerCpuSeconds.getAsDouble();
        double brokerCpu = brokerStart < 0 || brokerEnd < 0 ? -1 : (brokerEnd - brokerStart) / seconds;
        double genCpu = (ProcCpu.selfSeconds() - genStart) / seconds;
        running.set(false);
        publisher.join();
        var h = latencies.getIntervalHistogram();
        long count = measured.sum();

        // drain: wait until every publication reached every subscriber of its channel (or 20 s pass)
        long expectedTotal = 0;
        for (int c = 0; c < p.channels(); c++) {
            expectedTotal += published[c] * perChannel[c];
        }
        long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (total.sum() < expectedTotal && System.nanoTime() < drainDeadline) {
            Thread.sleep(50);
        }
        long missing = Math.max(0, expectedTotal - total.sum());
        // offsets are consecutive per subscriber (checked above), so subscriber s received exactly lastOffset(s) - base
        long[] maxLast = new long[p.channels()];
        java.util.Arrays.fill(maxLast, Long.MIN_VALUE);
        for (int i = 0; i < subs.size(); i++) {
            maxLast[i % p.channels()] = Math.max(maxLast[i % p.channels()], subs.get(i).state.lastOffset);
        }
        long neverSeen = 0;
        long notDelivered = 0;
        for (int c = 0; c < p.channels(); c++) {
            neverSeen += Math.max(0, published[c] - (maxLast[c] - base[c])) * perChannel[c];
        }
        for (int i = 0; i < subs.size(); i++) {
            notDelivered += maxLast[i % p.channels()] - subs.get(i).state.lastOffset;
        }
        done.set(true);
        subs.forEach(BenchClient::close);
        pubs.forEach(BenchClient::close);
        double expected = (double) p.rate() * p.subscribers() / p.channels();
        return new Result(label, p, count / seconds, expected, h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
                h.getValueAtPercentile(99.9) / 1000.0, count, cpu, brokerCpu, genCpu, outOfOrder.sum(), disagreements.sum(), missing,
                neverSeen, notDelivered, closed.sum());
    }

    private static void publishLoop(WireProtocol wire, List<BenchClient> pubs, Params p, AtomicBoolean running, long[] published) {
        String[] channels = new String[p.channels()];
        for (int i = 0; i < channels.length; i++) {
            channels[i] = channel(i);
        }
        long start = System.nanoTime();
        long sent = 0;
        while (running.get()) {
            long due = (long) ((System.nanoTime() - start) / 1e9 * p.rate());
            while (sent < due) {
                int c = (int) (sent % channels.length);
                // round j of the channels goes through publisher j mod P*N: every channel hears from every node
                BenchClient pub = pubs.get((int) ((sent / channels.length) % pubs.size()));
                pub.send(wire.publish(channels[c], Payloads.make(System.nanoTime(), sent + 1, p.size())));
                published[c]++;
                sent++;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
