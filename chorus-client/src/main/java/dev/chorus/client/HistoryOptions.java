package dev.chorus.client;

import dev.chorus.protocol.StreamPosition;

/**
 * What to read with {@link ChorusClient#history}.
 *
 * @param since   only publications after this position ({@code null}: from the oldest kept)
 * @param limit   at most this many; {@code -1} as many as the namespace keeps; {@code 0} only the position
 * @param reverse newest first
 */
public record HistoryOptions(StreamPosition since, int limit, boolean reverse) {
    public HistoryOptions {
        if (limit < -1) {
            throw new IllegalArgumentException("limit must be >= -1: " + limit);
        }
    }

    /** Everything the namespace keeps, oldest first. */
    public static HistoryOptions all() {
        return new HistoryOptions(null, -1, false);
    }

    /** The newest {@code n}, newest first. */
    public static HistoryOptions latest(int n) {
        return new HistoryOptions(null, n, true);
    }
}
