package dev.chorus.netty.internal;

import dev.chorus.yjs.lib0.Lib0Writer;

/**
 * The message types of the Hocuspocus protocol (as {@code @hocuspocus/provider} 4.x and
 * {@code @hocuspocus/server} number them) beyond y-protocols' sync / awareness / query-awareness,
 * and the frames the server builds. Every message but ping and pong starts with the document's
 * name as a var string; ping and pong are the single bytes 9 and 10.
 */
final class HocuspocusFrames {
    static final int AUTH = 2;
    static final int SYNC_REPLY = 4;
    static final int STATELESS = 5;
    static final int BROADCAST_STATELESS = 6;
    static final int CLOSE = 7;
    static final int SYNC_STATUS = 8;
    static final int PING = 9;
    static final int PONG = 10;

    /** Auth sub-types. */
    static final int AUTH_TOKEN = 0;
    static final int AUTH_PERMISSION_DENIED = 1;
    static final int AUTH_AUTHENTICATED = 2;

    static final byte[] PING_FRAME = {PING};
    static final byte[] PONG_FRAME = {PONG};

    private HocuspocusFrames() {
    }

    static byte[] authenticated(String doc, boolean readOnly) {
        Lib0Writer w = YjsFrames.start(doc, AUTH, 12);
        w.writeVarUint(AUTH_AUTHENTICATED);
        w.writeVarString(readOnly ? "readonly" : "read-write");
        return w.toByteArray();
    }

    static byte[] permissionDenied(String doc, String reason) {
        Lib0Writer w = YjsFrames.start(doc, AUTH, reason.length() * 3 + 4);
        w.writeVarUint(AUTH_PERMISSION_DENIED);
        w.writeVarString(reason);
        return w.toByteArray();
    }

    /** Whether the server applied (saved) the client's last sync message. */
    static byte[] syncStatus(String doc, boolean applied) {
        Lib0Writer w = YjsFrames.start(doc, SYNC_STATUS, 1);
        w.writeVarUint(applied ? 1 : 0);
        return w.toByteArray();
    }

    static byte[] stateless(String doc, String payload) {
        Lib0Writer w = YjsFrames.start(doc, STATELESS, payload.length() * 3 + 4);
        w.writeVarString(payload);
        return w.toByteArray();
    }
}
