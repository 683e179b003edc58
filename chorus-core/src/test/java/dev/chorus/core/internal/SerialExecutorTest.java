package dev.chorus.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SerialExecutorTest {
    private final ExecutorService pool = Executors.newFixedThreadPool(2, r -> new Thread(r, "pool"));

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void onAnIdleLaneAShortTaskRunsOnTheCallerThenQueuedShortTasksTooAndTheRestOnThePool() throws Exception {
        SerialExecutor lane = new SerialExecutor(pool);
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread caller = Thread.currentThread();
        lane.executeHere(() -> {
            ran.add("first on " + (Thread.currentThread() == caller ? "caller" : "other"));
            // queued while the lane runs here: a short one, then one that is not, then a short one
            lane.execute((SerialExecutor.ShortTask) () -> ran.add("short on " + (Thread.currentThread() == caller ? "caller" : "other")));
            lane.execute(() -> ran.add("long on " + Thread.currentThread().getName()));
            lane.execute((SerialExecutor.ShortTask) () -> {
                ran.add("after on " + Thread.currentThread().getName());
                done.countDown();
            });
        });
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).containsExactly("first on caller", "short on caller", "long on pool", "after on pool");
    }

    @Test
    void onABusyLaneItQueuesInOrderBehindWhatRuns() throws Exception {
        SerialExecutor lane = new SerialExecutor(pool);
        List<Integer> ran = new CopyOnWriteArrayList<>();
        CountDownLatch blocking = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        lane.execute(() -> {
            blocking.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ran.add(0);
        });
        assertThat(blocking.await(5, TimeUnit.SECONDS)).isTrue();
        Thread caller = Thread.currentThread();
        for (int i = 1; i <= 3; i++) {
            int n = i;
            lane.executeHere(() -> {
                assertThat(Thread.currentThread()).isNotSameAs(caller);
                ran.add(n);
                if (n == 3) {
                    done.countDown();
                }
            });
        }
        assertThat(ran).isEmpty(); // nothing ran on the caller while the lane was busy
        release.countDown();
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).containsExactly(0, 1, 2, 3);
    }
}
