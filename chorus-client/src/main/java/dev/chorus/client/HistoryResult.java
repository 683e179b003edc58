package dev.chorus.client;

import dev.chorus.protocol.Publication;
import dev.chorus.protocol.StreamPosition;
import java.util.List;

/** A history read: the channel's current position and the publications asked for. */
public record HistoryResult(StreamPosition position, List<Publication> publications) {
    public HistoryResult {
        publications = List.copyOf(publications);
    }
}
