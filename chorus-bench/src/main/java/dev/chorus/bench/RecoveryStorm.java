package dev.chorus.bench;

import dev.chorus.bench.Connections.BenchClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scenario (d): N subscribers drop together while publishing continues, then all come back at
 * once with their positions. Measures the time from the reconnect until every client has every
 * publication up to the newest one published at that moment, and counts gaps and duplicates (each
 * channel's payloads carry consecutive sequence numbers).
 */
final class RecoveryStorm {
    record Params(int subscribers, int channels, int rate, Duration downtime) {
    }

    record Result(String server, Params params, double seconds, long complete, long gaps, long duplicates, long recovered, boolean finished) {
    }

    private RecoveryStorm() {
    }

    static Result run(Driver driver, String label, Params p, Duration timeout) throws Exception {
        ClientState[] states = new ClientState[p.subscribers()];
        int[] channelOf = new int[p.subscribers()];
        for (int i = 0; i < states.length; i++) {
            states[i] = new ClientState();
            channelOf[i] = i % p.channels();
        }
        driver.onDelivery((client, t, seq) -> client.state.see(seq));
        List<CompletableFuture<BenchClient>> first = new ArrayList<>();
        for (int i = 0; i < states.length; i++) {
            first.add(driver.connectAndSubscribe(states[i], "storm" + channelOf[i]));
        }
        List<BenchClient> clients = new ArrayList<>();
        for (CompletableFuture<BenchClient> f : first) {
            clients.add(f.get(300, java.util.concurrent.TimeUnit.SECONDS));
        }
        BenchClient publisher = driver.connect(new ClientState()).get(60, java.util.concurrent.TimeUnit.SECONDS);
        AtomicLong[] seqs = new AtomicLong[p.channels()];
        for (int c = 0; c < seqs.length; c++) {
            seqs[c] = new AtomicLong();
        }
        AtomicBoolean running = new AtomicBoolean(true);
        Thread pub = new Thread(() -> {
            long start = System.nanoTime();
            long sent = 0;
            while (running.get()) {
                long due = (long) ((System.nanoTime() - start) / 1e9 * p.rate());
                while (sent < due) {
                    int c = (int) (sent % p.channels());
                    publisher.send(driver.wire.publish("storm" + c, Payloads.make(System.nanoTime(), seqs[c].incrementAndGet(), 64)));
                    sent++;
                }
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "storm-publisher");
        pub.start();
        // every client must have a first sequence number before the drop
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (anyBelow(states, 0) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        for (BenchClient c : clients) {
            c.close();
            driver.forget(c);
        }
        Thread.sleep(p.downtime().toMillis());

        long t0 = System.nanoTime();
        long[] target = new long[p.channels()];
        for (int c = 0; c < target.length; c++) {
            target[c] = seqs[c].get();
        }
        List<CompletableFuture<BenchClient>> again = new ArrayList<>();
        for (int i = 0; i < states.length; i++) {
            again.add(driver.connectAndSubscribe(states[i], "storm" + channelOf[i]));
        }
        long end = t0 + timeout.toNanos();
        boolean finished = false;
        while (System.nanoTime() < end) {
            if (allReached(states, channelOf, target)) {
                finished = true;
                break;
            }
            Thread.sleep(5);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        running.set(false);
        pub.join();
        long complete = 0;
        long gaps = 0;
        long dups = 0;
        long recovered = 0;
        for (int i = 0; i < states.length; i++) {
            ClientState s = states[i];
            synchronized (s) {
                if (s.lastSeq >= target[channelOf[i]]) {
                    complete++;
                }
                gaps += s.gaps;
                dups += s.duplicates;
            }
            if (s.recovered) {
                recovered++;
            }
        }
        for (CompletableFuture<BenchClient> f : again) {
            f.thenAccept(BenchClient::close);
        }
        publisher.close();
        return new Result(label, p, seconds, complete, gaps, dups, recovered, finished);
    }

    private static boolean anyBelow(ClientState[] states, long min) {
        for (ClientState s : states) {
            if (s.lastSeq() < min) {
                return true;
            }
        }
        return false;
    }

    private static boolean allReached(ClientState[] states, int[] channelOf, long[] target) {
        for (int i = 0; i < states.length; i++) {
            if (states[i].lastSeq() < target[channelOf[i]]) {
                return false;
            }
        }
        return true;
    }
}
