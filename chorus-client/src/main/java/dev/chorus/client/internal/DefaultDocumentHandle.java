package dev.chorus.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chorus.client.ChorusException;
import dev.chorus.client.DocumentHandle;
import dev.chorus.client.DocumentListener;
import dev.chorus.client.DocumentOptions;
import dev.chorus.protocol.ErrorCode;
import dev.chorus.protocol.Request;
import dev.chorus.yjs.Doc;
import dev.chorus.yjs.Transaction;
import dev.chorus.yjs.UpdateListener;
import dev.chorus.yjs.lib0.Lib0Reader;
import dev.chorus.yjs.lib0.Lib0Writer;
import dev.chorus.yjs.protocol.Awareness;
import dev.chorus.yjs.protocol.AwarenessChange;
import dev.chorus.yjs.protocol.SyncProtocol;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Syncs one {@link Doc} over {@code doc_open} / {@code doc} as y-websocket does over its own
 * socket: after the open reply it sends its sync step 1 and answers the server's step 1 with a
 * step 2, then exchanges updates. Remote updates are applied with this handle as the origin, which
 * is how the update listener tells them from local ones (and does not echo them).
 *
 * <p>Nothing is buffered while offline: the next open's step 1 / step 2 exchange carries whatever
 * either side misses, including local edits the server never acknowledged.
 */
final class DefaultDocumentHandle implements DocumentHandle, UpdateListener {
    private static final System.Logger LOG = System.getLogger(DefaultDocumentHandle.class.getName());
    private static final int MSG_SYNC = 0;
    private static final int MSG_AWARENESS = 1;
    private static final int MSG_AUTH = 2;
    private static final int MSG_QUERY_AWARENESS = 3;

    private enum State { OFFLINE, OPENING, OPEN, CLOSED }

    private final DefaultChorusClient client;
    private final String name;
    private final Doc doc;
    private final DocumentOptions options;
    private final DocumentListener listener;
    private final Awareness awareness;

    private volatile boolean readOnly;
    private volatile boolean synced;
    private volatile Map<Long, Object> awarenessView = Map.of();
    private State state = State.OFFLINE;
    private final List<CompletableFuture<Void>> syncWaiters = new ArrayList<>();
    private ScheduledFuture<?> awarenessTimer;

    DefaultDocumentHandle(DefaultChorusClient client, String name, Doc doc, DocumentOptions options, DocumentListener listener) {
        this.client = client;
        this.name = name;
        this.doc = doc;
        this.options = options;
        this.listener = listener;
        this.readOnly = options.readOnly();
        this.awareness = options.awareness() ? new Awareness(doc.clientId()) : null;
    }

    // ================================================================ API

    @Override
    public String name() {
        return name;
    }

    @Override
    public Doc doc() {
        return doc;
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    @Override
    public boolean synced() {
        return synced;
    }

    @Override
    public CompletableFuture<Void> whenSynced() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        client.run(() -> {
            if (synced) {
                f.complete(null);
            } else if (state == State.CLOSED) {
                f.completeExceptionally(new ChorusException(ChorusException.CLIENT_CLOSED, "the document is closed"));
            } else {
                syncWaiters.add(f);
            }
        }, f);
        return f;
    }

    @Override
    public CompletableFuture<Void> edit(Consumer<Doc> change) {
        Objects.requireNonNull(change, "change");
        CompletableFuture<Void> f = new CompletableFuture<>();
        client.run(() -> {
            doc.transact(tx -> change.accept(doc));
            f.complete(null);
        }, f);
        return f;
    }

