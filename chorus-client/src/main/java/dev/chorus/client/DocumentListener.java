package dev.chorus.client;

import java.util.Map;

/** Events of an open document, called on the client thread. Extend {@link DocumentAdapter} to implement only some. */
public interface DocumentListener {

    /** The server's state has been merged into the document (after every open and reopen). */
    void onSynced();

    /** Remote changes were applied to the document. */
    void onRemoteUpdate(byte[] update);

    /** Awareness states changed (with {@link DocumentOptions#awareness()}): awareness client id to state. */
    void onAwareness(Map<Long, Object> states);

    /** The server refused something (opening, a write to a read-only document, a malformed update). */
    void onError(ChorusException error);
}
