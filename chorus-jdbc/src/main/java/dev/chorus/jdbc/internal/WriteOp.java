package dev.chorus.jdbc.internal;

import java.util.concurrent.CompletableFuture;

/** A write waiting in the queue, with the stage its caller holds. */
sealed interface WriteOp {
    String doc();

    /** Bytes this write carries, for bounding a batch. */
    int size();

    /** Fails the caller's stage. */
    void fail(Throwable t);

    record Append(String doc, byte[] data, CompletableFuture<Long> result) implements WriteOp {
        public int size() {
            return data.length;
        }

        public void fail(Throwable t) {
            result.completeExceptionally(t);
        }
    }

    record Compact(String doc, byte[] snapshot, long upToSeq, CompletableFuture<Boolean> result) implements WriteOp {
        public int size() {
            return snapshot.length;
        }

        public void fail(Throwable t) {
            result.completeExceptionally(t);
        }
    }

    record Delete(String doc, CompletableFuture<Boolean> result) implements WriteOp {
        public int size() {
            return 0;
        }

        public void fail(Throwable t) {
            result.completeExceptionally(t);
        }
    }
}
