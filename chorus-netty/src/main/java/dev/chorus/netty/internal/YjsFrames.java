package dev.chorus.netty.internal;

import dev.chorus.core.documents.YMessages;
import dev.chorus.yjs.lib0.Lib0Writer;

/**
 * The y-protocols messages of {@link YMessages} as the y-websocket and Hocuspocus endpoints write
 * them. What is netty-specific lives here: a Hocuspocus message starts with the document's name
 * (var string) before the type, y-websocket messages have no such prefix ({@code prefix == null});
 * and broadcasts are encoded once.
 *
 * <p>The engine hands the same update array to every peer of a document, one after the other on
 * one thread: {@link #update} and {@link #awareness} remember the last frame they built on each
 * thread, so a broadcast is encoded once and the same array is written to every connection (which
 * also lets the loop batch frame it once per event loop).
 */
final class YjsFrames {
    private static final ThreadLocal<Cached> LAST_UPDATE = ThreadLocal.withInitial(Cached::new);
    private static final ThreadLocal<Cached> LAST_AWARENESS = ThreadLocal.withInitial(Cached::new);
    private static final byte[] NO_CLIENTS = {0};

    private static final class Cached {
        byte[] payload;
        String prefix;
        byte[] frame;

        byte[] get(byte[] p, String pre) {
            return payload == p && java.util.Objects.equals(prefix, pre) ? frame : null;
        }

        byte[] put(byte[] p, String pre, byte[] f) {
            payload = p;
            prefix = pre;
            frame = f;
            return f;
        }
    }

    private YjsFrames() {
    }

    /** A writer holding the prefix (if any), sized for a body of {@code size} bytes. */
    private static Lib0Writer prefixed(String prefix, int size) {
        Lib0Writer w = new Lib0Writer(size + 8 + (prefix == null ? 0 : prefix.length() * 3 + 5));
        if (prefix != null) {
            w.writeVarString(prefix);
        }
        return w;
    }

    /** A writer holding the prefix and the message type, for the messages Hocuspocus adds. */
    static Lib0Writer start(String prefix, int type, int size) {
        Lib0Writer w = prefixed(prefix, size);
        w.writeVarUint(type);
        return w;
    }

    /** A sync message: step 1 (a state vector), step 2 or update (a v1 update). */
    static byte[] sync(String prefix, int step, byte[] payload) {
        if (prefix == null) {
            return YMessages.sync(step, payload);
        }
        Lib0Writer w = prefixed(prefix, payload.length);
        YMessages.writeSync(w, step, payload);
        return w.toByteArray();
    }

    /** A sync update message, built once per thread for the same array and prefix. */
    static byte[] update(String prefix, byte[] update) {
        Cached c = LAST_UPDATE.get();
        byte[] f = c.get(update, prefix);
        return f != null ? f : c.put(update, prefix, sync(prefix, YMessages.UPDATE, update));
    }

    /** An awareness message, built once per thread for the same array and prefix. */
    static byte[] awareness(String prefix, byte[] awarenessUpdate) {
        Cached c = LAST_AWARENESS.get();
        byte[] f = c.get(awarenessUpdate, prefix);
        return f != null ? f : c.put(awarenessUpdate, prefix, awarenessFrame(prefix, awarenessUpdate));
    }

    private static byte[] awarenessFrame(String prefix, byte[] awarenessUpdate) {
        if (prefix == null) {
            return YMessages.awareness(awarenessUpdate);
        }
        Lib0Writer w = prefixed(prefix, awarenessUpdate.length);
        YMessages.writeAwareness(w, awarenessUpdate);
        return w.toByteArray();
    }

    /** An awareness update naming no client: changes nothing, but is a message the client hears. */
    static byte[] emptyAwareness(String prefix) {
        return awarenessFrame(prefix, NO_CLIENTS);
    }
}
