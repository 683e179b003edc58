package dev.chorus.client;

import dev.chorus.yjs.Doc;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A Yjs document kept in sync with the server over the client's connection. Remote changes are
 * applied on the client thread with this handle as the transaction origin (so they are not sent
 * back); every other change of the {@link Doc} is sent. While disconnected, local changes stay in
 * the document, and after the reconnect the y-protocols sync exchange (both sides send their
 * state vector and answer with what the other misses) merges them.
 */
public interface DocumentHandle {

    String name();

    /** The document. Read and change it on the client thread only, e.g. with {@link #edit}. */
    Doc doc();

    /** Whether the server gave read access only (known after the open reply). */
    boolean readOnly();

    /** Whether the server's state has been merged since the last (re)open. */
    boolean synced();

    /**
     * Completes when the document is next in sync with the server: at once when it is, else after
     * the next sync step 2 from the server.
     */
    CompletableFuture<Void> whenSynced();

    /** Runs {@code change} on the client thread with the document (one transaction). */
    CompletableFuture<Void> edit(Consumer<Doc> change);

    /**
     * Sets this client's awareness state (any JSON-like value of maps, lists, strings, numbers,
     * booleans; {@code null} removes it). Needs {@link DocumentOptions#awareness()}.
     */
    CompletableFuture<Void> setAwarenessState(Object state);

    /** The known awareness states by awareness client id (a snapshot; empty without awareness). */
    Map<Long, Object> awarenessStates();

    /** Detaches the document (its awareness state is removed). The {@link Doc} is left as it is. */
    CompletableFuture<Void> close();
}
