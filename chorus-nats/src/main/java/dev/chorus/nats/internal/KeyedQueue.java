package dev.chorus.nats.internal;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * Runs asynchronous tasks one at a time per key, in submission order; tasks of different keys run
 * concurrently. A key's lane exists only while it has a task running, so idle keys cost nothing.
 * Used so that one node's publishes to a channel (and presence writes of a client) do not race
 * each other on JetStream's optimistic concurrency check: only other nodes can make it retry.
 */
public final class KeyedQueue {
    private final ConcurrentHashMap<String, ArrayDeque<Runnable>> lanes = new ConcurrentHashMap<>();
    private final Executor executor;
    private final int maxWaiting;

    public KeyedQueue(Executor executor, int maxWaiting) {
        this.executor = executor;
        this.maxWaiting = maxWaiting;
    }

    /**
     * Runs {@code task} after the key's earlier tasks completed.
     *
     * @return the task's result; failed with {@link RejectedExecutionException} when
     *         {@code maxWaiting} tasks already wait for the key
     */
    public <T> CompletableFuture<T> submit(String key, Supplier<? extends CompletionStage<T>> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable run = () -> {
            CompletionStage<T> s;
            try {
                s = task.get();
            } catch (RuntimeException e) {
                s = CompletableFuture.failedFuture(e);
            }
            s.whenComplete((v, e) -> {
                next(key);
                if (e != null) {
                    result.completeExceptionally(JetStreamOps.unwrap(e));
                } else {
                    result.complete(v);
                }
            });
        };
        boolean[] startNow = {false};
        try {
            lanes.compute(key, (k, lane) -> {
                if (lane == null) {
                    startNow[0] = true;
                    return new ArrayDeque<>();
                }
                if (lane.size() >= maxWaiting) {
                    throw new RejectedExecutionException(maxWaiting + " operations already wait for '" + key + "' on this node");
                }
                lane.add(run);
                return lane;
            });
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (startNow[0]) {
            run.run();
        }
        return result;
    }

    private void next(String key) {
        Runnable[] next = {null};
        lanes.compute(key, (k, lane) -> {
            Runnable r = lane == null ? null : lane.poll();
            if (r == null) {
                return null;
            }
            next[0] = r;
            return lane;
        });
        if (next[0] != null) {
            // not inline: a chain of tasks that complete at once would otherwise grow the stack
            executor.execute(next[0]);
        }
    }

    /** Keys with a running task (for tests). */
    public int activeKeys() {
        return lanes.size();
    }
}
