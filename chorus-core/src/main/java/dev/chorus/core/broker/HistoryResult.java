package dev.chorus.core.broker;

import dev.chorus.protocol.Publication;
import dev.chorus.protocol.StreamPosition;
import java.util.List;

/**
 * Publications read from history and the channel's current position (offset of its newest
 * publication, and its epoch; offset 0 for an empty stream).
 */
public record HistoryResult(StreamPosition position, List<Publication> publications) {
    public HistoryResult {
        publications = List.copyOf(publications);
    }
}
