package dev.chorus.core.config;

import dev.chorus.core.documents.CompactionPolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * How the node holds collaborative documents in memory: when an idle one is unloaded, how many may
 * be loaded at once, how large one may grow, and when its stored updates are compacted.
 */
public final class DocumentsConfig {
    private final Duration idleUnload;
    private final int maxLoaded;
    private final long maxDocumentSize;
    private final int maxUpdateSize;
    private final CompactionPolicy compaction;

    private DocumentsConfig(Builder b) {
        if (b.idleUnload.isNegative()) {
            throw new IllegalArgumentException("idleUnload must be >= 0: " + b.idleUnload);
        }
        if (b.maxLoaded < 1 || b.maxDocumentSize < 1 || b.maxUpdateSize < 1) {
            throw new IllegalArgumentException("maxLoaded, maxDocumentSize and maxUpdateSize must be > 0");
        }
        this.idleUnload = b.idleUnload;
        this.maxLoaded = b.maxLoaded;
        this.maxDocumentSize = b.maxDocumentSize;
        this.maxUpdateSize = b.maxUpdateSize;
        this.compaction = Objects.requireNonNull(b.compaction, "compaction");
    }

    public static DocumentsConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().idleUnload(idleUnload).maxLoaded(maxLoaded).maxDocumentSize(maxDocumentSize)
                .maxUpdateSize(maxUpdateSize).compaction(compaction);
    }

    /** How long a document without clients stays in memory (once stored). Default 30 s. */
    public Duration idleUnload() {
        return idleUnload;
    }

    /** Documents loaded at once on this node; opening one more is refused. Default 10,000. */
    public int maxLoaded() {
        return maxLoaded;
    }

    /** Bytes a document may take (snapshot plus stored updates); updates beyond are refused. Default 16 MiB. */
    public long maxDocumentSize() {
        return maxDocumentSize;
    }

    /** Bytes of one update; larger ones are refused. Default 1 MiB. */
    public int maxUpdateSize() {
        return maxUpdateSize;
    }

    /** When a document's stored updates are merged into a snapshot. */
    public CompactionPolicy compaction() {
        return compaction;
    }

    public static final class Builder {
        private Duration idleUnload = Duration.ofSeconds(30);
        private int maxLoaded = 10_000;
        private long maxDocumentSize = 16L * 1024 * 1024;
        private int maxUpdateSize = 1024 * 1024;
        private CompactionPolicy compaction = CompactionPolicy.defaults();

        private Builder() {
        }

        public Builder idleUnload(Duration v) {
            this.idleUnload = Objects.requireNonNull(v);
            return this;
        }

        public Builder maxLoaded(int v) {
            this.maxLoaded = v;
            return this;
        }

        public Builder maxDocumentSize(long v) {
            this.maxDocumentSize = v;
            return this;
        }

        public Builder maxUpdateSize(int v) {
            this.maxUpdateSize = v;
            return this;
        }

        public Builder compaction(CompactionPolicy v) {
            this.compaction = v;
            return this;
        }

        public DocumentsConfig build() {
            return new DocumentsConfig(this);
        }
    }
}
