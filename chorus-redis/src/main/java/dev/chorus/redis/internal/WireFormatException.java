package dev.chorus.redis.internal;

/** A message or stored value that is not in the {@link WireFormat}. */
public final class WireFormatException extends Exception {
    public WireFormatException(String message) {
        super(message);
    }
}
