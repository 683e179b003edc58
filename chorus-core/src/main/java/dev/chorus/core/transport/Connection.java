package dev.chorus.core.transport;

import dev.chorus.protocol.CloseCode;
import dev.chorus.protocol.Format;

/**
 * One client connection as the engine sees it; implemented by a transport.
 *
 * <p>{@link #write} may be called from any thread and never blocks: frames are queued in order and
 * flushed in batches. The transport counts queued bytes; when they pass the configured outbound
 * limit it closes the connection with {@link CloseCode#SLOW_CONSUMER} by itself.
 */
public interface Connection {

    /** The encoding negotiated for this connection. */
    Format format();

    /** The client's address, for logs and hooks. */
    String remoteAddress();

    /**
     * Queues one encoded frame. The array is not copied and must not be modified afterwards; the
     * same array may be queued on many connections (a publication is encoded once for all).
     * Ignored once the connection is closing.
     */
    void write(byte[] frame);

    /** Closes the connection with a close code and a short reason (at most 120 bytes of UTF-8). */
    void close(CloseCode code, String reason);

    /** Whether the connection is still open. */
    boolean isOpen();
}
