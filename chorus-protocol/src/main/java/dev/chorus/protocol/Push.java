package dev.chorus.protocol;

/**
 * A server-to-client frame that answers no request: {@code {"push": "<type>", ...}}.
 * {@link #type()} is the wire name.
 */
public sealed interface Push {

    String type();

    /** {@code pub}: a publication in a subscribed channel. */
    record Pub(String channel, Publication pub) implements Push {
        public String type() {
            return "pub";
        }
    }

    /** {@code join}: a client subscribed to a channel with presence (needs {@code joinLeave}). */
    record Join(String channel, ClientInfo info) implements Push {
        public String type() {
            return "join";
        }
    }

    /** {@code leave}: a client left a channel, or was removed after its heartbeat timeout. */
    record Leave(String channel, ClientInfo info) implements Push {
        public String type() {
            return "leave";
        }
    }

    /** {@code presence}: a client changed its presence state (needs {@code joinLeave}). */
    record PresenceChange(String channel, ClientInfo info) implements Push {
        public String type() {
            return "presence";
        }
    }

    /** {@code signal}: an ephemeral message from another client. */
    record Signal(String channel, String key, Payload data, ClientInfo info) implements Push {
        public String type() {
            return "signal";
        }
    }

    /**
     * {@code unsub}: the server ended a subscription.
     *
     * @param resubscribe whether the client should subscribe again (with its last position)
     */
    record Unsubscribed(String channel, int code, String reason, boolean resubscribe) implements Push {
        public String type() {
            return "unsub";
        }
    }

    /** {@code doc}: a y-protocols message for an open document (base64 {@code data}). */
    record Doc(String doc, byte[] data) implements Push {
        public String type() {
            return "doc";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Doc d && d.doc.equals(doc) && java.util.Arrays.equals(d.data, data);
        }

        @Override
        public int hashCode() {
            return doc.hashCode() * 31 + java.util.Arrays.hashCode(data);
        }
    }

    /** {@code ping}: the server checks the client is alive; answer with {@code {"op":"pong"}}. */
    record Ping() implements Push {
        public static final Ping INSTANCE = new Ping();

        public String type() {
            return "ping";
        }
    }

    /** {@code error}: an error that answers no request with a known id (e.g. an unparseable frame). */
    record Error(ErrorInfo error) implements Push {
        public String type() {
            return "error";
        }
    }
}
