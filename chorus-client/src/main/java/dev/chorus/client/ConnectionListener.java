package dev.chorus.client;

/**
 * Events of a client's connection, called on the client thread in the order they happen. Extend
 * {@link ConnectionAdapter} to implement only some.
 */
public interface ConnectionListener {

    /** The status changed (never called with {@code previous == current}). */
    void onStatusChanged(ConnectionStatus previous, ConnectionStatus current);

    /** The server accepted {@code connect}; subscriptions are being restored. */
    void onConnected(ConnectionInfo info);

    /** A connection (or a connection attempt) ended. */
    void onDisconnected(DisconnectInfo info);

    /**
     * Something went wrong that concerns no single request: an unreadable server frame (skipped),
     * an {@code error} push, a failed token refresh or token supplier.
     */
    void onError(ChorusException error);
}
