package dev.chorus.client;

/** Where a {@link ClientSubscription} stands. */
public enum SubscriptionState {
    /** Waiting for the connection or for the subscribe reply (also after every reconnect). */
    SUBSCRIBING,
    /** Receiving publications. */
    SUBSCRIBED,
    /** Ended by {@link ClientSubscription#unsubscribe()} or by the server; it stays ended. */
    UNSUBSCRIBED,
    /** The server refused the subscribe (permissions, unknown namespace, ...); it stays failed. */
    FAILED
}
