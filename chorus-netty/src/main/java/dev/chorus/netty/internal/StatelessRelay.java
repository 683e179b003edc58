package dev.chorus.netty.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hocuspocus stateless messages: a payload a provider sends with {@code sendStateless} goes to
 * every other Hocuspocus connection of the same document on this node (what a Hocuspocus server
 * does when its {@code onStateless} hook broadcasts). Nothing is stored and nothing crosses nodes.
 * One per transport; thread-safe.
 */
final class StatelessRelay {
    /** Largest stateless payload relayed, in UTF-16 units; a larger one closes the sender with 4003. */
    static final int MAX_PAYLOAD = 64 * 1024;

    private final ConcurrentHashMap<String, Set<HocuspocusDocument>> byDocument = new ConcurrentHashMap<>();

    void join(HocuspocusDocument d) {
        byDocument.computeIfAbsent(d.name, k -> ConcurrentHashMap.newKeySet()).add(d);
    }

    void leave(HocuspocusDocument d) {
        byDocument.computeIfPresent(d.name, (k, set) -> {
            set.remove(d);
            return set.isEmpty() ? null : set;
        });
    }

    /** Sends {@code payload} to the document's other connections. */
    void relay(HocuspocusDocument from, String payload) {
        Set<HocuspocusDocument> set = byDocument.get(from.name);
        if (set == null) {
            return;
        }
        for (HocuspocusDocument d : set) {
            if (d != from) {
                d.sendStateless(payload);
            }
        }
    }
}
