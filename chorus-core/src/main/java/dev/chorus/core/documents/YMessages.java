package dev.chorus.core.documents;

import dev.chorus.protocol.ErrorCode;
import dev.chorus.protocol.ProtocolException;
import dev.chorus.yjs.lib0.Lib0Reader;
import dev.chorus.yjs.lib0.Lib0Writer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The y-protocols messages as y-websocket frames them (a varUint message type, then its body), and
 * how a client's message acts on a {@link DocumentHandle}. Shared by every adapter that speaks them
 * (chorus/1 {@code doc} frames; the y-websocket and Hocuspocus endpoints frame the same bodies).
 *
 * <ul>
 *   <li>0 sync: varUint sub-type (0 step 1 with a state vector, 1 step 2 with an update, 2 update),
 *       then varUint8Array</li>
 *   <li>1 awareness: varUint8Array of an awareness update</li>
 *   <li>2 auth: varUint 0 (permission denied), then varString reason</li>
 *   <li>3 query awareness: no body</li>
 * </ul>
 */
public final class YMessages {
    public static final int SYNC = 0;
    public static final int AWARENESS = 1;
    public static final int AUTH = 2;
    public static final int QUERY_AWARENESS = 3;
    public static final int STEP1 = 0;
    public static final int STEP2 = 1;
    public static final int UPDATE = 2;
    public static final int PERMISSION_DENIED = 0;

    private YMessages() {
    }

    public static byte[] syncStep1(byte[] stateVector) {
        return sync(STEP1, stateVector);
    }

    public static byte[] syncStep2(byte[] update) {
        return sync(STEP2, update);
    }

    public static byte[] update(byte[] update) {
        return sync(UPDATE, update);
    }

    /** A sync message of sub-type {@code sub} ({@link #STEP1}, {@link #STEP2} or {@link #UPDATE}). */
    public static byte[] sync(int sub, byte[] body) {
        Lib0Writer w = new Lib0Writer(body.length + 8);
        writeSync(w, sub, body);
        return w.toByteArray();
    }

    public static byte[] awareness(byte[] awarenessUpdate) {
        Lib0Writer w = new Lib0Writer(awarenessUpdate.length + 8);
        writeAwareness(w, awarenessUpdate);
        return w.toByteArray();
    }

    public static byte[] permissionDenied(String reason) {
        Lib0Writer w = new Lib0Writer(reason.length() * 3 + 8);
        writePermissionDenied(w, reason);
        return w.toByteArray();
    }

    // The writers below append one message to {@code w}, so that an adapter which frames the same
    // messages behind something of its own (Hocuspocus' document name) encodes them the same way.

    /** Appends a sync message: its type, sub-type and body. */
    public static void writeSync(Lib0Writer w, int sub, byte[] body) {
        w.writeVarUint(SYNC);
        w.writeVarUint(sub);
        w.writeVarUint8Array(body);
    }

    /** Appends an awareness message carrying {@code awarenessUpdate}. */
    public static void writeAwareness(Lib0Writer w, byte[] awarenessUpdate) {
        w.writeVarUint(AWARENESS);
        w.writeVarUint8Array(awarenessUpdate);
    }

    /** Appends y-protocols' auth message "permission denied" with its reason. */
    public static void writePermissionDenied(Lib0Writer w, String reason) {
        w.writeVarUint(AUTH);
        w.writeVarUint(PERMISSION_DENIED);
        w.writeVarString(reason);
    }

    /**
     * Whether an update carries nothing at all: no structs and an empty delete set, what an empty
     * replica sends as its sync step 2.
     */
    public static boolean isEmptyUpdate(byte[] update) {
        return update.length == 2 && update[0] == 0 && update[1] == 0;
    }

    /** Refuses bytes after the end of a message (a parse error, as for a truncated one). */
    public static void end(Lib0Reader in) {
        if (in.hasRemaining()) {
            throw new IllegalArgumentException(in.remaining() + " bytes after the end of the message");
        }
    }

    /**
     * Acts on one message from a client and completes with the messages to send back to it (in
     * order; often none). A write by a read-only peer answers with a permission-denied message and
     * changes nothing. Malformed bytes or an unknown message type fail with 107; other refusals
     * fail with the engine's code.
     */
    public static CompletionStage<List<byte[]>> handle(DocumentHandle h, byte[] message) {
        int type;
        int sub = -1;
        byte[] body = null;
        try {
            Lib0Reader r = new Lib0Reader(message);
            type = r.readVarUintAsInt();
            if (type == SYNC) {
                sub = r.readVarUintAsInt();
                body = r.readVarUint8Array();
            } else if (type == AWARENESS) {
                body = r.readVarUint8Array();
            }
        } catch (IllegalArgumentException e) {
            return bad("malformed y-protocols message: " + e.getMessage());
        }
        switch (type) {
            case SYNC:
                if (sub == STEP1) {
                    return h.missing(body).thenApply(diff -> List.of(syncStep2(diff)));
                }
                if (sub == STEP2 || sub == UPDATE) {
                    if (h.readOnly()) {
                        return CompletableFuture.completedFuture(List.of(permissionDenied("read-only access to '" + h.document() + "'")));
                    }
                    return h.applyUpdate(body).thenApply(v -> List.of());
                }
                return bad("unknown sync message type " + sub);
            case AWARENESS:
                return h.applyAwareness(body).thenApply(v -> List.of());
            case QUERY_AWARENESS:
                return h.awarenessStates().thenApply(states -> states == null ? List.of() : List.of(awareness(states)));
            case AUTH:
                // clients do not authenticate this way with Chorus; nothing to do
                return CompletableFuture.completedFuture(List.of());
            default:
                return bad("unknown message type " + type);
        }
    }

    private static CompletionStage<List<byte[]>> bad(String message) {
        return CompletableFuture.failedFuture(new ProtocolException(ErrorCode.BAD_REQUEST, message));
    }

    /** The engine's error behind a failed stage. */
    public static Throwable cause(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
