package dev.chorus.core.documents;

import java.util.Objects;

/**
 * One update of a document's log.
 *
 * @param seq  its sequence number in the document (1 for the first update ever appended)
 * @param data the bytes as appended (the array belongs to whoever holds this record; do not modify it)
 */
public record StoredUpdate(long seq, byte[] data) {
    public StoredUpdate {
        if (seq < 1) {
            throw new IllegalArgumentException("seq must be >= 1: " + seq);
        }
        Objects.requireNonNull(data, "data");
    }
}
