package dev.chorus.redis;

/**
 * A Redis operation of the broker or the presence store failed: Redis unreachable, the
 * connection lost mid-command, no answer within the command timeout, or an error reply. The
 * message names the operation, the channel and the cause.
 */
public final class RedisBrokerException extends RuntimeException {
    private final boolean unavailable;

    RedisBrokerException(String message, Throwable cause, boolean unavailable) {
        super(message, cause);
        this.unavailable = unavailable;
    }

    /**
     * {@code true} when Redis could not be reached or the connection was lost (retry later; a
     * publish that was in flight may or may not have happened, so retry it with an idempotency
     * key); {@code false} for an error Redis answered.
     */
    public boolean unavailable() {
        return unavailable;
    }
}
