package dev.chorus.protocol;

/**
 * Stable numeric error codes carried in error replies and error pushes. Codes never change meaning;
 * new ones are only added. {@code docs/protocol.md} lists each with when it is sent.
 */
public enum ErrorCode {
    /** Something failed inside the server; the request may be retried. */
    INTERNAL(100, "internal error", true),
    /** The connection is not authenticated: connect first, or the token was refused. */
    UNAUTHORIZED(101, "unauthorized", false),
    /** The channel's namespace is not declared. */
    UNKNOWN_NAMESPACE(102, "unknown namespace", false),
    /** The operation is not allowed for this client on this channel. */
    PERMISSION_DENIED(103, "permission denied", false),
    /** The {@code op} is not one this server knows. */
    UNKNOWN_OPERATION(104, "unknown operation", false),
    /** The client is already subscribed to the channel. */
    ALREADY_SUBSCRIBED(105, "already subscribed", false),
    /** A per-connection limit (subscriptions, in-flight requests, ...) was reached. */
    LIMIT_EXCEEDED(106, "limit exceeded", false),
    /** The frame could not be parsed or a field is missing or has the wrong type. */
    BAD_REQUEST(107, "bad request", false),
    /** The feature is turned off for this namespace (history, presence, ...). */
    NOT_AVAILABLE(108, "not available", false),
    /** The token has expired. */
    TOKEN_EXPIRED(109, "token expired", false),
    /** The client is not subscribed to the channel. */
    NOT_SUBSCRIBED(110, "not subscribed", false),
    /** The channel name is empty, too long or has characters outside the allowed set. */
    BAD_CHANNEL(111, "bad channel name", false),
    /** The frame or a field in it is larger than the server accepts. */
    TOO_LARGE(112, "too large", false),
    /** Published data does not match the namespace's JSON Schema. */
    SCHEMA_VIOLATION(113, "schema violation", false),
    /** No RPC handler is registered for the method. */
    METHOD_NOT_FOUND(114, "method not found", false),
    /** The client sends faster than the server allows. */
    TOO_MANY_REQUESTS(115, "too many requests", true),
    /** {@code connect} was sent twice on one connection. */
    ALREADY_CONNECTED(116, "already connected", false),
    /** A hook or an RPC handler refused the request with its own message. */
    REJECTED(117, "rejected", false),
    /** The server is shutting down; retry on another node. */
    SHUTTING_DOWN(118, "shutting down", true);

    private final int code;
    private final String defaultMessage;
    private final boolean temporary;

    ErrorCode(int code, String defaultMessage, boolean temporary) {
        this.code = code;
        this.defaultMessage = defaultMessage;
        this.temporary = temporary;
    }

    /** The number on the wire. */
    public int code() {
        return code;
    }

    /** A short default text, used when no more specific message is given. */
    public String defaultMessage() {
        return defaultMessage;
    }

    /** Whether retrying the same request later may succeed. */
    public boolean temporary() {
        return temporary;
    }

    /** The code for a wire number, or {@code null} when unknown. */
    public static ErrorCode of(int code) {
        for (ErrorCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return null;
    }
}
