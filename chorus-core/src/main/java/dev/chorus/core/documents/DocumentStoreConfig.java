package dev.chorus.core.documents;

/**
 * The limits every {@link DocumentStore} enforces on what it is given. Immutable; build with
 * {@link #builder()}.
 */
public final class DocumentStoreConfig {
    /** Default {@link #maxUpdateSize()}: 1 MiB, the largest frame a connection reads at all. */
    public static final int DEFAULT_MAX_UPDATE_SIZE = 1 << 20;
    /** Default {@link #maxSnapshotSize()}: 64 MiB. */
    public static final int DEFAULT_MAX_SNAPSHOT_SIZE = 64 << 20;

    private final int maxUpdateSize;
    private final int maxSnapshotSize;

    private DocumentStoreConfig(Builder b) {
        if (b.maxUpdateSize < 1) {
            throw new IllegalArgumentException("maxUpdateSize must be >= 1: " + b.maxUpdateSize);
        }
        if (b.maxSnapshotSize < 1) {
            throw new IllegalArgumentException("maxSnapshotSize must be >= 1: " + b.maxSnapshotSize);
        }
        this.maxUpdateSize = b.maxUpdateSize;
        this.maxSnapshotSize = b.maxSnapshotSize;
    }

    public static DocumentStoreConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().maxUpdateSize(maxUpdateSize).maxSnapshotSize(maxSnapshotSize);
    }

    /** Largest update {@link DocumentStore#append} takes, in bytes. */
    public int maxUpdateSize() {
        return maxUpdateSize;
    }

    /** Largest snapshot {@link DocumentStore#compact} takes, in bytes. */
    public int maxSnapshotSize() {
        return maxSnapshotSize;
    }

    @Override
    public String toString() {
        return "DocumentStoreConfig{maxUpdateSize=" + maxUpdateSize + ", maxSnapshotSize=" + maxSnapshotSize + "}";
    }

    public static final class Builder {
        private int maxUpdateSize = DEFAULT_MAX_UPDATE_SIZE;
        private int maxSnapshotSize = DEFAULT_MAX_SNAPSHOT_SIZE;

        private Builder() {
        }

        public Builder maxUpdateSize(int bytes) {
            this.maxUpdateSize = bytes;
            return this;
        }

        public Builder maxSnapshotSize(int bytes) {
            this.maxSnapshotSize = bytes;
            return this;
        }

        public DocumentStoreConfig build() {
            return new DocumentStoreConfig(this);
        }
    }
}
