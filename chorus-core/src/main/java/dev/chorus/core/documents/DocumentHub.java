package dev.chorus.core.documents;

import dev.chorus.core.config.DocumentsConfig;
import dev.chorus.protocol.ErrorCode;
import dev.chorus.protocol.ProtocolException;
import dev.chorus.yjs.Doc;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The collaborative documents of one node: loads a document from the {@link DocumentStore} when a
 * peer or the application first asks for it, keeps it while it is used, and unloads it once it has
 * been idle for {@link DocumentsConfig#idleUnload()} with everything stored.
 *
 * <pre>{@code
 * chorus.documents().edit("notes", doc -> doc.getText("body").insert(0, "hello"));
 * Map<String, Object> json = chorus.documents().json("notes").toCompletableFuture().join();
 * }</pre>
 */
public final class DocumentHub implements AutoCloseable {
    private final DocumentStore store;
    private final DocumentsConfig config;
    private final Executor pool;
    private final ConcurrentHashMap<String, DocumentRoom> rooms = new ConcurrentHashMap<>();
    private final AwarenessBridge bridge;
    private final DocumentRelay relay;
    /** One compaction at a time on this node (see {@link DocumentRoom}). */
    private final java.util.concurrent.Semaphore compactions = new java.util.concurrent.Semaphore(1);

    public DocumentHub(DocumentStore store, DocumentsConfig config, Executor pool) {
        this(store, config, pool, AwarenessBridge.NONE, DocumentRelay.NONE);
    }

    /** A hub whose documents' awareness is bridged to presence and whose updates reach other nodes. */
    public DocumentHub(DocumentStore store, DocumentsConfig config, Executor pool, AwarenessBridge bridge, DocumentRelay relay) {
        this.bridge = Objects.requireNonNull(bridge, "bridge");
        this.relay = Objects.requireNonNull(relay, "relay");
        this.store = Objects.requireNonNull(store, "store");
        this.config = Objects.requireNonNull(config, "config");
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    /** The store documents are kept in. */
    public DocumentStore store() {
        return store;
    }

    /** Documents loaded now. */
    public int loadedCount() {
        return rooms.size();
    }

    /** Attaches a peer to a document (loading it first when needed). */
    public CompletionStage<DocumentHandle> open(String name, DocumentPeer peer, boolean readOnly) {
        Objects.requireNonNull(peer, "peer");
        return withRoom(name, room -> room.attach(new DocumentHandle(room, peer, readOnly)));
    }

    /** Runs {@code edit} on the document as one transaction; completes once its update is stored and sent. */
    public CompletionStage<Void> edit(String name, Consumer<Doc> edit) {
        Objects.requireNonNull(edit, "edit");
        return withRoom(name, room -> room.edit(edit));
    }

    /** Applies a Yjs update (v1) from the server side (HTTP API, application). */
    public CompletionStage<Void> applyUpdate(String name, byte[] update) {
        return withRoom(name, room -> room.apply(null, update));
    }

    /** The document as JSON (every root by its type), once what it holds is stored. */
    public CompletionStage<Map<String, Object>> json(String name) {
        return withRoom(name, DocumentRoom::json);
    }

    /** The whole document as one Yjs update (v1), or what a holder of {@code stateVector} is missing. */
    public CompletionStage<byte[]> stateAsUpdate(String name, byte[] stateVector) {
        return withRoom(name, room -> room.missing(stateVector));
    }

    private <T> CompletionStage<T> withRoom(String name, Function<DocumentRoom, CompletionStage<T>> f) {
        return withRoom(name, f, 0);
    }

    private <T> CompletionStage<T> withRoom(String name, Function<DocumentRoom, CompletionStage<T>> f, int attempt) {
        String problem = nameProblem(name);
        if (problem != null) {
            return CompletableFuture.failedFuture(new ProtocolException(ErrorCode.BAD_REQUEST, problem));
        }
        DocumentRoom room = rooms.get(name);
        if (room == null || room.unloaded()) {
            if (room != null) {
                rooms.remove(name, room);
            }
            if (rooms.size() >= config.maxLoaded()) {
                return CompletableFuture.failedFuture(new ProtocolException(ErrorCode.LIMIT_EXCEEDED,
                        "more than " + config.maxLoaded() + " documents loaded on this node"));
            }
            DocumentRoom fresh = new DocumentRoom(name, store, config, pool, bridge, relay, compactions);
            room = rooms.putIfAbsent(name, fresh);
            if (room == null) {
                room = fresh;
                fresh.load();
            }
        }
        // a room that unloaded between the lookup and the call: open a fresh one
        return room.call(f).handle((v, err) -> {
            Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null ? err.getCause() : err;
            if (cause instanceof DocumentRoom.Gone && attempt < 3) {
                return withRoom(name, f, attempt + 1);
            }
            return err != null ? CompletableFuture.<T>failedFuture(cause) : CompletableFuture.completedFuture(v);
        }).thenCompose(x -> x);
    }

    /**
     * Shows a native client's presence state (compact JSON; {@code null} removes it) in the
     * awareness of a loaded document. Documents not in memory pick the states up when they load.
     */
    public void nativePresence(String document, String client, String stateJson) {
        DocumentRoom room = rooms.get(document);
        if (room != null && !room.unloaded()) {
            room.call(r -> {
                r.nativePresence(client, stateJson);
                return CompletableFuture.completedFuture(null);
            });
        }
    }

    /** An update another node stored, for a document loaded here (from the relay). */
    public void remoteUpdate(String document, byte[] update) {
        DocumentRoom room = rooms.get(document);
        if (room != null) {
            room.lane.execute(() -> room.remoteUpdate(update));
        }
    }

    /** An awareness update of another node's peer, for a document loaded here (from the relay). */
    public void remoteAwareness(String document, byte[] update) {
        DocumentRoom room = rooms.get(document);
        if (room != null) {
            room.lane.execute(() -> room.remoteAwareness(update));
        }
    }

    /** The namespace of document channels. */
    public static final String CHANNEL_NAMESPACE = "doc";

    /**
     * The channel a document is bound to: {@code doc:<name>}. Its namespace's rules and a token's
     * channel permissions decide access to the document for every protocol (y-websocket,
     * Hocuspocus, chorus/1): subscribe permission reads, publish permission writes. Awareness of the
     * document's Yjs clients is presence in this channel, and presence states set by native clients
     * in this channel appear in the document's awareness.
     */
    public static String channelFor(String document) {
        return CHANNEL_NAMESPACE + ":" + document;
    }

    /** Why a document name is refused, or {@code null}. */
    public static String nameProblem(String name) {
        if (name == null || name.isEmpty()) {
            return "a document needs a name";
        }
        if (name.length() > DocumentStore.MAX_NAME_LENGTH) {
            return "document name longer than " + DocumentStore.MAX_NAME_LENGTH + " characters";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
                return "document name with a control character or a non-BMP character";
            }
        }
        return null;
    }

    /**
     * Periodic work (call every few seconds): awareness timeouts, and unloading documents idle for
     * longer than {@link DocumentsConfig#idleUnload()} whose updates are all stored.
     */
    public void sweep() {
        long idle = config.idleUnload().toNanos();
        for (DocumentRoom room : rooms.values()) {
            room.lane.execute(() -> {
                if (room.unloaded()) {
                    rooms.remove(room.name, room);
                    return;
                }
                room.checkAwareness();
                if (room.unloadIfIdle(idle)) {
                    rooms.remove(room.name, room);
                }
            });
        }
    }

    /** Closes the store (after the transports closed their peers). */
    @Override
    public void close() {
        store.close();
    }
}
