package dev.chorus.core.broker;

import dev.chorus.protocol.StreamPosition;

/**
 * What to read from a channel's history.
 *
 * @param since   only publications with offset greater than {@code since.offset()}; ignored when
 *                {@code since.epoch()} is not the current epoch (then the result starts at the
 *                oldest kept). {@code null}: from the oldest kept (or the newest, with reverse).
 * @param limit   at most this many; 0 returns only the current position; negative means no limit
 * @param reverse newest first
 */
public record HistoryQuery(StreamPosition since, int limit, boolean reverse) {

    /** Only the current position. */
    public static HistoryQuery position() {
        return new HistoryQuery(null, 0, false);
    }

    /** Everything after {@code since}, oldest first. */
    public static HistoryQuery since(StreamPosition since, int limit) {
        return new HistoryQuery(since, limit, false);
    }
}
