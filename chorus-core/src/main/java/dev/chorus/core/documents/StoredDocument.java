package dev.chorus.core.documents;

import java.util.List;
import java.util.Objects;

/**
 * A document as loaded from a {@link DocumentStore}: its latest snapshot and the updates appended
 * after it. The snapshot followed by the updates, in order, is the whole document.
 *
 * @param name        the document's name
 * @param snapshot    the latest snapshot, or {@code null} when the document was never compacted
 * @param snapshotSeq the sequence number of the last update the snapshot holds (0 without snapshot)
 * @param updates     the updates after the snapshot, in sequence order, numbered
 *                    {@code snapshotSeq + 1} onwards without gaps
 */
public record StoredDocument(String name, byte[] snapshot, long snapshotSeq, List<StoredUpdate> updates) {
    public StoredDocument {
        Objects.requireNonNull(name, "name");
        if (snapshotSeq < 0) {
            throw new IllegalArgumentException("snapshotSeq must be >= 0: " + snapshotSeq);
        }
        if (snapshot == null && snapshotSeq != 0) {
            throw new IllegalArgumentException("snapshotSeq " + snapshotSeq + " without a snapshot");
        }
        if (snapshot != null && snapshotSeq == 0) {
            throw new IllegalArgumentException("a snapshot must hold at least update 1");
        }
        updates = List.copyOf(updates);
        long expected = snapshotSeq + 1;
        for (StoredUpdate u : updates) {
            if (u.seq() != expected) {
                throw new IllegalArgumentException("update seq " + u.seq() + " where " + expected + " was expected");
            }
            expected++;
        }
    }

    /** A document that does not exist. */
    public static StoredDocument empty(String name) {
        return new StoredDocument(name, null, 0, List.of());
    }

    /** Whether the document has neither a snapshot nor updates. */
    public boolean isEmpty() {
        return snapshot == null && updates.isEmpty();
    }

    /** The sequence number of the last update appended (0 for an empty document). */
    public long lastSeq() {
        return snapshotSeq + updates.size();
    }

    /** Updates appended since the snapshot. */
    public int updateCount() {
        return updates.size();
    }

    /** Bytes of the updates appended since the snapshot. */
    public long updateBytes() {
        long sum = 0;
        for (StoredUpdate u : updates) {
            sum += u.data().length;
        }
        return sum;
    }
}
