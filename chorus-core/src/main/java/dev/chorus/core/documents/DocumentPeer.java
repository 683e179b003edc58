package dev.chorus.core.documents;

/**
 * One client attached to a document, as a protocol adapter (y-websocket, Hocuspocus, chorus/1)
 * implements it. The engine calls these methods from the document's own thread, one at a time and
 * in order; they must not block (queue the bytes on the connection and return).
 */
public interface DocumentPeer {

    /** The user of the peer's connection ({@code ""} when anonymous), shown in presence. */
    default String user() {
        return "";
    }

    /**
     * The thread that reads this peer's messages, when it may also run a document's short work
     * (its Netty event loop), or {@code null}. Broadcasts of this peer's updates run there once
     * they are durable: the updates of every client read in one turn of that loop go out as one
     * merged message, and no pool thread stands between the store and the sockets.
     */
    default java.util.concurrent.Executor executor() {
        return null;
    }

    /** A Yjs update (v1) another peer made, already durable. */
    void sendUpdate(byte[] update);

    /** A y-protocols awareness update (the states of the clients it names). */
    void sendAwareness(byte[] awarenessUpdate);

    /**
     * The engine detaches this peer (the document is unloading for good, or failed); the adapter
     * should close its side. The peer gets no further calls.
     */
    default void detached(String reason) {
    }
}
