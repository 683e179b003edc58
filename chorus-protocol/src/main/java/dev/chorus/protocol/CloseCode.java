package dev.chorus.protocol;

/**
 * WebSocket close codes the server uses (4000-4999 is the range RFC 6455 leaves to applications),
 * each saying whether the client should reconnect. {@code docs/protocol.md} lists them.
 */
public enum CloseCode {
    /** Normal closure requested by the client or after {@code disconnect}. */
    NORMAL(1000, false),
    /** A frame exceeded the hard size limit (standard WebSocket code "message too big"). */
    MESSAGE_TOO_BIG(1009, false),
    /** The server is shutting down or restarting: reconnect, preferably to another node. */
    SHUTDOWN(4000, true),
    /** No frame (in particular no {@code pong}) arrived within the heartbeat timeout. */
    NO_PONG(4001, true),
    /** The client did not read fast enough and its outbound queue passed the byte limit. */
    SLOW_CONSUMER(4002, true),
    /** Too many protocol violations (malformed frames, bad requests) on this connection. */
    PROTOCOL_VIOLATION(4003, false),
    /** No {@code connect} arrived within the connect timeout. */
    CONNECT_TIMEOUT(4004, true),
    /** The connect request was refused (bad token, rejected by a hook). */
    UNAUTHORIZED(4005, false),
    /** The token expired and was not refreshed. */
    TOKEN_EXPIRED(4006, true),
    /** The server (an administrator or the embedding application) disconnected this client. */
    DISCONNECTED(4007, false),
    /** An unexpected server error; reconnecting is safe. */
    INTERNAL(4008, true);

    private final int code;
    private final boolean reconnect;

    CloseCode(int code, boolean reconnect) {
        this.code = code;
        this.reconnect = reconnect;
    }

    /** The number in the WebSocket close frame. */
    public int code() {
        return code;
    }

    /** Whether a client should reconnect after this close. */
    public boolean reconnect() {
        return reconnect;
    }

    /** The code for a wire number, or {@code null} when unknown. */
    public static CloseCode of(int code) {
        for (CloseCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return null;
    }
}
