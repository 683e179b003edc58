package dev.chorus.core.broker;

import dev.chorus.protocol.StreamPosition;
import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * The idempotency keys a channel has seen, each with the position of its publication and the end
 * of its window. At most {@link #MAX_KEYS} are kept; beyond that the least recently stored key is
 * forgotten first, so a retry arriving after thousands of newer keyed publications may publish
 * again (the price of bounded memory). Not thread-safe: the owning {@link MemoryStream} guards it.
 */
final class IdempotencyKeys {
    /** Keys remembered per channel. */
    static final int MAX_KEYS = 10_000;

    private record Seen(StreamPosition position, long until) {
    }

    // insertion order is storage order, which is the eviction order
    private final LinkedHashMap<String, Seen> keys = new LinkedHashMap<>();

    /** The position stored for {@code key} when its window has not ended, else {@code null}. */
    StreamPosition lookup(String key, long now) {
        Seen seen = keys.get(key);
        return seen == null || seen.until <= now ? null : seen.position;
    }

    /** Remembers {@code key} until {@code until}; a window of 0 remembers nothing. */
    void remember(String key, StreamPosition position, long until, long now) {
        keys.remove(key);
        if (until <= now) {
            return;
        }
        keys.put(key, new Seen(position, until));
        if (keys.size() > MAX_KEYS) {
            Iterator<String> it = keys.keySet().iterator();
            it.next();
            it.remove();
        }
    }

    /**
     * Forgets keys whose window ended. Windows may differ per publish, so this stops at the first
     * live key rather than scanning all; {@link #lookup} checks the window anyway.
     */
    void trim(long now) {
        for (Iterator<Seen> it = keys.values().iterator(); it.hasNext(); ) {
            if (it.next().until > now) {
                return;
            }
            it.remove();
        }
    }

    boolean isEmpty() {
        return keys.isEmpty();
    }
}
