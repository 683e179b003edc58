package dev.chorus.jdbc;

import dev.chorus.core.documents.DocumentStoreConfig;
import java.nio.file.Path;
import java.util.Objects;

/** How to open a {@link SqliteDocumentStore}. Immutable; build with {@link #builder(Path)}. */
public final class SqliteStoreConfig {
    /** The database file's name inside the data directory. */
    public static final String FILE_NAME = "documents.sqlite";

    private final Path dataDir;
    private final DocumentStoreConfig limits;
    private final int readThreads;
    private final int maxPending;
    private final long maxPendingBytes;
    private final Sync sync;

    /**
     * When a commit reaches the disk ({@code PRAGMA synchronous} in WAL mode).
     */
    public enum Sync {
        /**
         * Every commit is synced to the disk before it completes: an acknowledged update survives
         * a crash of the process, of the operating system, and a power cut. The default.
         */
        FULL,
        /**
         * A commit is in the operating system's hands when it completes, synced at checkpoints: an
         * acknowledged update survives a crash or {@code kill -9} of the process, but the last
         * commits can be lost when the machine itself crashes or loses power. Saves a disk sync per
         * group commit.
         */
        NORMAL
    }

    private SqliteStoreConfig(Builder b) {
        if (b.readThreads < 1) {
            throw new IllegalArgumentException("readThreads must be >= 1: " + b.readThreads);
        }
        if (b.maxPending < 1) {
            throw new IllegalArgumentException("maxPending must be >= 1: " + b.maxPending);
        }
        if (b.maxPendingBytes < 1) {
            throw new IllegalArgumentException("maxPendingBytes must be >= 1: " + b.maxPendingBytes);
        }
        this.dataDir = b.dataDir;
        this.limits = b.limits;
        this.readThreads = b.readThreads;
        this.maxPending = b.maxPending;
        this.maxPendingBytes = b.maxPendingBytes;
        this.sync = b.sync;
    }

    /** A builder for a store under {@code dataDir} (created when missing). */
    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    public Builder toBuilder() {
        return new Builder(dataDir).limits(limits).readThreads(readThreads).maxPending(maxPending).maxPendingBytes(maxPendingBytes).sync(sync);
    }

    /** The directory holding the database file ({@value #FILE_NAME}, with its WAL and lock files). */
    public Path dataDir() {
        return dataDir;
    }

    /** The database file. */
    public Path file() {
        return dataDir.resolve(FILE_NAME);
    }

    /** Limits on what the store takes. Default {@link DocumentStoreConfig#defaults()}. */
    public DocumentStoreConfig limits() {
        return limits;
    }

    /** Threads (each with its own connection) serving loads. Default 2. */
    public int readThreads() {
        return readThreads;
    }

    /** Writes, and separately loads, that may wait before further calls are refused. Default 10,000. */
    public int maxPending() {
        return maxPending;
    }

    /**
     * Bytes of writes (updates and snapshots) that may wait before further writes are refused;
     * a single write is always taken when nothing waits. Default 256 MiB.
     */
    public long maxPendingBytes() {
        return maxPendingBytes;
    }

    /** When commits reach the disk. Default {@link Sync#FULL}. */
    public Sync sync() {
        return sync;
    }

    public static final class Builder {
        private final Path dataDir;
        private DocumentStoreConfig limits = DocumentStoreConfig.defaults();
        private int readThreads = 2;
        private int maxPending = 10_000;
        private long maxPendingBytes = 256L << 20;
        private Sync sync = Sync.FULL;

        private Builder(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
        }

        public Builder limits(DocumentStoreConfig v) {
            this.limits = Objects.requireNonNull(v, "limits");
            return this;
        }

        public Builder readThreads(int v) {
            this.readThreads = v;
            return this;
        }

        public Builder maxPending(int v) {
            this.maxPending = v;
            return this;
        }

        public Builder maxPendingBytes(long v) {
            this.maxPendingBytes = v;
            return this;
        }

        public Builder sync(Sync v) {
            this.sync = Objects.requireNonNull(v, "sync");
            return this;
        }

        public SqliteStoreConfig build() {
            return new SqliteStoreConfig(this);
        }
    }
}
