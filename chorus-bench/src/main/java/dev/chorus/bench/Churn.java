package dev.chorus.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/** Scenario (c): connection churn — open, establish, subscribe, close — as fast as W workers can. */
final class Churn {
    record Result(String server, int workers, double cyclesPerSecond, long failures) {
    }

    private Churn() {
    }

    static Result run(Driver driver, String label, int workers, Duration duration) throws Exception {
        LongAdder cycles = new LongAdder();
        LongAdder failures = new LongAdder();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            int id = w;
            Thread t = new Thread(() -> {
                int n = 0;
                while (running.get()) {
                    try {
                        var c = driver.connectAndSubscribe(new ClientState(), "churn" + (id % 10)).get(30, TimeUnit.SECONDS);
                        c.close();
                        driver.forget(c);
                        cycles.increment();
                    } catch (Exception e) {
                        failures.increment();
                    }
                    n++;
                }
            }, "churn-" + w);
            threads.add(t);
        }
        long start = System.nanoTime();
        threads.forEach(Thread::start);
        Thread.sleep(duration.toMillis());
        running.set(false);
        for (Thread t : threads) {
            t.join(35_000);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(label, workers, cycles.sum() / seconds, failures.sum());
    }
}
