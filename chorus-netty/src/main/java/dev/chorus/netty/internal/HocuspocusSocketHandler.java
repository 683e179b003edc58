package dev.chorus.netty.internal;

import dev.chorus.core.config.ChorusConfig;
import dev.chorus.core.documents.DocumentHub;
import dev.chorus.core.documents.YMessages;
import dev.chorus.protocol.CloseCode;
import dev.chorus.yjs.lib0.Lib0Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

/**
 * One {@code @hocuspocus/provider} socket ({@code /hocuspocus}): several documents multiplexed by
 * the name each message starts with. A document opens with the provider's Auth message: its token
 * is checked by {@link DocumentAccess} and answered with Authenticated (scope {@code read-write} or
 * {@code readonly}) or PermissionDenied (the socket stays open for its other documents). Messages
 * before that wait, within limits. The server pings (type 9) every few seconds; the provider
 * answers with a pong (10). A malformed message closes the socket with 4003.
 */
final class HocuspocusSocketHandler extends DocumentSocketHandler {
    /** Documents one socket may have authenticated at once. */
    static final int MAX_DOCUMENTS = 64;
    /** Documents with messages but no Auth yet. */
    static final int MAX_PENDING_DOCUMENTS = 16;
    /** Messages waiting for their document to open, over all documents of the socket. */
    static final int MAX_QUEUED_MESSAGES = 256;

    private final DocumentHub hub;
    private final DocumentAccess access;
    private final StatelessRelay relay;
    /** Loop only, by the key the provider sends. */
    private final Map<String, HocuspocusDocument> documents = new HashMap<>();
    private int queuedMessages;
    private long queuedBytes;

    HocuspocusSocketHandler(ChorusConfig config, LoopBatches batches, DocumentHub hub, DocumentAccess access, StatelessRelay relay) {
        super(config, batches);
        this.hub = hub;
        this.access = access;
        this.relay = relay;
    }

    @Override
    protected void opened() {
        // the provider speaks first (Auth for each document)
    }

    @Override
    protected void message(byte[] data) {
        if (data.length == 1 && (data[0] == HocuspocusFrames.PONG || data[0] == HocuspocusFrames.PING)) {
            if (data[0] == HocuspocusFrames.PING) {
                connection.write(HocuspocusFrames.PONG_FRAME);
            }
            return;
        }
        try {
            Lib0Reader in = new Lib0Reader(data);
            String key = in.readVarString();
            int type = in.readVarUintAsInt();
            int sep = key.indexOf('\0');
            String name = sep < 0 ? key : key.substring(0, sep);
            HocuspocusDocument d = documents.get(key);
            if (type == HocuspocusFrames.AUTH) {
                auth(key, name, d, in);
                return;
            }
            if (d != null && d.state == HocuspocusDocument.State.OPEN) {
                d.message(type, in);
                return;
            }
            if (d == null) {
                if (pendingCount() >= MAX_PENDING_DOCUMENTS) {
                    connection.close(CloseCode.PROTOCOL_VIOLATION, "messages for more than " + MAX_PENDING_DOCUMENTS
                            + " documents without Auth");
                    return;
                }
                d = new HocuspocusDocument(key, name, this, relay);
                documents.put(key, d);
            }
            queuedMessages++;
            queuedBytes += data.length;
            if (queuedMessages > MAX_QUEUED_MESSAGES || queuedBytes > frameLimit(config)) {
                connection.close(CloseCode.PROTOCOL_VIOLATION, "too many messages before their documents were open");
                return;
            }
            d.queued.add(data);
        } catch (IllegalArgumentException e) {
            malformed(e.getMessage());
        }
    }

    private void auth(String key, String name, HocuspocusDocument d, Lib0Reader in) {
        int sub = in.readVarUintAsInt();
        if (sub != HocuspocusFrames.AUTH_TOKEN) {
            throw new IllegalArgumentException("auth message of type " + sub + " from a client (only 0, token, is sent by clients)");
        }
        String token = in.readVarString();
        if (in.hasRemaining()) {
            in.readVarString(); // the provider's version
        }
        YMessages.end(in);
        if (d != null && d.state != HocuspocusDocument.State.AWAITING_AUTH) {
            // a token refresh for a document already open: access was decided when it opened
            return;
        }
        DocumentAccess.Decision decision = access.decide(token, name);
        String refusal = decision.granted() ? null : decision.message();
        if (refusal == null && openCount() >= MAX_DOCUMENTS) {
            refusal = "more than " + MAX_DOCUMENTS + " documents on one connection";
        }
        if (refusal != null) {
            connection.write(HocuspocusFrames.permissionDenied(key, refusal));
            if (d != null) {
                forget(d);
            }
            return;
        }
        if (d == null) {
            d = new HocuspocusDocument(key, name, this, relay);
            documents.put(key, d);
        }
        d.authenticate(hub, !decision.write());
    }

    private int pendingCount() {
        int n = 0;
        for (HocuspocusDocument d : documents.values()) {
            n += d.state == HocuspocusDocument.State.AWAITING_AUTH ? 1 : 0;
        }
        return n;
    }

    private int openCount() {
        return documents.size() - pendingCount();
    }

    /** Handles the messages that waited for {@code d} to open, in order. */
    void drain(HocuspocusDocument d) {
        while (!d.queued.isEmpty() && connection.isOpen() && d.state == HocuspocusDocument.State.OPEN) {
            byte[] m = d.queued.poll();
            queuedMessages--;
            queuedBytes -= m.length;
            message(m);
        }
    }

    /** Drops a document from this socket (Close from the provider, refused or failed open). */
    void forget(HocuspocusDocument d) {
        if (documents.get(d.key) == d) {
            documents.remove(d.key);
        }
        queuedMessages -= d.queued.size();
        for (byte[] m : d.queued) {
            queuedBytes -= m.length;
        }
        d.close();
    }

    @Override
    protected void keepAlive() {
        connection.write(HocuspocusFrames.PING_FRAME);
    }

    @Override
    protected void closed() {
        for (HocuspocusDocument d : new ArrayList<>(documents.values())) {
            d.close();
        }
        documents.clear();
    }
}
