package dev.chorus.bench;

import dev.chorus.bench.Connections.BenchClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * Scenario (a): P publishers, S subscribers over C channels, messages of M bytes at R per second in
 * all. Reports deliveries per second and publish-to-receive latency (the publish time travels in
 * the payload; publisher and subscribers share this JVM's clock).
 */
final class FanOut {
    record Params(int publishers, int subscribers, int channels, int size, int rate, Duration warmup, Duration duration) {
    }

    record Result(String server, Params params, double deliveriesPerSecond, double expectedPerSecond,
                  double p50ms, double p99ms, double p999ms, long delivered, double serverCpu, double generatorCpu) {
        /** Deliveries per second of server CPU: the server's efficiency, whatever the generator leaves it. */
        double deliveriesPerCpuSecond() {
            return serverCpu > 0 ? deliveriesPerSecond / serverCpu : Double.NaN;
        }
    }

    private FanOut() {
    }

    static Result run(Driver driver, String label, Params p) throws Exception {
        return run(driver, label, p, () -> -1);
    }

    /** @param serverCpuSeconds the server process's CPU time so far (for the CPU share during the measurement) */
    static Result run(Driver driver, String label, Params p, java.util.function.DoubleSupplier serverCpuSeconds) throws Exception {
        Recorder latencies = new Recorder(3);
        LongAdder delivered = new LongAdder();
        AtomicBoolean measuring = new AtomicBoolean();
        driver.onDelivery((client, t, seq) -> {
            if (measuring.get()) {
                if (t > 0) {
                    latencies.recordValue(Math.max(1, (System.nanoTime() - t) / 1000));
                }
                delivered.increment();
            }
        });
        List<BenchClient> subs = driver.subscribers(p.subscribers(), i -> "bench" + (i % p.channels()), 120);
        List<BenchClient> pubs = new ArrayList<>();
        for (int i = 0; i < p.publishers(); i++) {
            pubs.add(driver.connect(new ClientState()).get(60, TimeUnit.SECONDS));
        }
        String[] channels = new String[p.channels()];
        for (int i = 0; i < channels.length; i++) {
            channels[i] = "bench" + i;
        }
        AtomicBoolean running = new AtomicBoolean(true);
        Thread publisher = new Thread(() -> publishLoop(driver.wire, pubs, channels, p, running), "bench-publisher");
        publisher.start();
        Thread.sleep(p.warmup().toMillis());
        latencies.reset();
        double cpuStart = serverCpuSeconds.getAsDouble();
        double genStart = ProcCpu.selfSeconds();
        measuring.set(true);
        long start = System.nanoTime();
        Thread.sleep(p.duration().toMillis());
        measuring.set(false);
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = cpuStart < 0 ? -1 : (serverCpuSeconds.getAsDouble() - cpuStart) / seconds;
        double genCpu = genStart < 0 ? -1 : (ProcCpu.selfSeconds() - genStart) / seconds;
        running.set(false);
        publisher.join();
        var h = latencies.getIntervalHistogram();
        long count = delivered.sum();
        subs.forEach(BenchClient::close);
        pubs.forEach(BenchClient::close);
        double expected = (double) p.rate() * p.subscribers() / p.channels();
        return new Result(label, p, count / seconds, expected,
                h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0, h.getValueAtPercentile(99.9) / 1000.0, count, cpu, genCpu);
    }

    private static void publishLoop(WireProtocol wire, List<BenchClient> pubs, String[] channels, Params p, AtomicBoolean running) {
        long start = System.nanoTime();
        long sent = 0;
        long seq = 0;
        while (running.get()) {
            long due = (long) ((System.nanoTime() - start) / 1e9 * p.rate());
            while (sent < due) {
                BenchClient c = pubs.get((int) (sent % pubs.size()));
                String channel = channels[(int) (sent % channels.length)];
                c.send(wire.publish(channel, Payloads.make(System.nanoTime(), ++seq, p.size())));
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
