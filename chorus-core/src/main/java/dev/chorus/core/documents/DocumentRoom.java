package dev.chorus.core.documents;

import dev.chorus.core.config.DocumentsConfig;
import dev.chorus.core.internal.SerialExecutor;
import dev.chorus.protocol.ErrorCode;
import dev.chorus.protocol.ProtocolException;
import dev.chorus.yjs.Doc;
import dev.chorus.yjs.InvalidUpdateException;
import dev.chorus.yjs.protocol.Awareness;
import dev.chorus.yjs.Updates;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One document in memory: its Yjs {@link Doc}, its awareness, and the peers attached to it. Every
 * operation runs on the room's own lane ({@link SerialExecutor}), so the document is only touched by
 * one thread at a time.
 *
 * <p>Durability: an update is appended to the {@link DocumentStore} before it is broadcast or
 * acknowledged, and broadcasts leave in append order; updates that become durable together leave as
 * one merged update. What a peer is sent of the document's state
 * (a sync answer, a JSON read) waits until everything in that state is durable, so no client can
 * hold content the server could lose in a crash.
 */
final class DocumentRoom {
    private static final Logger log = LoggerFactory.getLogger(DocumentRoom.class);
    /** Largest awareness update accepted from a peer. */
    static final int MAX_AWARENESS_UPDATE = 64 * 1024;
    /** Awareness clients one peer may announce (a provider has one; a few for multi-doc tabs). */
    static final int MAX_AWARENESS_CLIENTS_PER_PEER = 16;
    /** Most updates merged into one broadcast, and their most bytes. */
    static final int MAX_MERGED_UPDATES = 256;
    static final int MAX_MERGED_BYTES = 256 * 1024;

    /** An update on its way to the store, then to the peers. */
    private static final class Outgoing {
        final DocumentHandle from;
        final byte[] update;
        final CompletableFuture<Long> appended;
        /** Completes once the update is durable and broadcast. */
        final CompletableFuture<Void> done = new CompletableFuture<>();

        Outgoing(DocumentHandle from, byte[] update, CompletableFuture<Long> appended) {
            this.from = from;
            this.update = update;
            this.appended = appended;
        }
    }

    final String name;
    private final DocumentStore store;
    private final DocumentsConfig config;
    final SerialExecutor lane;
    private final Executor pool;
    private final Doc doc = new Doc();
    private final Awareness awareness;
    private final AwarenessBridge bridge;
    private final DocumentRelay relay;
    /** Compactions that may run at once on this node, shared by every room. */
    private final java.util.concurrent.Semaphore compactions;
    /** Lane only: clients whose state really changed in the awareness operation under way. */
    private final Set<Long> awarenessChanged = new HashSet<>();
    /** Lane only: the awareness clocks of native clients shown in this document. */
    private final Map<Long, Long> nativeClocks = new java.util.HashMap<>();
    private final Set<DocumentHandle> peers = new LinkedHashSet<>();
    private final CompletableFuture<Void> loaded = new CompletableFuture<>();
    /** Completes when every update appended so far is durable (and broadcast). Lane only. */
    private CompletableFuture<Void> persisted = CompletableFuture.completedFuture(null);
    /** Lane only: appended updates not yet broadcast, in append order. */
    private final ArrayDeque<Outgoing> outbox = new ArrayDeque<>();
    private final AtomicBoolean drainQueued = new AtomicBoolean();
    /** Lane only: stored bytes (snapshot plus updates), and since the last snapshot. */
    private long storedBytes;
    private long updatesSinceSnapshot;
    private long bytesSinceSnapshot;
    private long lastSeq;
    private boolean compacting;
    private boolean changedByLastApply;
    /** Lane only: the clients the last awareness update added. */
    private final List<Long> lastAwarenessAdded = new ArrayList<>();
    /** Lane only: the clients the last awareness update set a state for (added or renewed), and removed. */
    private final List<Long> lastAwarenessSet = new ArrayList<>();
    private final List<Long> lastAwarenessRemoved = new ArrayList<>();
    private volatile boolean unloaded;
    private volatile String failure;
    volatile long idleSinceNanos = System.nanoTime();
    private volatile int peerCount;

