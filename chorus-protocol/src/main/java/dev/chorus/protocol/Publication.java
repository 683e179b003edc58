package dev.chorus.protocol;

import java.util.Objects;

/**
 * One message stored in (or sent through) a channel.
 *
 * @param offset position in the channel's stream (1 for the first; 0 when the channel keeps no
 *               history and the publication has no position)
 * @param epoch  the stream's epoch ({@code ""} when the publication has no position)
 * @param time   server time of publication, milliseconds since the Unix epoch
 * @param data   the application value
 * @param info   the publishing client, or {@code null} when published by the server
 */
public record Publication(long offset, String epoch, long time, Payload data, ClientInfo info) {
    public Publication {
        Objects.requireNonNull(epoch, "epoch");
        Objects.requireNonNull(data, "data");
    }

    public StreamPosition position() {
        return new StreamPosition(offset, epoch);
    }
}
