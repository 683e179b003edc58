package dev.chorus.protocol;

import java.util.Objects;

/**
 * A position in a channel's stream: {@code offset} counts publications (the first is 1, an empty
 * stream is at 0) and {@code epoch} names the stream's storage; a new epoch means the stream was
 * lost and offsets started again, so positions of another epoch cannot be recovered from.
 */
public record StreamPosition(long offset, String epoch) {
    public StreamPosition {
        Objects.requireNonNull(epoch, "epoch");
        if (offset < 0) {
            throw new IllegalArgumentException("offset < 0: " + offset);
        }
    }
}
