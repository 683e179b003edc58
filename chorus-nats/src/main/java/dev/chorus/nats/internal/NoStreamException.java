package dev.chorus.nats.internal;

/** No JetStream stream captured the subject (the stream was deleted, or JetStream lost it). */
public final class NoStreamException extends RuntimeException {
    public NoStreamException(String message) {
        super(message);
    }
}
