package dev.chorus.protocol;

import java.util.Objects;

/** An error as carried on the wire: {@code {"code": 103, "message": "permission denied"}}. */
public record ErrorInfo(int code, String message) {
    public ErrorInfo {
        Objects.requireNonNull(message, "message");
    }

    public static ErrorInfo of(ErrorCode code, String message) {
        return new ErrorInfo(code.code(), message == null ? code.defaultMessage() : message);
    }
}
