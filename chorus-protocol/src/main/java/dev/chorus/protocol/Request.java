package dev.chorus.protocol;

/**
 * A client-to-server frame. Every request but {@link Pong} carries a positive {@code id} that the
 * {@link Reply} repeats; a request with id 0 is fire-and-forget where the op allows it
 * ({@code signal}, {@code presence_update}, {@code publish} without key) and gets no reply.
 *
 * <p>{@link #op()} is the wire name of the operation.
 */
public sealed interface Request {

    /** The request id, or 0 for none. */
    long id();

    /** The operation's wire name. */
    String op();

    /** {@code connect}: authenticate (token) or connect anonymously. Must be the first request. */
    record Connect(long id, String token, String name, String version) implements Request {
        public String op() {
            return "connect";
        }
    }

    /**
     * {@code subscribe}: receive the channel's publications from now on, or, with {@code since},
     * everything after that position first.
     *
     * @param since     last position the client has seen, or {@code null}
     * @param presence  also return the channel's current presence in the reply
     * @param joinLeave receive {@code join}/{@code leave}/{@code presence} pushes for the channel
     * @param token     a subscription token for the channel (needed in private namespaces), or {@code null}
     */
    record Subscribe(long id, String channel, StreamPosition since, boolean presence, boolean joinLeave, String token)
            implements Request {
        /** A subscribe without a subscription token. */
        public Subscribe(long id, String channel, StreamPosition since, boolean presence, boolean joinLeave) {
            this(id, channel, since, presence, joinLeave, null);
        }

        public String op() {
            return "subscribe";
        }
    }

    /** {@code unsubscribe}: stop receiving a channel. */
    record Unsubscribe(long id, String channel) implements Request {
        public String op() {
            return "unsubscribe";
        }
    }

    /**
     * {@code publish}: store and deliver data to the channel's subscribers.
     *
     * @param key optional idempotency key: a retry with the same key within the window is answered
     *            with the first result and not published again
     */
    record Publish(long id, String channel, Payload data, String key) implements Request {
        public String op() {
            return "publish";
        }
    }

    /**
     * {@code history}: read stored publications.
     *
     * @param since   return publications after this position ({@code null}: from the oldest kept,
     *                or, with {@code reverse}, from the newest)
     * @param limit   at most this many ({@code -1}: as many as the server allows; {@code 0}: none, only the
     *                current position)
     * @param reverse newest first
     */
    record History(long id, String channel, StreamPosition since, int limit, boolean reverse) implements Request {
        public String op() {
            return "history";
        }
    }

    /** {@code presence}: list the clients present in a channel with their state. */
    record Presence(long id, String channel) implements Request {
        public String op() {
            return "presence";
        }
    }

    /** {@code presence_stats}: count clients and unique users present in a channel. */
    record PresenceStats(long id, String channel) implements Request {
        public String op() {
            return "presence_stats";
        }
    }

    /** {@code presence_update}: set this client's presence state in a channel it is subscribed to. */
    record PresenceUpdate(long id, String channel, Payload state) implements Request {
        public String op() {
            return "presence_update";
        }
    }

    /**
     * {@code signal}: an ephemeral message (cursor, typing indicator) to the channel's subscribers.
     * Not stored; coalesced per sender, channel and key to the namespace's rate, the last value
     * always delivered.
     */
    record Signal(long id, String channel, String key, Payload data) implements Request {
        public String op() {
            return "signal";
        }
    }

    /** {@code rpc}: call a method registered by the application. */
    record Rpc(long id, String method, Payload data) implements Request {
        public String op() {
            return "rpc";
        }
    }

    /**
     * {@code refresh}: replace the connection's token with a fresh one (same user) before it
     * expires; the reply says when the new one expires.
     */
    record Refresh(long id, String token) implements Request {
        public String op() {
            return "refresh";
        }
    }

    /**
     * {@code doc_open}: attach to a collaborative document. The server then pushes y-protocols
     * messages ({@code doc} pushes): its sync step 1 and the known awareness states.
     *
     * @param readOnly ask for read access only (writes are then refused)
     */
    record DocOpen(long id, String doc, boolean readOnly) implements Request {
        public String op() {
            return "doc_open";
        }
    }

    /**
     * {@code doc}: one y-protocols message for an open document, exactly as y-websocket frames it
     * (sync step 1 / step 2 / update, awareness, query-awareness), base64 in {@code data}.
     */
    record Doc(long id, String doc, byte[] data) implements Request {
        public String op() {
            return "doc";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Doc d && d.id == id && d.doc.equals(doc) && java.util.Arrays.equals(d.data, data);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(id, doc) * 31 + java.util.Arrays.hashCode(data);
        }
    }

    /** {@code doc_close}: detach from a document (its awareness states are removed). */
    record DocClose(long id, String doc) implements Request {
        public String op() {
            return "doc_close";
        }
    }

    /** {@code ping}: the client checks the connection; the reply is empty. */
    record Ping(long id) implements Request {
        public String op() {
            return "ping";
        }
    }

    /** {@code pong}: the answer to the server's {@code ping} push; has no id and gets no reply. */
    record Pong() implements Request {
        public long id() {
            return 0;
        }

        public String op() {
            return "pong";
        }
    }
}