    DocumentRoom(String name, DocumentStore store, DocumentsConfig config, Executor pool, AwarenessBridge bridge, DocumentRelay relay,
            java.util.concurrent.Semaphore compactions) {
        this.name = name;
        this.compactions = compactions;
        this.relay = relay;
        this.bridge = bridge;
        this.store = store;
        this.config = config;
        this.lane = new SerialExecutor(pool);
        this.pool = pool;
        this.awareness = new Awareness(doc.clientId());
        awareness.setLocalState(null);
        // told whether an apply changed anything without encoding its update (nobody needs the bytes)
        doc.addAfterTransactionListener(txn -> changedByLastApply |= txn.hasChanges());
        awareness.onChange((change, origin) -> {
            awarenessChanged.addAll(change.added());
            awarenessChanged.addAll(change.updated());
        });
        awareness.onUpdate((change, origin) -> {
            lastAwarenessAdded.addAll(change.added());
            lastAwarenessSet.addAll(change.added());
            lastAwarenessSet.addAll(change.updated());
            lastAwarenessRemoved.addAll(change.removed());
            bridge(change, origin);
            if ("timeout".equals(origin) && !change.removed().isEmpty()) {
                byte[] removal = awareness.encodeUpdate(change.removed());
                for (DocumentHandle p : peers) {
                    p.awarenessClients.removeAll(change.removed());
                    p.peer.sendAwareness(removal);
                }
            }
        });
    }

    /** Tells the bridge what a Yjs peer's awareness operation did (not for states injected from presence). */
    private void bridge(dev.chorus.yjs.protocol.AwarenessChange change, Object origin) {
        try {
            // only the node a client is connected to speaks for it in presence
            if ("native".equals(origin) || "relay".equals(origin)) {
                return;
            }
            boolean fromPeer = origin instanceof DocumentHandle;
            String user = fromPeer ? ((DocumentHandle) origin).peer.user() : "";
            for (Long c : change.added()) {
                bridge.awarenessChanged(name, c, user, AwarenessBridge.Change.JOIN, stateJson(c), clockOf(c));
            }
            for (Long c : change.updated()) {
                AwarenessBridge.Change kind = awarenessChanged.contains(c) ? AwarenessBridge.Change.UPDATE : AwarenessBridge.Change.REFRESH;
                bridge.awarenessChanged(name, c, user, kind, stateJson(c), clockOf(c));
            }
            for (Long c : change.removed()) {
                // a timeout also drops other nodes' clients here: their own node reports those
                if (!nativeClocks.containsKey(c) && (fromPeer || ownedHere(c))) {
                    bridge.awarenessChanged(name, c, user, AwarenessBridge.Change.LEAVE, null, clockOf(c));
                }
            }
        } finally {
            awarenessChanged.clear();
        }
    }

    private String stateJson(long client) {
        Object s = awareness.getStates().get(client);
        return s == null ? null : dev.chorus.yjs.lib0.JsJson.stringify(s);
    }

    private long clockOf(long client) {
        Awareness.Meta m = awareness.meta(client);
        return m == null ? 0 : m.clock;
    }

