package dev.chorus.client;

import dev.chorus.protocol.ClientInfo;
import dev.chorus.protocol.Payload;
import dev.chorus.protocol.Publication;
import dev.chorus.protocol.StreamPosition;

/**
 * Events of one subscription, called on the client thread. Extend {@link SubscriptionAdapter} to
 * implement only some.
 *
 * <p>Publications with a position arrive in offset order and each at most once, also across
 * reconnects; whenever that chain breaks (the server could not recover what was missed, the
 * channel's epoch changed) {@link #onResync} is called instead, and the application must reload
 * the channel's state from its source of truth.
 */
public interface SubscriptionListener {

    /** A subscribe or resubscribe succeeded (before the recovered publications are delivered). */
    void onSubscribed(SubscribedEvent event);

    /** A publication: first the recovered ones, then live ones. */
    void onPublication(Publication publication);

    /**
     * Publications may have been missed: reload the state. Called when a resubscribe came back
     * with {@code recovered: false} (history lost or too short, the epoch changed, no history in
     * the namespace), or when a live publication shows a new epoch. Delivery goes on from
     * {@code newPosition}.
     */
    void onResync(StreamPosition newPosition);

    /** A client joined the channel's presence (needs {@link SubscribeOptions#joinLeave()}). */
    void onJoin(ClientInfo info);

    /** A client left the channel's presence (needs {@link SubscribeOptions#joinLeave()}). */
    void onLeave(ClientInfo info);

    /** A client changed its presence state (needs {@link SubscribeOptions#joinLeave()}). */
    void onPresence(ClientInfo info);

    /** Another client's signal (cursor, typing, ...). */
    void onSignal(String key, Payload data, ClientInfo from);

    /** The subscription ended for good (by the server, code 4101, or by {@link ClientSubscription#unsubscribe()}, code 0). */
    void onUnsubscribed(int code, String reason);

    /** The subscribe was refused (the subscription is then {@link SubscriptionState#FAILED}) or a request of it failed. */
    void onError(ChorusException error);
}
