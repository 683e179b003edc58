package dev.chorus.core.transport;

/**
 * Receives what arrives on one {@link Connection}. A transport calls these methods from one thread
 * at a time per connection (its event loop), in arrival order; they must not block.
 */
public interface InboundHandler {

    /** One complete message (WebSocket text or binary frame, already reassembled and inflated). */
    void onFrame(byte[] data, boolean binary);

    /**
     * A message larger than the frame limit arrived and was discarded (only its size is known). The
     * handler answers with an error and counts a violation.
     */
    void onOversizedFrame(long size);

    /**
     * The transport is closing this connection as a slow consumer (its outbound queue went over the
     * limit); called once, before {@link #onClose()}. For metrics; must not write.
     */
    default void onSlowConsumer() {
    }

    /** The connection closed, for whatever reason. Called exactly once. */
    void onClose();
}
