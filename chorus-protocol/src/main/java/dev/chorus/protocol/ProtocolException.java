package dev.chorus.protocol;

/**
 * A request that cannot be served, with the {@link ErrorCode} to answer it with. Thrown by codecs
 * for malformed frames (then {@link #requestId()} is the id when it could still be read, else 0)
 * and by the engine for refused requests.
 */
public class ProtocolException extends Exception {
    private final ErrorCode code;
    private final long requestId;

    public ProtocolException(ErrorCode code, String message) {
        this(code, message, 0);
    }

    public ProtocolException(ErrorCode code, String message, long requestId) {
        super(message == null ? code.defaultMessage() : message, null, false, false);
        this.code = code;
        this.requestId = requestId;
    }

    public ErrorCode code() {
        return code;
    }

    /** The id of the request this error answers, or 0 when it is not known. */
    public long requestId() {
        return requestId;
    }

    /** The same error bound to a request id. */
    public ProtocolException withRequestId(long id) {
        return new ProtocolException(code, getMessage(), id);
    }

    /** The error as it goes on the wire. */
    public ErrorInfo toErrorInfo() {
        return new ErrorInfo(code.code(), getMessage());
    }
}
