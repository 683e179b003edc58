package dev.chorus.client;

import dev.chorus.protocol.ErrorCode;

/**
 * A failure reported by the client: an error reply of the server (with its {@code chorus/1} error
 * code, 100-118), a close of the connection (with its close code), or one of the client's own
 * codes below.
 */
public class ChorusException extends RuntimeException {
    /** The connection was lost before the request was answered (the request may or may not have run). */
    public static final int CONNECTION_LOST = 1;
    /** The client was disconnected or closed while the operation waited. */
    public static final int CLIENT_CLOSED = 2;
    /** No answer within {@link ClientOptions#requestTimeout()}. */
    public static final int TIMEOUT = 3;
    /** The server sent a frame the client cannot read (the frame was skipped). */
    public static final int MALFORMED_FRAME = 4;

    private final int code;

    public ChorusException(int code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ChorusException(int code, String message, Throwable cause) {
        super(message, cause, false, false);
        this.code = code;
    }

    /**
     * The server's error code (see {@link ErrorCode}), a WebSocket close code (1000-4999), or one of
     * this class's client codes (1-4).
     */
    public int code() {
        return code;
    }

    /** The protocol error code, or {@code null} when {@link #code()} is not one. */
    public ErrorCode errorCode() {
        return ErrorCode.of(code);
    }

    /** Whether trying again later may succeed. */
    public boolean temporary() {
        ErrorCode e = ErrorCode.of(code);
        if (e != null) {
            return e.temporary();
        }
        return code == CONNECTION_LOST || code == TIMEOUT;
    }

    @Override
    public String toString() {
        return "ChorusException[" + code + "]: " + getMessage();
    }
}