    @Override
    public CompletableFuture<Void> setAwarenessState(Object value) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        client.run(() -> {
            if (awareness == null) {
                f.completeExceptionally(new IllegalStateException("document '" + name + "' was opened without awareness"));
                return;
            }
            awareness.setLocalState(value);
            f.complete(null);
        }, f);
        return f;
    }

    @Override
    public Map<Long, Object> awarenessStates() {
        return awarenessView;
    }

    @Override
    public CompletableFuture<Void> close() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        client.run(() -> {
            if (state == State.CLOSED) {
                f.complete(null);
                return;
            }
            boolean open = state == State.OPEN || state == State.OPENING;
            if (awareness != null && state == State.OPEN && awareness.getLocalState() != null) {
                awareness.setLocalState(null); // sends the removal
            }
            state = State.CLOSED;
            synced = false;
            doc.removeUpdateListener(this);
            stopAwarenessTimer();
            client.removeDocument(this);
            failWaiters(new ChorusException(ChorusException.CLIENT_CLOSED, "the document was closed"));
            if (open && client.isConnected()) {
                client.boundRequest(id -> new Request.DocClose(id, name), r -> f.complete(null), e -> f.complete(null));
            } else {
                f.complete(null);
            }
        }, f);
        return f;
    }

    @Override
    public String toString() {
        return "DocumentHandle{" + name + ", " + state + (synced ? ", synced" : "") + '}';
    }

    // ================================================================ client thread

    /** Starts listening to the document's local changes (once, when registered). */
    void attach() {
        doc.addUpdateListener(this);
        if (awareness != null) {
            awareness.onUpdate(this::awarenessUpdated);
            awareness.onChange((change, origin) -> {
                awarenessView = Collections.unmodifiableMap(new LinkedHashMap<>(awareness.getStates()));
                Map<Long, Object> states = awarenessView;
                call(() -> listener.onAwareness(states));
            });
            awarenessView = Collections.unmodifiableMap(new LinkedHashMap<>(awareness.getStates()));
        }
    }

    /** Opens (or reopens after a reconnect) on the current connection. */
    void open() {
        if (state != State.OFFLINE) {
            return;
        }
        state = State.OPENING;
        client.boundRequest(id -> new Request.DocOpen(id, name, options.readOnly()), this::opened, e -> {
            if (state == State.OPENING) {
                state = State.OFFLINE;
            }
            if (e.code() != ChorusException.CONNECTION_LOST) {
                call(() -> listener.onError(new ChorusException(e.code(), "cannot open document '" + name + "': " + e.getMessage())));
            }
        });
    }

    private void opened(JsonNode r) {
        if (state != State.OPENING) {
            return;
        }
        state = State.OPEN;
        readOnly = Results.bool(r, "readOnly", options.readOnly());
        Lib0Writer w = new Lib0Writer();
        w.writeVarUint(MSG_SYNC);
        SyncProtocol.writeSyncStep1(w, doc);
        send(w.toByteArray());
        if (awareness != null) {
            if (awareness.getLocalState() != null) {
                sendAwareness(List.of(awareness.clientId()));
            }
            awarenessTimer = client.scheduler().scheduleWithFixedDelay(awareness::checkTimeouts, 3, 3, TimeUnit.SECONDS);
        }
    }

    void connectionLost() {
        if (state == State.OPEN || state == State.OPENING) {
            state = State.OFFLINE;
        }
        synced = false;
        stopAwarenessTimer();
        if (awareness != null) {
            List<Long> remote = new ArrayList<>(awareness.getStates().keySet());
            remote.remove(awareness.clientId());
            if (!remote.isEmpty()) {
                awareness.removeStates(remote, "connection-lost");
            }
        }
    }

    /** A y-protocols message from the server. */
    void onMessage(byte[] message) {
        if (state != State.OPEN) {
            return;
        }
        try {
            Lib0Reader in = new Lib0Reader(message);
            long type = in.readVarUint();
            if (type == MSG_SYNC) {
                Lib0Writer reply = new Lib0Writer();
                reply.writeVarUint(MSG_SYNC);
                int sync = SyncProtocol.readSyncMessage(in, reply, doc, this);
                if (sync == SyncProtocol.STEP1 && !readOnly) {
                    send(reply.toByteArray());
                } else if (sync == SyncProtocol.STEP2) {
                    synced = true;
                    List<CompletableFuture<Void>> ws = new ArrayList<>(syncWaiters);
                    syncWaiters.clear();
                    ws.forEach(f -> f.complete(null));
                    call(listener::onSynced);
                }
            } else if (type == MSG_AWARENESS) {
                if (awareness != null) {
                    awareness.applyUpdate(in.readVarUint8Array(), this);
                }
            } else if (type == MSG_AUTH) {
                long kind = in.readVarUint();
                String reason = kind == 0 ? in.readVarString() : "auth message " + kind;
                call(() -> listener.onError(new ChorusException(ErrorCode.PERMISSION_DENIED.code(),
                        "permission denied for document '" + name + "': " + reason)));
            } else if (type == MSG_QUERY_AWARENESS) {
                if (awareness != null && !awareness.getStates().isEmpty()) {
                    sendAwareness(new ArrayList<>(awareness.getStates().keySet()));
                }
            } else {
                throw new IllegalArgumentException("unknown message type " + type);
            }
        } catch (RuntimeException e) {
            call(() -> listener.onError(new ChorusException(ChorusException.MALFORMED_FRAME,
                    "skipped an unreadable message for document '" + name + "': " + e.getMessage(), e)));
        }
    }

    /** Every transaction of the document: remote ones (our origin) are reported, local ones sent. */
    @Override
    public void onUpdate(byte[] update, Object origin, Transaction transaction) {
        if (origin == this) {
            call(() -> listener.onRemoteUpdate(update));
            return;
        }
        byte[] copy = update.clone();
        if (client.inClientThread()) {
            sendUpdate(copy);
        } else {
            client.run(() -> sendUpdate(copy), null);
        }
    }

    private void sendUpdate(byte[] update) {
        if (state != State.OPEN || readOnly) {
            return; // the next open's sync exchange carries it
        }
        Lib0Writer w = new Lib0Writer();
        w.writeVarUint(MSG_SYNC);
        SyncProtocol.writeUpdate(w, update);
        send(w.toByteArray());
    }

    private void awarenessUpdated(AwarenessChange change, Object origin) {
        if (origin == this || state != State.OPEN) {
            return; // remote states are not sent back
        }
        if ("local".equals(origin)) {
            sendAwareness(change.all());
        }
    }

    private void sendAwareness(List<Long> clients) {
        Lib0Writer w = new Lib0Writer();
        w.writeVarUint(MSG_AWARENESS);
        w.writeVarUint8Array(awareness.encodeUpdate(clients));
        send(w.toByteArray());
    }

    private void send(byte[] message) {
        client.boundRequest(id -> new Request.Doc(id, name, message), r -> {
        }, e -> {
            if (e.code() != ChorusException.CONNECTION_LOST) {
                call(() -> listener.onError(new ChorusException(e.code(), "document '" + name + "': " + e.getMessage())));
            }
        });
    }

    private void stopAwarenessTimer() {
        if (awarenessTimer != null) {
            awarenessTimer.cancel(false);
            awarenessTimer = null;
        }
    }

    private void failWaiters(ChorusException e) {
        List<CompletableFuture<Void>> ws = new ArrayList<>(syncWaiters);
        syncWaiters.clear();
        ws.forEach(f -> f.completeExceptionally(e));
    }

    private void call(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "document listener of '" + name + "' failed", e);
        }
    }
}
