package dev.chorus.core.broker;

import dev.chorus.protocol.ClientInfo;
import dev.chorus.protocol.Payload;
import dev.chorus.protocol.Publication;
import dev.chorus.protocol.StreamPosition;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One channel's stream in the {@link MemoryBroker}: its epoch, its newest offset, the kept
 * publications and the idempotency keys. Guarded by its own monitor; every method must be called
 * holding it.
 */
final class MemoryStream {
    /** Shortest idle time before an empty stream may be dropped. */
    static final long MIN_IDLE_MILLIS = 60_000;

    final String epoch = newEpoch();
    private final HistoryRing history = new HistoryRing();
    private final IdempotencyKeys keys = new IdempotencyKeys();
    private long offset;
    private long lastUsed;
    private long longestTtl;
    /** Set once the stream left the broker's map; a thread that still holds it must look again. */
    boolean dropped;

    MemoryStream(long now) {
        this.lastUsed = now;
    }

    /** The newest position (offset 0 while nothing was ever stored). */
    StreamPosition position() {
        return new StreamPosition(offset, epoch);
    }

    void touch(long now) {
        lastUsed = Math.max(lastUsed, now);
    }

    /** Stores a publication with the next offset, keeping at most {@code size} of them. */
    Publication append(Payload data, ClientInfo info, long now, int size, long ttlMillis) {
        Publication pub = new Publication(offset + 1, epoch, now, data, info);
        long expiresAt = ttlMillis > 0 ? saturatedAdd(now, ttlMillis) : Long.MAX_VALUE;
        history.trimExpired(now);
        history.append(pub, expiresAt, size);
        offset++;
        longestTtl = Math.max(longestTtl, ttlMillis);
        return pub;
    }

    /** The first position stored with {@code key} whose window is still open, or {@code null}. */
    StreamPosition duplicateOf(String key, long now) {
        return key == null ? null : keys.lookup(key, now);
    }

    void remember(String key, StreamPosition position, long windowMillis, long now) {
        if (key != null) {
            keys.remember(key, position, saturatedAdd(now, windowMillis), now);
        }
    }

    /** Live publications after {@code after}; see {@link HistoryRing#select}. */
    List<Publication> select(long after, int limit, boolean reverse, long now) {
        return history.select(after, limit, reverse, now);
    }

    void trim(long now) {
        history.trimExpired(now);
        keys.trim(now);
    }

    /**
     * Whether the stream holds nothing a client could still ask for and was idle long enough to
     * be forgotten: dropping it changes the channel's epoch, which recovering clients then see.
     */
    boolean disposable(long now) {
        // the idle check first: it is cheap, and the sweep asks every stream every second
        if (now - lastUsed < Math.max(longestTtl, MIN_IDLE_MILLIS)) {
            return false;
        }
        trim(now);
        return keys.isEmpty() && (history.isEmpty() || history.allExpired(now));
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    private static String newEpoch() {
        // 8 hex digits keep positions short on the wire; a lost stream getting the epoch a client
        // still holds is a one in four billion chance
        return String.format("%08x", ThreadLocalRandom.current().nextInt());
    }
}