    /** Whether one of this node's peers announced the awareness client. */
    private boolean ownedHere(long client) {
        for (DocumentHandle p : peers) {
            if (p.awarenessClients.contains(client)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Shows a native client's presence state in the awareness ({@code stateJson} {@code null}:
     * removes it) and tells every peer (lane).
     */
    void nativePresence(String client, String stateJson) {
        long id = AwarenessBridge.awarenessIdOf(client);
        if (stateJson == null) {
            if (nativeClocks.remove(id) != null && awareness.getStates().containsKey(id)) {
                awareness.removeStates(List.of(id), "native");
                byte[] removal = awareness.encodeUpdate(List.of(id));
                for (DocumentHandle p : peers) {
                    p.peer.sendAwareness(removal);
                }
            }
            return;
        }
        long clock = nativeClocks.merge(id, 1L, Long::sum);
        dev.chorus.yjs.lib0.Lib0Writer w = new dev.chorus.yjs.lib0.Lib0Writer();
        w.writeVarUint(1);
        w.writeVarUint(id);
        w.writeVarUint(clock + (clockOf(id)));
        w.writeVarString(stateJson);
        byte[] update = w.toByteArray();
        try {
            awareness.applyUpdate(update, "native");
        } catch (InvalidUpdateException e) {
            log.debug("presence state of {} is not JSON awareness can hold", client, e);
            return;
        }
        for (DocumentHandle p : peers) {
            p.peer.sendAwareness(update);
        }
    }

    /** Loads the stored state; the returned stage completes (on the lane) when the room is usable. */
    CompletionStage<Void> load() {
        // receive other nodes' updates first, then read the store: nothing stored in between is missed
        relay.join(name).thenCompose(v -> store.load(name)).whenCompleteAsync((stored, err) -> {
            if (err != null) {
                fail("cannot load: " + err.getMessage());
                loaded.completeExceptionally(new ProtocolException(ErrorCode.INTERNAL, "document '" + name + "' cannot be loaded"));
                return;
            }
            try {
                if (stored.snapshot() != null) {
                    doc.applyUpdate(stored.snapshot());
                    storedBytes += stored.snapshot().length;
                }
                for (StoredUpdate u : stored.updates()) {
                    doc.applyUpdate(u.data());
                    storedBytes += u.data().length;
                }
            } catch (InvalidUpdateException e) {
                log.error("document '{}' holds an update that does not apply", name, e);
                fail("stored data is corrupt");
                loaded.completeExceptionally(new ProtocolException(ErrorCode.INTERNAL, "document '" + name + "' cannot be loaded"));
                return;
            }
            updatesSinceSnapshot = stored.updateCount();
            bytesSinceSnapshot = stored.updateBytes();
            lastSeq = stored.lastSeq();
            // native clients already present in the document's channel show in its awareness
            bridge.nativeStates(name).whenCompleteAsync((states, e) -> {
                if (states != null) {
                    for (AwarenessBridge.NativeState n : states) {
                        nativePresence(n.client(), n.stateJson());
                    }
                }
                loaded.complete(null);
            }, lane);
        }, lane);
        return loaded;
    }

    /** The room unloaded before the call ran: the caller opens a fresh room. */
    static final class Gone extends RuntimeException {
        static final Gone INSTANCE = new Gone();

        private Gone() {
            super("document unloaded", null, false, false);
        }
    }

    boolean unloaded() {
        return unloaded;
    }

    int peerCount() {
        return peerCount;
    }

    /** Runs {@code f} on the lane once loaded; failures of the room fail the stage. */
    <T> CompletableFuture<T> call(Function<DocumentRoom, CompletionStage<T>> f) {
        return call(f, false);
    }

    /**
     * As {@link #call(Function)}, run on the calling thread when the lane is idle
     * ({@link SerialExecutor#executeHere}); for short operations from an event loop.
     */
    <T> CompletableFuture<T> callHere(Function<DocumentRoom, CompletionStage<T>> f) {
        return call(f, true);
    }

    private <T> CompletableFuture<T> call(Function<DocumentRoom, CompletionStage<T>> f, boolean here) {
        CompletableFuture<T> out = new CompletableFuture<>();
        loaded.whenComplete((v, err) -> run(here, () -> {
            if (err != null) {
                out.completeExceptionally(err);
                return;
            }
            if (failure != null) {
                out.completeExceptionally(new ProtocolException(ErrorCode.INTERNAL, "document '" + name + "' is not available: " + failure));
                return;
            }
            if (unloaded) {
                out.completeExceptionally(Gone.INSTANCE);
                return;
            }
            try {
                f.apply(this).whenComplete((r, e) -> {
                    if (e != null) {
                        out.completeExceptionally(e);
                    } else {
                        out.complete(r);
                    }
                });
            } catch (RuntimeException e) {
                out.completeExceptionally(e);
            }
        }));
        return out;
    }

    private void run(boolean here, Runnable task) {
        if (here) {
            lane.executeHere(task::run);
        } else {
            lane.execute(task);
        }
    }

    // ------------------------------------------------------------ lane-only operations

    /** Attaches a peer (lane). */
    CompletionStage<DocumentHandle> attach(DocumentHandle h) {
        peers.add(h);
        peerCount = peers.size();
        return CompletableFuture.completedFuture(h);
    }

    /** Detaches a peer and removes its awareness states, telling the others (lane). */
    CompletionStage<Void> detach(DocumentHandle h) {
        if (!peers.remove(h)) {
            return CompletableFuture.completedFuture(null);
        }
        peerCount = peers.size();
        if (peers.isEmpty()) {
            idleSinceNanos = System.nanoTime();
        }
        List<Long> gone = new ArrayList<>();
        for (Long c : h.awarenessClients) {
            if (awareness.getStates().containsKey(c)) {
                gone.add(c);
            }
        }
        if (!gone.isEmpty()) {
            awareness.removeStates(gone, h);
            byte[] removal = awareness.encodeUpdate(gone);
            for (DocumentHandle p : peers) {
                p.peer.sendAwareness(removal);
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    /** The document's state vector (lane). */
    CompletionStage<byte[]> stateVector() {
        return CompletableFuture.completedFuture(doc.encodeStateVector());
    }

    /**
     * What the holder of {@code stateVector} is missing, once it is durable (lane). A {@code null}
     * state vector means "everything".
     */
    CompletionStage<byte[]> missing(byte[] stateVector) {
        byte[] diff;
        try {
            diff = stateVector == null ? doc.encodeStateAsUpdate() : doc.encodeStateAsUpdate(stateVector);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new ProtocolException(ErrorCode.BAD_REQUEST, "malformed state vector: " + e.getMessage()));
        }
        return persisted.thenApply(v -> diff);
    }

    /** The document as JSON, once durable (lane). */
    CompletionStage<Map<String, Object>> json() {
        Map<String, Object> json = doc.toJSON();
        return persisted.thenApply(v -> json);
    }

    /**
     * Applies an update from {@code from} ({@code null}: the server): checks it, stores it, then
     * broadcasts it to every other peer (lane). Completes when it is durable.
     */
    CompletionStage<Void> apply(DocumentHandle from, byte[] update) {
        if (from != null && from.readOnly) {
            return CompletableFuture.failedFuture(new ProtocolException(ErrorCode.PERMISSION_DENIED, "read-only access to '" + name + "'"));
        }
        if (update == null || update.length == 0) {
            return CompletableFuture.failedFuture(new ProtocolException(ErrorCode.BAD_REQUEST, "empty update"));
        }
        if (update.length > config.maxUpdateSize()) {
            return CompletableFuture.failedFuture(new ProtocolException(ErrorCode.TOO_LARGE,
                    "update of " + update.length + " bytes exceeds the limit of " + config.maxUpdateSize() + " bytes"));
        }
        if (storedBytes + update.length > config.maxDocumentSize()) {
            return CompletableFuture.failedFuture(new ProtocolException(ErrorCode.TOO_LARGE,
                    "document '" + name + "' would exceed " + config.maxDocumentSize() + " bytes"));
        }
        changedByLastApply = false;
        try {
            doc.applyUpdate(update, from);
        } catch (InvalidUpdateException e) {
            return CompletableFuture.failedFuture(new ProtocolException(ErrorCode.BAD_REQUEST, "invalid Yjs update: " + e.getMessage()));
        }
        if (!changedByLastApply && !doc.hasPendingUpdates()) {
            // a duplicate: nothing to store or tell anyone
            return persisted;
        }
        return store(from, update);
    }

    /** Runs a local edit as one transaction and stores and broadcasts its update (lane). */
    CompletionStage<Void> edit(Consumer<Doc> edit) {
        byte[][] captured = new byte[1][];
        dev.chorus.yjs.UpdateListener l = (u, origin, txn) -> captured[0] = u;
        doc.addUpdateListener(l);
        try {
            doc.transact(t -> edit.accept(doc), "server");
        } catch (RuntimeException e) {
            // the edit threw half way: what it did is in the document; store it all the same below
            log.warn("edit of document '{}' threw", name, e);
            if (captured[0] == null) {
                return CompletableFuture.failedFuture(e);
            }
        } finally {
            doc.removeUpdateListener(l);
        }
        if (captured[0] == null) {
            return persisted;
        }
        return store(null, captured[0]);
    }

    private CompletionStage<Void> store(DocumentHandle from, byte[] update) {
        storedBytes += update.length;
        CompletionStage<Long> appended = store.append(name, update);
        Outgoing o = new Outgoing(from, update, appended.toCompletableFuture());
        outbox.add(o);
        persisted = o.done;
        // the store completes appends in order; one drain takes every append that is durable by then
        Executor home = from == null ? null : from.peer.executor();
        o.appended.whenComplete((seq, err) -> scheduleDrain(home));
        return o.done;
    }

    /**
     * Queues one {@link #drainOutbox} unless one is queued already (any thread): as a task of the
     * sender's event loop ({@code home}), which runs it after the messages it is reading now, so
     * the updates of one loop turn leave together; else on the lane's pool.
     */
    private void scheduleDrain(Executor home) {
        if (!drainQueued.compareAndSet(false, true)) {
            return;
        }
        SerialExecutor.ShortTask drain = this::drainOutbox;
        if (home != null) {
            try {
                home.execute(() -> lane.executeHere(drain));
                return;
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // the loop is shutting down: the pool does it
            }
        }
        lane.execute(drain);
    }

    /**
     * Broadcasts the updates at the head of the outbox that are durable, in append order (lane).
     * Updates that became durable together (one group commit, or one lane turn with the memory
     * store) go to the peers as one merged update, at most {@link #MAX_MERGED_UPDATES} or
     * {@link #MAX_MERGED_BYTES} at a time: one message per peer instead of one per update, which
     * is what a peer's connection and client pay for. A peer that made every update of a group is
     * sent nothing; one that made some of them gets the merge, its own part included (Yjs ignores
     * what it has).
     */
    private void drainOutbox() {
        drainQueued.set(false);
        List<Outgoing> group = new ArrayList<>();
        long groupBytes = 0;
        while (!outbox.isEmpty() && outbox.peekFirst().appended.isDone()) {
            Outgoing o = outbox.peekFirst();
            if (o.appended.isCompletedExceptionally() || failure != null) {
                broadcast(group);
                failOutbox(o);
                return;
            }
            if (!group.isEmpty() && (group.size() == MAX_MERGED_UPDATES || groupBytes + o.update.length > MAX_MERGED_BYTES)) {
                broadcast(group);
                group.clear();
                groupBytes = 0;
            }
            outbox.pollFirst();
            lastSeq = Math.max(lastSeq, o.appended.join());
            updatesSinceSnapshot++;
            bytesSinceSnapshot += o.update.length;
            group.add(o);
            groupBytes += o.update.length;
        }
        broadcast(group);
        maybeCompact();
    }

    /** Sends a group of durable updates to the peers and other nodes, then completes them (lane). */
    private void broadcast(List<Outgoing> group) {
        if (group.isEmpty()) {
            return;
        }
        byte[] update;
        if (group.size() == 1) {
            update = group.get(0).update;
        } else {
            List<byte[]> updates = new ArrayList<>(group.size());
            for (Outgoing o : group) {
                updates.add(o.update);
            }
            try {
                update = Updates.mergeUpdates(updates);
            } catch (RuntimeException e) {
                // every one of them applied, so this is not expected; they still go out one by one
                log.warn("cannot merge {} updates of document '{}'; sent one by one", group.size(), name, e);
                for (Outgoing o : group) {
                    broadcast(List.of(o));
                }
                return;
            }
        }
        for (DocumentHandle p : peers) {
            if (!madeAll(p, group)) {
                p.peer.sendUpdate(update);
            }
        }
        relay.stored(name, update);
        for (Outgoing o : group) {
            o.done.complete(null);
        }
    }

    private static boolean madeAll(DocumentHandle p, List<Outgoing> group) {
        for (Outgoing o : group) {
            if (o.from != p) {
                return false;
            }
        }
        return true;
    }

    /** A failed append fails the room and every update queued behind it (lane). */
    private void failOutbox(Outgoing first) {
        Throwable cause = first.appended.isCompletedExceptionally() ? first.appended.handle((v, e) -> e).join() : null;
        if (cause != null) {
            log.error("cannot store an update of document '{}'", name, cause);
        }
        fail("storage failed");
        ProtocolException e = new ProtocolException(ErrorCode.INTERNAL, "the update could not be stored");
        Outgoing o;
        while ((o = outbox.pollFirst()) != null) {
            o.done.completeExceptionally(e);
        }
    }

    /**
     * Merges the stored snapshot and updates into a new snapshot when the policy says so. The
     * snapshot is built from what the store holds, not from this node's document, so updates other
     * nodes stored that have not reached this node yet are never dropped.
     */
    private void maybeCompact() {
        if (compacting || !config.compaction().due(updatesSinceSnapshot, bytesSinceSnapshot, storedBytes - bytesSinceSnapshot)) {
            return;
        }
        // one at a time per node: documents opened together come due together, and two hundred
        // compactions at once held every append behind them for hundreds of milliseconds; a room
        // that finds the node busy tries again after its next broadcast
        if (!compactions.tryAcquire()) {
            return;
        }
        compacting = true;
        CompletionStage<StoredDocument> loading;
        try {
            loading = store.load(name);
        } catch (RuntimeException e) {
            compacting = false;
            compactions.release();
            log.warn("compaction of document '{}' could not start", name, e);
            return;
        }
        loading.thenApplyAsync(stored -> {
            Doc merged = new Doc();
            if (stored.snapshot() != null) {
                merged.applyUpdate(stored.snapshot());
            }
            for (StoredUpdate u : stored.updates()) {
                merged.applyUpdate(u.data());
            }
            // updates whose dependencies are not stored yet would be lost from a snapshot: wait
            return merged.hasPendingUpdates() ? null : new Object[] {merged.encodeStateAsUpdate(), stored};
        }, pool).thenCompose(r -> {
            if (r == null) {
                return CompletableFuture.completedFuture((Object[]) null);
            }
            StoredDocument stored = (StoredDocument) r[1];
            return store.compact(name, (byte[]) r[0], stored.lastSeq()).thenApply(ok -> ok ? r : null);
        }).whenCompleteAsync((r, err) -> {
            compacting = false;
            compactions.release();
            if (err != null) {
                log.warn("compaction of document '{}' failed; the updates stay as they are", name, err);
                return;
            }
            if (r != null) {
                StoredDocument stored = (StoredDocument) r[1];
                byte[] snapshot = (byte[]) r[0];
                // what was appended after the loaded state stays after the new snapshot
                long after = Math.max(0, bytesSinceSnapshot - stored.updateBytes());
                updatesSinceSnapshot = Math.max(0, updatesSinceSnapshot - stored.updateCount());
                bytesSinceSnapshot = after;
                storedBytes = snapshot.length + after;
                // appends during the compaction may already call for the next one
                maybeCompact();
            }
        }, lane);
    }

    /** Applies a peer's awareness update and relays it to the other peers (lane). */
    CompletionStage<Void> awareness(DocumentHandle from, byte[] update) {
        if (update.length > MAX_AWARENESS_UPDATE) {
            return CompletableFuture.failedFuture(new ProtocolException(ErrorCode.TOO_LARGE, "awareness update over " + MAX_AWARENESS_UPDATE + " bytes"));
        }
        lastAwarenessAdded.clear();
        lastAwarenessSet.clear();
        lastAwarenessRemoved.clear();
        try {
            awareness.applyUpdate(update, from);
        } catch (InvalidUpdateException e) {
            return CompletableFuture.failedFuture(new ProtocolException(ErrorCode.BAD_REQUEST, "invalid awareness update: " + e.getMessage()));
        }
        List<Long> added = new ArrayList<>(lastAwarenessAdded);
        if (from != null) {
            // the connection that last set a client's state owns it (a client that reconnected
            // before the server noticed its old connection died takes its state along)
            for (Long c : lastAwarenessSet) {
                for (DocumentHandle p : peers) {
                    if (p != from) {
                        p.awarenessClients.remove(c);
                    }
                }
                from.awarenessClients.add(c);
            }
            from.awarenessClients.removeAll(lastAwarenessRemoved);
            if (from.awarenessClients.size() > MAX_AWARENESS_CLIENTS_PER_PEER) {
                List<Long> excess = new ArrayList<>(added);
                awareness.removeStates(excess, from);
                from.awarenessClients.removeAll(excess);
                return CompletableFuture.failedFuture(new ProtocolException(ErrorCode.LIMIT_EXCEEDED,
                        "more than " + MAX_AWARENESS_CLIENTS_PER_PEER + " awareness clients on one connection"));
            }
        }
        for (DocumentHandle p : peers) {
            if (p != from) {
                p.peer.sendAwareness(update);
            }
        }
        if (from != null) {
            relay.awareness(name, update);
        }
        return CompletableFuture.completedFuture(null);
    }

    /**
     * An update another node stored: applied here and sent to this node's peers, not stored again
     * (lane). Updates that arrive before the document loaded are in the store it loads from.
     */
    void remoteUpdate(byte[] update) {
        if (failure != null || unloaded || !loaded.isDone()) {
            return;
        }
        changedByLastApply = false;
        try {
            doc.applyUpdate(update, "remote");
        } catch (InvalidUpdateException e) {
            log.warn("dropped an invalid update of document '{}' from another node", name, e);
            return;
        }
        if (!changedByLastApply && !doc.hasPendingUpdates()) {
            return;
        }
        storedBytes += update.length;
        for (DocumentHandle p : peers) {
            p.peer.sendUpdate(update);
        }
    }

    /** An awareness update from another node's peer (lane). */
    void remoteAwareness(byte[] update) {
        if (failure != null || unloaded || !loaded.isDone()) {
            return;
        }
        try {
            awareness.applyUpdate(update, "relay");
        } catch (InvalidUpdateException e) {
            log.warn("dropped an invalid awareness update of document '{}' from another node", name, e);
            return;
        }
        for (DocumentHandle p : peers) {
            p.peer.sendAwareness(update);
        }
    }

    /** Every known awareness state as one update, or {@code null} when there is none (lane). */
    CompletionStage<byte[]> awarenessStates() {
        List<Long> clients = new ArrayList<>(awareness.getStates().keySet());
        return CompletableFuture.completedFuture(clients.isEmpty() ? null : awareness.encodeUpdate(clients));
    }

    /** The current awareness states by client id (lane). */
    CompletionStage<Map<Long, Object>> awarenessMap() {
        return CompletableFuture.completedFuture(Map.copyOf(awareness.getStates()));
    }

    /** Drops outdated awareness states (lane). */
    void checkAwareness() {
        awareness.checkTimeouts();
    }

    /**
     * Unloads the room if it is still idle and everything is stored (lane); true when it did. After
     * this, every call fails and openers create a new room.
     */
    boolean unloadIfIdle(long idleNanos) {
        if (!peers.isEmpty() || !persisted.isDone() || compacting || System.nanoTime() - idleSinceNanos < idleNanos) {
            return false;
        }
        unloaded = true;
        relay.leave(name);
        return true;
    }

    /** Marks the room broken: peers are told and detached, the hub drops the room. */
    private void fail(String why) {
        failure = why;
        unloaded = true;
        for (DocumentHandle p : peers) {
            p.peer.detached("document '" + name + "' failed: " + why);
        }
        peers.clear();
        peerCount = 0;
    }
}
