package dev.chorus.core.documents;

/**
 * When a document's update log should be folded into a snapshot: after {@link #maxBytes()} bytes
 * of updates since the last snapshot, or after {@link #maxUpdates()} updates once those are also
 * at least half the snapshot's size. A compaction rewrites the whole document, so the second
 * condition keeps its cost in proportion to what was appended (each stored byte is rewritten about
 * twice, not once per few hundred updates): a large document is not rewritten for every few
 * hundred keystrokes (at thousands of updates a second that was most of the server's work), while
 * {@link #maxBytes()} still bounds the log that a load has to apply.
 * Immutable; build with {@link #builder()}.
 */
public final class CompactionPolicy {
    /** Default {@link #maxUpdates()}. */
    public static final int DEFAULT_MAX_UPDATES = 500;
    /** The log must reach 1/this of the snapshot's size before the update count alone makes compaction due. */
    public static final int SNAPSHOT_FRACTION_DENOMINATOR = 2;
    /** Default {@link #maxBytes()}: 1 MiB. */
    public static final long DEFAULT_MAX_BYTES = 1L << 20;

    private final int maxUpdates;
    private final long maxBytes;

    private CompactionPolicy(Builder b) {
        if (b.maxUpdates < 1) {
            throw new IllegalArgumentException("compact after updates must be >= 1: " + b.maxUpdates);
        }
        if (b.maxBytes < 1) {
            throw new IllegalArgumentException("compact after bytes must be >= 1: " + b.maxBytes);
        }
        this.maxUpdates = b.maxUpdates;
        this.maxBytes = b.maxBytes;
    }

    public static CompactionPolicy defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().afterUpdates(maxUpdates).afterBytes(maxBytes);
    }

    /** Updates since the snapshot at which compaction is due. */
    public int maxUpdates() {
        return maxUpdates;
    }

    /** Bytes of updates since the snapshot at which compaction is due. */
    public long maxBytes() {
        return maxBytes;
    }

    /**
     * Whether a document with this many updates and bytes since its snapshot, and a snapshot of
     * {@code snapshotBytes}, should be compacted.
     */
    public boolean due(long updatesSinceSnapshot, long bytesSinceSnapshot, long snapshotBytes) {
        return bytesSinceSnapshot >= maxBytes
                || (updatesSinceSnapshot >= maxUpdates && bytesSinceSnapshot >= snapshotBytes / SNAPSHOT_FRACTION_DENOMINATOR);
    }

    /** Whether the loaded document should be compacted. */
    public boolean due(StoredDocument doc) {
        return due(doc.updateCount(), doc.updateBytes(), doc.snapshot() == null ? 0 : doc.snapshot().length);
    }

    @Override
    public String toString() {
        return "CompactionPolicy{afterUpdates=" + maxUpdates + ", afterBytes=" + maxBytes + "}";
    }

    public static final class Builder {
        private int maxUpdates = DEFAULT_MAX_UPDATES;
        private long maxBytes = DEFAULT_MAX_BYTES;

        private Builder() {
        }

        /** Compact once this many updates were appended since the last snapshot. */
        public Builder afterUpdates(int updates) {
            this.maxUpdates = updates;
            return this;
        }

        /** Compact once this many bytes of updates were appended since the last snapshot. */
        public Builder afterBytes(long bytes) {
            this.maxBytes = bytes;
            return this;
        }

        public CompactionPolicy build() {
            return new CompactionPolicy(this);
        }
    }
}
