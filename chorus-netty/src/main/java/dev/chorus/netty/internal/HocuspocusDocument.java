package dev.chorus.netty.internal;

import dev.chorus.core.documents.DocumentHandle;
import dev.chorus.core.documents.DocumentHub;
import dev.chorus.core.documents.DocumentPeer;
import dev.chorus.core.documents.YMessages;
import dev.chorus.protocol.CloseCode;
import dev.chorus.protocol.ErrorCode;
import dev.chorus.protocol.ProtocolException;
import dev.chorus.yjs.lib0.Lib0Reader;
import java.util.ArrayDeque;

/**
 * One document of a Hocuspocus socket, under the key the provider uses (the document name, or
 * {@code name\0session} with {@code sessionAwareness}). Messages that come before the document is
 * authenticated and open wait here in order. Once open: sync step 1 is answered with step 2 and
 * the server's step 1; every step 2 or update is acknowledged with SyncStatus (1 applied, 0
 * refused: read-only), awareness is relayed, stateless payloads go to the document's other
 * Hocuspocus connections. Loop-only state, except the {@link DocumentPeer} calls.
 */
final class HocuspocusDocument implements DocumentPeer {
    enum State { AWAITING_AUTH, OPENING, OPEN, CLOSED }

    final String key;
    final String name;
    private final HocuspocusSocketHandler socket;
    private final StatelessRelay relay;
    State state = State.AWAITING_AUTH;
    private boolean readOnly;
    private DocumentHandle handle;
    /** Whole frames received before the document was open. */
    final ArrayDeque<byte[]> queued = new ArrayDeque<>();

    HocuspocusDocument(String key, String name, HocuspocusSocketHandler socket, StatelessRelay relay) {
        this.key = key;
        this.name = name;
        this.socket = socket;
        this.relay = relay;
    }

    /** The token was accepted: tells the provider and opens the document. */
    void authenticate(DocumentHub hub, boolean readOnly) {
        this.readOnly = readOnly;
        state = State.OPENING;
        socket.connection.write(HocuspocusFrames.authenticated(key, readOnly));
        hub.open(name, this, readOnly).whenComplete((h, err) -> socket.ctx.executor().execute(() -> opened(h, err)));
    }

    private void opened(DocumentHandle h, Throwable err) {
        if (state == State.CLOSED) {
            if (h != null) {
                h.leave();
            }
            return;
        }
        if (err != null) {
            Throwable cause = PendingResponse.unwrap(err);
            socket.connection.write(HocuspocusFrames.permissionDenied(key, "document cannot be opened: "
                    + (cause instanceof ProtocolException pe ? pe.getMessage() : "server error")));
            socket.forget(this);
            return;
        }
        handle = h;
        state = State.OPEN;
        relay.join(this);
        h.awarenessStates().whenComplete((states, e) -> {
            if (e == null && states != null) {
                socket.connection.write(YjsFrames.awareness(key, states));
            }
        });
        socket.drain(this);
    }

    /** A message of an open document; {@code in} stands after the message type. */
    void message(int type, Lib0Reader in) {
        switch (type) {
            case YMessages.SYNC, HocuspocusFrames.SYNC_REPLY -> sync(in, type == YMessages.SYNC);
            case YMessages.AWARENESS -> {
                byte[] update = in.readVarUint8Array();
                YMessages.end(in);
                handle.applyAwareness(update).whenComplete((v, e) -> {
                    if (e != null) {
                        socket.fail(e);
                    }
                });
            }
            case YMessages.QUERY_AWARENESS -> {
                YMessages.end(in);
                handle.awarenessStates().whenComplete((states, e) -> {
                    if (e != null) {
                        socket.fail(e);
                    } else {
                        socket.connection.write(states == null ? YjsFrames.emptyAwareness(key) : YjsFrames.awareness(key, states));
                    }
                });
            }
            case HocuspocusFrames.STATELESS -> {
                String payload = in.readVarString();
                YMessages.end(in);
                if (payload.length() > StatelessRelay.MAX_PAYLOAD) {
                    socket.connection.close(CloseCode.PROTOCOL_VIOLATION, "stateless payload longer than " + StatelessRelay.MAX_PAYLOAD);
                    return;
                }
                relay.relay(this, payload);
            }
            case HocuspocusFrames.BROADCAST_STATELESS ->
                    throw new IllegalArgumentException("BroadcastStateless (6) is server-internal; clients send Stateless (5)");
            case HocuspocusFrames.CLOSE -> {
                YMessages.end(in);
                socket.forget(this);
            }
            default -> throw new IllegalArgumentException("unknown message type " + type);
        }
    }

    private void sync(Lib0Reader in, boolean askBack) {
        int step = in.readVarUintAsInt();
        byte[] payload = in.readVarUint8Array();
        YMessages.end(in);
        switch (step) {
            case YMessages.STEP1 -> handle.missing(payload).thenCompose(diff -> {
                socket.connection.write(YjsFrames.sync(key, YMessages.STEP2, diff));
                // then the server's own step 1: the provider's answer to it is what SyncStatus acks first
                return askBack ? handle.stateVector() : java.util.concurrent.CompletableFuture.<byte[]>completedFuture(null);
            }).whenComplete((sv, e) -> {
                if (e != null) {
                    socket.fail(e);
                } else if (sv != null) {
                    socket.connection.write(YjsFrames.sync(key, YMessages.STEP1, sv));
                }
            });
            case YMessages.STEP2, YMessages.UPDATE -> write(payload);
            default -> throw new IllegalArgumentException("unknown sync message type " + step);
        }
    }

    private void write(byte[] update) {
        if (readOnly) {
            ReadOnlyWrites.changesNothing(handle, update, socket.ctx.executor()).whenComplete((same, e) -> {
                if (e != null) {
                    socket.fail(e);
                } else {
                    socket.connection.write(HocuspocusFrames.syncStatus(key, same));
                }
            });
            return;
        }
        if (YMessages.isEmptyUpdate(update)) {
            socket.connection.write(HocuspocusFrames.syncStatus(key, true));
            return;
        }
        handle.applyUpdate(update).whenComplete((v, e) -> {
            if (e == null) {
                socket.connection.write(HocuspocusFrames.syncStatus(key, true));
            } else if (PendingResponse.unwrap(e) instanceof ProtocolException pe && pe.code() == ErrorCode.PERMISSION_DENIED) {
                socket.connection.write(HocuspocusFrames.syncStatus(key, false));
            } else {
                socket.fail(e);
            }
        });
    }

    /** Leaves the document (the socket closed, or the provider sent Close). */
    void close() {
        State was = state;
        state = State.CLOSED;
        queued.clear();
        if (was == State.OPEN) {
            relay.leave(this);
            handle.leave();
        }
    }

    void sendStateless(String payload) {
        socket.connection.write(HocuspocusFrames.stateless(key, payload));
    }

    // ------------------------------------------------------------ DocumentPeer (the document's thread)

    @Override
    public java.util.concurrent.Executor executor() {
        return socket.ctx.executor();
    }

    @Override
    public void sendUpdate(byte[] update) {
        socket.connection.write(YjsFrames.update(key, update));
    }

    @Override
    public void sendAwareness(byte[] awarenessUpdate) {
        socket.connection.write(YjsFrames.awareness(key, awarenessUpdate));
    }

    @Override
    public void detached(String reason) {
        socket.connection.close(CloseCode.INTERNAL, reason);
    }
}
