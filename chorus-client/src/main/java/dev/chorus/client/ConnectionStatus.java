package dev.chorus.client;

/** Where a {@link ChorusClient}'s connection stands, for a status indicator in the UI. */
public enum ConnectionStatus {
    /** The first connection attempt after {@link ChorusClient#connect()} is under way. */
    CONNECTING,
    /** The server answered {@code connect}: requests flow. */
    CONNECTED,
    /** The connection was lost; the client waits for its reconnect delay or is connecting again. */
    RECONNECTING,
    /**
     * Not connected and not trying: before {@link ChorusClient#connect()}, after
     * {@link ChorusClient#disconnect()}, or after a close code that forbids reconnecting
     * (4003, 4005, 4007, 1009, 1000 from the server).
     */
    DISCONNECTED
}
