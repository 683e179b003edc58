package dev.chorus.netty.internal;

import dev.chorus.core.config.ChorusConfig;
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
 * One y-websocket client of one document ({@code /yjs/<room>}). On open the server sends sync step
 * 1 and the awareness states it knows; it answers the client's step 1 with step 2 (once durable),
 * applies the client's step 2 and updates, relays awareness and answers query-awareness. A
 * read-only client's writes are refused with y-protocols' permission-denied auth message and change
 * nothing; a malformed message closes this connection with 4003.
 */
final class YjsSocketHandler extends DocumentSocketHandler implements DocumentPeer {
    /** Messages a client may send before its document is open; more is a protocol violation. */
    static final int MAX_EARLY_MESSAGES = 256;

    private final DocumentHub hub;
    private final String room;
    private final boolean readOnly;
    /** Loop only. */
    private DocumentHandle handle;
    private ArrayDeque<byte[]> early = new ArrayDeque<>();
    private long earlyBytes;
    private boolean gone;

    YjsSocketHandler(ChorusConfig config, LoopBatches batches, DocumentHub hub, String room, boolean readOnly) {
        super(config, batches);
        this.hub = hub;
        this.room = room;
        this.readOnly = readOnly;
    }

    @Override
    protected void opened() {
        hub.open(room, this, readOnly).whenComplete((h, err) -> ctx.executor().execute(() -> attached(h, err)));
    }

    private void attached(DocumentHandle h, Throwable err) {
        if (err != null) {
            // a bad name is the client's fault; anything else (too many documents loaded, storage) is not
            Throwable cause = PendingResponse.unwrap(err);
            if (cause instanceof ProtocolException pe && pe.code() != ErrorCode.BAD_REQUEST) {
                connection.close(CloseCode.INTERNAL, pe.getMessage());
            } else {
                fail(err);
            }
            return;
        }
        if (gone) {
            h.leave();
            return;
        }
        handle = h;
        h.stateVector().whenComplete((sv, e) -> {
            if (e != null) {
                fail(e);
            } else {
                connection.write(YjsFrames.sync(null, YMessages.STEP1, sv));
            }
        });
        sendAwarenessStates();
        ArrayDeque<byte[]> queued = early;
        early = null;
        for (byte[] m : queued) {
            if (connection.isOpen()) {
                handle(m);
            }
        }
    }

    private void sendAwarenessStates() {
        handle.awarenessStates().whenComplete((states, e) -> {
            if (e != null) {
                fail(e);
            } else {
                connection.write(states == null ? YjsFrames.emptyAwareness(null) : YjsFrames.awareness(null, states));
            }
        });
    }

    @Override
    protected void message(byte[] data) {
        if (handle != null) {
            handle(data);
            return;
        }
        earlyBytes += data.length;
        if (early.size() >= MAX_EARLY_MESSAGES || earlyBytes > frameLimit(config)) {
            connection.close(CloseCode.PROTOCOL_VIOLATION, "too many messages before the document was open");
            return;
        }
        early.add(data);
    }

    private void handle(byte[] data) {
        Lib0Reader in = new Lib0Reader(data);
        try {
            int type = in.readVarUintAsInt();
            switch (type) {
                case YMessages.SYNC -> sync(in);
                case YMessages.AWARENESS -> {
                    byte[] update = in.readVarUint8Array();
                    YMessages.end(in);
                    handle.applyAwareness(update).whenComplete((v, e) -> {
                        if (e != null) {
                            fail(e);
                        }
                    });
                }
                case YMessages.QUERY_AWARENESS -> {
                    YMessages.end(in);
                    sendAwarenessStates();
                }
                // auth messages go from server to client; one from a client asks for nothing
                case YMessages.AUTH -> {
                }
                default -> malformed("unknown message type " + type);
            }
        } catch (IllegalArgumentException e) {
            malformed(e.getMessage());
        }
    }

    private void sync(Lib0Reader in) {
        int step = in.readVarUintAsInt();
        byte[] payload = in.readVarUint8Array();
        YMessages.end(in);
        switch (step) {
            case YMessages.STEP1 -> handle.missing(payload).whenComplete((diff, e) -> {
                if (e != null) {
                    fail(e);
                } else {
                    connection.write(YjsFrames.sync(null, YMessages.STEP2, diff));
                }
            });
            case YMessages.STEP2, YMessages.UPDATE -> write(payload);
            default -> malformed("unknown sync message type " + step);
        }
    }

    private void write(byte[] update) {
        if (readOnly) {
            ReadOnlyWrites.changesNothing(handle, update, ctx.executor()).whenComplete((same, e) -> {
                if (e != null) {
                    fail(e);
                } else if (!same) {
                    denied();
                }
            });
            return;
        }
        if (YMessages.isEmptyUpdate(update)) {
            return;
        }
        handle.applyUpdate(update).whenComplete((v, e) -> {
            if (e == null) {
                return;
            }
            if (PendingResponse.unwrap(e) instanceof ProtocolException pe && pe.code() == ErrorCode.PERMISSION_DENIED) {
                denied();
            } else {
                fail(e);
            }
        });
    }

    private void denied() {
        connection.write(YMessages.permissionDenied("read-only access to document '" + room + "': the update was not applied"));
    }

    @Override
    protected void keepAlive() {
        connection.write(YjsFrames.emptyAwareness(null));
    }

    @Override
    protected void closed() {
        gone = true;
        if (handle != null) {
            handle.leave();
        }
    }

    // ------------------------------------------------------------ DocumentPeer (the document's thread)

    @Override
    public java.util.concurrent.Executor executor() {
        return ctx.executor();
    }

    @Override
    public void sendUpdate(byte[] update) {
        connection.write(YjsFrames.update(null, update));
    }

    @Override
    public void sendAwareness(byte[] awarenessUpdate) {
        connection.write(YjsFrames.awareness(null, awarenessUpdate));
    }

    @Override
    public void detached(String reason) {
        connection.close(CloseCode.INTERNAL, reason);
    }
}
