package dev.chorus.nats.internal;

/** A message from NATS that is not in the format this version writes; it is logged and dropped. */
public final class MalformedMessageException extends RuntimeException {
    public MalformedMessageException(String message) {
        super(message);
    }

    public MalformedMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
