package dev.chorus.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes a store: it takes every write waiting in the queue (up to
 * {@link #MAX_BATCH_OPS} writes or {@link #MAX_BATCH_BYTES}), runs them as one transaction and
 * completes their stages after the commit. This is group commit without a timer: while one commit
 * waits for the disk, the next writes queue up and share the next commit, so a lone append pays
 * one commit and a thousand concurrent ones pay a handful.
 *
 * <p>Writes run in queue order, so writes issued one after another by one thread take effect in
 * that order. Stages complete on this thread: callers must not block in dependent stages.
 */
final class GroupCommitWriter {
    private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);
    static final int MAX_BATCH_OPS = 1000;
    static final int MAX_BATCH_BYTES = 16 << 20;
    private static final int MAX_ATTEMPTS = 5;

    private final Dialect dialect;
    private final ConnectionSource connections;
    private final int maxPending;
    private final long maxPendingBytes;
    private final AtomicLong pendingBytes = new AtomicLong();
    private final BlockingQueue<WriteOp> queue;
    private final Thread thread;
    private final Object submitLock = new Object();
    private volatile boolean closed;

    GroupCommitWriter(String name, Dialect dialect, ConnectionSource connections, int maxPending, long maxPendingBytes) {
        this.dialect = dialect;
        this.connections = connections;
        this.maxPending = maxPending;
        this.maxPendingBytes = maxPendingBytes;
        this.queue = new LinkedBlockingQueue<>(maxPending);
        this.thread = new Thread(this::loop, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Queues a write; its stage fails at once when the store is closed or the queue is full (by
     * count, or by bytes: one write larger than the byte bound is still taken when nothing waits).
     */
    void submit(WriteOp op) {
        synchronized (submitLock) {
            if (closed) {
                op.fail(new IllegalStateException("document store is closed"));
                return;
            }
            long waiting = pendingBytes.get();
            if (waiting > 0 && waiting + op.size() > maxPendingBytes) {
                op.fail(new RejectedExecutionException("document store overloaded: " + waiting + " bytes of writes pending"));
                return;
            }
            if (!queue.offer(op)) {
                op.fail(new RejectedExecutionException("document store overloaded: " + maxPending + " writes pending"));
                return;
            }
            pendingBytes.addAndGet(op.size());
        }
    }

    /** Stops taking writes, finishes the queued ones and waits for the thread (at most {@code millis}). */
    void close(long millis) {
        synchronized (submitLock) {
            closed = true;
        }
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("document writer did not finish its queue within {} ms", millis);
            thread.interrupt();
        }
    }

    private void loop() {
        List<WriteOp> batch = new ArrayList<>();
        while (true) {
            WriteOp first;
            try {
                first = queue.poll(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                failAll(new IllegalStateException("document store is closed"));
                return;
            }
            if (first == null) {
                if (closed && queue.isEmpty()) {
                    return; // no submit can follow: closed is set under the submit lock
                }
                continue;
            }
            batch.add(first);
            long bytes = first.size();
            WriteOp next;
            while (batch.size() < MAX_BATCH_OPS && bytes < MAX_BATCH_BYTES && (next = queue.poll()) != null) {
                batch.add(next);
                bytes += next.size();
            }
            pendingBytes.addAndGet(-bytes);
            write(batch);
            batch.clear();
        }
    }

    private void failAll(Throwable t) {
        WriteOp op;
        while ((op = queue.poll()) != null) {
            pendingBytes.addAndGet(-op.size());
            op.fail(t);
        }
    }

    private void write(List<WriteOp> batch) {
        for (int attempt = 1; ; attempt++) {
            Object[] results;
            try {
                results = commit(batch);
            } catch (SQLException e) {
                if (dialect.retryable(e) && attempt < MAX_ATTEMPTS) {
                    log.debug("document write batch of {} retried after {}", batch.size(), e.toString());
                    pause(attempt);
                    continue;
                }
                log.warn("document write batch of {} failed: {}", batch.size(), e.toString());
                for (WriteOp op : batch) {
                    op.fail(e);
                }
                return;
            } catch (RuntimeException e) {
                log.error("document write batch of {} failed", batch.size(), e);
                for (WriteOp op : batch) {
                    op.fail(e);
                }
                return;
            }
            deliver(batch, results);
            return;
        }
    }

    private Object[] commit(List<WriteOp> batch) throws SQLException {
        Connection c = connections.acquire();
        try {
            dialect.begin(c, true);
            try {
                Object[] results = WriteBatch.run(c, dialect, batch);
                dialect.commit(c);
                return results;
            } catch (SQLException | RuntimeException e) {
                dialect.rollbackAfter(c, e);
                throw e;
            }
        } finally {
            connections.release(c);
        }
    }

    private static void deliver(List<WriteOp> batch, Object[] results) {
        for (int i = 0; i < batch.size(); i++) {
            WriteOp op = batch.get(i);
            Object r = results[i];
            if (r instanceof IllegalArgumentException e) {
                op.fail(e);
            } else if (op instanceof WriteOp.Append a) {
                a.result().complete((Long) r);
            } else if (op instanceof WriteOp.Compact k) {
                k.result().complete((Boolean) r);
            } else if (op instanceof WriteOp.Delete d) {
                d.result().complete((Boolean) r);
            }
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(5L * attempt + (long) (Math.random() * 10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
