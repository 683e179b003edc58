package dev.chorus.core.broker;

import dev.chorus.protocol.Publication;
import java.util.ArrayList;
import java.util.List;

/**
 * A channel's kept publications with their expiry times, oldest first, in a growable circular
 * buffer. Publications are only ever appended at the tail and removed at the head, so the kept
 * offsets are consecutive and a publication is found by its offset in constant time. Not
 * thread-safe: the owning {@link MemoryStream} guards it.
 */
final class HistoryRing {
    private static final int INITIAL_CAPACITY = 8;

    private Publication[] pubs = new Publication[0];
    private long[] expiries = new long[0];
    private int head;
    private int count;

    int size() {
        return count;
    }

    boolean isEmpty() {
        return count == 0;
    }

    /**
     * Appends {@code pub} (whose offset must follow the newest kept one) and drops the oldest
     * entries beyond {@code maxSize}.
     */
    void append(Publication pub, long expiresAt, int maxSize) {
        if (count > 0 && pub.offset() != newest().offset() + 1) {
            throw new IllegalStateException("offset " + pub.offset() + " does not follow " + newest().offset());
        }
        while (count >= maxSize && count > 0) {
            removeOldest();
        }
        if (maxSize == 0) {
            return;
        }
        if (count == pubs.length) {
            grow(maxSize);
        }
        int slot = (head + count) % pubs.length;
        pubs[slot] = pub;
        expiries[slot] = expiresAt;
        count++;
    }

    /**
     * Drops expired entries from the head. Entries with a longer TTL in front of shorter-lived
     * ones keep those until they expire themselves; {@link #select} hides them meanwhile.
     */
    void trimExpired(long now) {
        while (count > 0 && expiries[head] <= now) {
            removeOldest();
        }
    }

    /** Whether every kept entry has expired. */
    boolean allExpired(long now) {
        for (int i = 0; i < count; i++) {
            if (expiries[(head + i) % pubs.length] > now) {
                return false;
            }
        }
        return true;
    }

    /**
     * The live publications with offset greater than {@code after} (at least 0), oldest first (or newest first
     * when {@code reverse}), at most {@code limit} of them (negative: all). With {@code reverse}
     * the newest {@code limit} are chosen.
     */
    List<Publication> select(long after, int limit, boolean reverse, long now) {
        List<Publication> out = new ArrayList<>();
        if (count == 0 || limit == 0) {
            return out;
        }
        long oldest = pubs[head].offset();
        // offsets are consecutive, so the first wanted entry is found by arithmetic
        long firstIndex = Math.max(0, after + 1 - oldest);
        if (firstIndex >= count) {
            return out;
        }
        int max = limit < 0 ? Integer.MAX_VALUE : limit;
        int from = (int) firstIndex;
        if (!reverse) {
            for (int i = from; i < count && out.size() < max; i++) {
                int slot = (head + i) % pubs.length;
                if (expiries[slot] > now) {
                    out.add(pubs[slot]);
                }
            }
        } else {
            for (int i = count - 1; i >= from && out.size() < max; i--) {
                int slot = (head + i) % pubs.length;
                if (expiries[slot] > now) {
                    out.add(pubs[slot]);
                }
            }
        }
        return out;
    }

    private Publication newest() {
        return pubs[(head + count - 1) % pubs.length];
    }

    private void removeOldest() {
        pubs[head] = null;
        head = (head + 1) % pubs.length;
        count--;
        if (count == 0) {
            head = 0;
        }
    }

    private void grow(int maxSize) {
        // grow geometrically but never beyond what the channel may keep
        int capacity = (int) Math.min(maxSize, Math.max(INITIAL_CAPACITY, (long) pubs.length * 2));
        Publication[] nextPubs = new Publication[capacity];
        long[] nextExpiries = new long[capacity];
        for (int i = 0; i < count; i++) {
            int slot = (head + i) % pubs.length;
            nextPubs[i] = pubs[slot];
            nextExpiries[i] = expiries[slot];
        }
        pubs = nextPubs;
        expiries = nextExpiries;
        head = 0;
    }
}
