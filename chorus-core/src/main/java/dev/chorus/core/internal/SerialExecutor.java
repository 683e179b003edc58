package dev.chorus.core.internal;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a shared executor: a lane for state that is
 * not thread-safe (a document), without a thread of its own.
 */
public final class SerialExecutor implements Executor {
    private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

    private static final int BATCH = 64;
    private final Executor pool;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private boolean running;

    public SerialExecutor(Executor pool) {
        this.pool = pool;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (tasks) {
            tasks.add(task);
            if (running) {
                return;
            }
            running = true;
        }
        pool.execute(this::drain);
    }

    /**
     * A task short enough to run on an event loop (no blocking, no user code, no work that grows
     * with a document's size). Only such tasks run on the caller's thread in {@link #executeHere}.
     */
    public interface ShortTask extends Runnable {
    }

    /**
     * Runs {@code task} on the calling thread when the lane is idle, then the {@link ShortTask} tasks
     * queued meanwhile (at most {@value #BATCH}), and hands the rest to the pool from the first
     * task that is not short; when the lane is busy, queues it as {@link #execute} does. Order is
     * kept either way. For an event loop handing over a client's message: it saves the hand-off to
     * a pool thread and back, which on a busy machine is most of a small update's latency.
     */
    public void executeHere(ShortTask task) {
        synchronized (tasks) {
            if (running) {
                tasks.add(task);
                return;
            }
            running = true;
        }
        run(task);
        drain(true);
    }

    private static void run(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            log.error("task failed", e);
        }
    }

    private void drain() {
        drain(false);
    }

    /**
     * Runs queued tasks, a bounded batch per turn so one busy lane cannot hold a thread forever,
     * then hands the lane to the pool; with {@code onlyShort}, also from the first task that is
     * not a {@link ShortTask}.
     */
    private void drain(boolean onlyShort) {
        for (int i = 0; i < BATCH; i++) {
            Runnable next;
            synchronized (tasks) {
                next = tasks.peek();
                if (next == null) {
                    running = false;
                    return;
                }
                if (onlyShort && !(next instanceof ShortTask)) {
                    break;
                }
                tasks.poll();
            }
            run(next);
        }
        pool.execute(this::drain);
    }
}
