package dev.chorus.jdbc.internal;

import dev.chorus.core.documents.DocumentInput;
import dev.chorus.core.documents.DocumentStore;
import dev.chorus.core.documents.DocumentStoreConfig;
import dev.chorus.core.documents.StoredDocument;
import dev.chorus.core.internal.NamedThreadFactory;
import java.sql.Connection;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The {@link DocumentStore} over JDBC that the SQLite and PostgreSQL stores are made of: checks the
 * input on the caller's thread (a refused call never reaches the database), sends writes to the
 * {@link GroupCommitWriter} and loads to a pool of reader threads. The caller's thread never runs
 * JDBC.
 */
public final class JdbcDocumentStore implements DocumentStore {
    private static final long CLOSE_WAIT_MILLIS = 30_000;

    private final DocumentStoreConfig config;
    private final Dialect dialect;
    private final ConnectionSource writeConnections;
    private final ConnectionSource readConnections;
    private final GroupCommitWriter writer;
    private final ThreadPoolExecutor readers;
    private final Runnable onClose;
    private volatile boolean closed;

    /**
     * @param name         prefix of the store's thread names
     * @param readThreads  threads (and connections of {@code readConnections}) for loads
     * @param maxPending   writes, and separately loads, that may wait before calls are refused
     * @param maxPendingBytes bytes of writes that may wait before writes are refused
     * @param onClose      run last by {@link #close} (releases what the concrete store holds)
     */
    public JdbcDocumentStore(String name, Dialect dialect, DocumentStoreConfig config, ConnectionSource writeConnections,
            ConnectionSource readConnections, int readThreads, int maxPending, long maxPendingBytes, Runnable onClose) {
        this.config = config;
        this.dialect = dialect;
        this.writeConnections = writeConnections;
        this.readConnections = readConnections;
        this.onClose = onClose;
        this.writer = new GroupCommitWriter(name + "-writer", dialect, writeConnections, maxPending, maxPendingBytes);
        this.readers = new ThreadPoolExecutor(readThreads, readThreads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(maxPending), new NamedThreadFactory(name + "-reader"));
    }

    public DocumentStoreConfig config() {
        return config;
    }

    @Override
    public CompletionStage<Long> append(String doc, byte[] update) {
        RuntimeException bad = refuse(doc, DocumentInput.checkUpdate(update, config));
        if (bad != null) {
            return CompletableFuture.failedFuture(bad);
        }
        CompletableFuture<Long> result = new CompletableFuture<>();
        writer.submit(new WriteOp.Append(doc, update.clone(), result));
        return result;
    }

    @Override
    public CompletionStage<StoredDocument> load(String doc) {
        RuntimeException bad = refuse(doc, null);
        if (bad != null) {
            return CompletableFuture.failedFuture(bad);
        }
        CompletableFuture<StoredDocument> result = new CompletableFuture<>();
        try {
            readers.execute(() -> {
                try {
                    Connection c = readConnections.acquire();
                    try {
                        result.complete(DocumentLoader.load(c, dialect, doc));
                    } finally {
                        readConnections.release(c);
                    }
                } catch (Exception | Error e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(closed ? new IllegalStateException("document store is closed")
                    : new RejectedExecutionException("document store overloaded: too many loads pending"));
        }
        return result;
    }

    @Override
    public CompletionStage<Boolean> compact(String doc, byte[] snapshot, long upToSeq) {
        RuntimeException bad = refuse(doc, DocumentInput.checkSnapshot(snapshot, upToSeq, config));
        if (bad != null) {
            return CompletableFuture.failedFuture(bad);
        }
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        writer.submit(new WriteOp.Compact(doc, snapshot.clone(), upToSeq, result));
        return result;
    }

    @Override
    public CompletionStage<Boolean> delete(String doc) {
        RuntimeException bad = refuse(doc, null);
        if (bad != null) {
            return CompletableFuture.failedFuture(bad);
        }
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        writer.submit(new WriteOp.Delete(doc, result));
        return result;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        writer.close(CLOSE_WAIT_MILLIS);
        readers.shutdown();
        try {
            readers.awaitTermination(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        readConnections.close();
        if (writeConnections != readConnections) {
            writeConnections.close();
        }
        onClose.run();
    }

    private RuntimeException refuse(String doc, IllegalArgumentException inputError) {
        if (closed) {
            return new IllegalStateException("document store is closed");
        }
        IllegalArgumentException nameError = DocumentInput.checkName(doc);
        return nameError != null ? nameError : inputError;
    }
}
