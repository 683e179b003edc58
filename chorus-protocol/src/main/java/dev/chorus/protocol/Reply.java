package dev.chorus.protocol;

/**
 * The answer to a request with an id: {@code {"id": 3, "result": {...}}} or
 * {@code {"id": 3, "error": {"code": 103, "message": "..."}}}. Exactly one of {@code result} and
 * {@code error} is set.
 */
public record Reply(long id, Result result, ErrorInfo error) {
    public Reply {
        if ((result == null) == (error == null)) {
            throw new IllegalArgumentException("exactly one of result and error must be set");
        }
    }

    public static Reply ok(long id, Result result) {
        return new Reply(id, result, null);
    }

    public static Reply error(long id, ErrorInfo error) {
        return new Reply(id, null, error);
    }

    public static Reply error(long id, ErrorCode code, String message) {
        return new Reply(id, null, ErrorInfo.of(code, message));
    }
}
