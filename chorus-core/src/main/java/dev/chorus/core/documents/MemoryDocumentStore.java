package dev.chorus.core.documents;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link DocumentStore} in memory, for tests and for nodes that keep documents only while they
 * run: nothing survives {@link #close} or the end of the process, so "durable" means "stored in
 * this object". Every method does its work on the caller's thread and returns an already completed
 * stage. Each document is changed atomically under its map entry's lock, so documents never wait
 * for each other. Arrays are copied on the way in and on the way out.
 */
public final class MemoryDocumentStore implements DocumentStore {
    private final DocumentStoreConfig config;
    private final ConcurrentHashMap<String, Log> docs = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public MemoryDocumentStore() {
        this(DocumentStoreConfig.defaults());
    }

    public MemoryDocumentStore(DocumentStoreConfig config) {
        this.config = Objects.requireNonNull(config, "config");
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
        byte[] copy = update.clone();
        long[] seq = new long[1];
        docs.compute(doc, (k, log) -> {
            Log l = log == null ? new Log() : log;
            seq[0] = l.append(copy);
            return l;
        });
        return CompletableFuture.completedFuture(seq[0]);
    }

    @Override
    public CompletionStage<StoredDocument> load(String doc) {
        RuntimeException bad = refuse(doc, null);
        if (bad != null) {
            return CompletableFuture.failedFuture(bad);
        }
        StoredDocument[] out = {StoredDocument.empty(doc)};
        docs.computeIfPresent(doc, (k, log) -> {
            out[0] = log.copy(doc);
            return log;
        });
        return CompletableFuture.completedFuture(out[0]);
    }

    @Override
    public CompletionStage<Boolean> compact(String doc, byte[] snapshot, long upToSeq) {
        RuntimeException bad = refuse(doc, DocumentInput.checkSnapshot(snapshot, upToSeq, config));
        if (bad != null) {
            return CompletableFuture.failedFuture(bad);
        }
        byte[] copy = snapshot.clone();
        Object[] result = {null};
        docs.compute(doc, (k, log) -> {
            long last = log == null ? 0 : log.lastSeq();
            if (upToSeq > last) {
                result[0] = DocumentInput.pastLastUpdate(doc, upToSeq, last);
            } else {
                result[0] = log.compact(copy, upToSeq);
            }
            return log;
        });
        if (result[0] instanceof IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        return CompletableFuture.completedFuture((Boolean) result[0]);
    }

    @Override
    public CompletionStage<Boolean> delete(String doc) {
        RuntimeException bad = refuse(doc, null);
        if (bad != null) {
            return CompletableFuture.failedFuture(bad);
        }
        return CompletableFuture.completedFuture(docs.remove(doc) != null);
    }

    @Override
    public void close() {
        closed = true;
        docs.clear();
    }

    private RuntimeException refuse(String doc, IllegalArgumentException inputError) {
        if (closed) {
            return new IllegalStateException("document store is closed");
        }
        IllegalArgumentException nameError = DocumentInput.checkName(doc);
        return nameError != null ? nameError : inputError;
    }

    /** One document; only touched under its map entry's lock. */
    private static final class Log {
        private byte[] snapshot;
        private long snapshotSeq;
        private final List<byte[]> updates = new ArrayList<>();

        long lastSeq() {
            return snapshotSeq + updates.size();
        }

        long append(byte[] update) {
            updates.add(update);
            return lastSeq();
        }

        boolean compact(byte[] newSnapshot, long upToSeq) {
            if (upToSeq <= snapshotSeq) {
                return false;
            }
            updates.subList(0, (int) (upToSeq - snapshotSeq)).clear();
            snapshot = newSnapshot;
            snapshotSeq = upToSeq;
            return true;
        }

        StoredDocument copy(String name) {
            List<StoredUpdate> out = new ArrayList<>(updates.size());
            long seq = snapshotSeq;
            for (byte[] u : updates) {
                out.add(new StoredUpdate(++seq, u.clone()));
            }
            return new StoredDocument(name, snapshot == null ? null : snapshot.clone(), snapshotSeq, out);
        }
    }
}
