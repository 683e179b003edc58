package dev.chorus.core.documents;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * A peer's attachment to one document: what an adapter calls when its client sends something. All
 * methods are non-blocking; they run on the document's lane and complete there, except that
 * {@link #applyUpdate} (of at most {@value #INLINE_UPDATE_BYTES} bytes) and {@link #applyAwareness}
 * (short, and called by adapters from their event loops) run on the calling thread when the lane
 * is idle, saving two thread hand-offs per update; their stages may then complete on that thread.
 * A refused call completes exceptionally with a {@link dev.chorus.protocol.ProtocolException} (107
 * invalid update, 112 too large, 103 read-only, 100 storage failure) and changes nothing.
 */
public final class DocumentHandle {
    /** Largest update run on the caller's thread when the lane is idle; larger ones go to the pool. */
    static final int INLINE_UPDATE_BYTES = 16 * 1024;

    final DocumentRoom room;
    final DocumentPeer peer;
    final boolean readOnly;
    /** Lane only: the awareness client ids this peer announced. */
    final Set<Long> awarenessClients = new HashSet<>(2);

    DocumentHandle(DocumentRoom room, DocumentPeer peer, boolean readOnly) {
        this.room = room;
        this.peer = peer;
        this.readOnly = readOnly;
    }

    /** The document's name. */
    public String document() {
        return room.name;
    }

    /** Whether this peer may only read. */
    public boolean readOnly() {
        return readOnly;
    }

    /** The server's state vector (for sync step 1 to the client). */
    public CompletionStage<byte[]> stateVector() {
        return room.call(DocumentRoom::stateVector);
    }

    /**
     * What a client with {@code stateVector} is missing (sync step 2), delivered once durable;
     * {@code null} asks for the whole document.
     */
    public CompletionStage<byte[]> missing(byte[] stateVector) {
        return room.call(r -> r.missing(stateVector));
    }

    /** Applies the client's update (sync step 2 or update); completes when it is durable and sent on. */
    public CompletionStage<Void> applyUpdate(byte[] update) {
        if (update != null && update.length > INLINE_UPDATE_BYTES) {
            return room.call(r -> r.apply(this, update)); // a large update is integrated on the pool
        }
        return room.callHere(r -> r.apply(this, update));
    }

    /** Applies and relays the client's awareness update. */
    public CompletionStage<Void> applyAwareness(byte[] update) {
        return room.callHere(r -> r.awareness(this, update));
    }

    /** Every awareness state known now as one update, or {@code null} when there is none. */
    public CompletionStage<byte[]> awarenessStates() {
        return room.call(DocumentRoom::awarenessStates);
    }

    /** The awareness states known now, by client id. */
    public CompletionStage<Map<Long, Object>> awarenessMap() {
        return room.call(DocumentRoom::awarenessMap);
    }

    /** Detaches the peer: its awareness states are removed and the other peers told. Idempotent. */
    public CompletionStage<Void> leave() {
        return room.call(r -> r.detach(this));
    }
}
