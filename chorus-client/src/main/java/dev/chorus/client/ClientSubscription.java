package dev.chorus.client;

import dev.chorus.protocol.ClientInfo;
import dev.chorus.protocol.StreamPosition;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One channel subscription of a {@link ChorusClient}. It lives across reconnects: after each one
 * the client subscribes again from {@link #position()} and either delivers what was missed or calls
 * {@link SubscriptionListener#onResync}.
 */
public interface ClientSubscription {

    String channel();

    SubscriptionState state();

    /** The last position delivered (the subscribe reply's, then each publication's), or {@code null} before the first subscribe. */
    StreamPosition position();

    /** Completes with the first successful subscribe, or fails when the server refuses it. */
    CompletableFuture<SubscribedEvent> ready();

    /**
     * Who is present, by client id, as learned from the subscribe reply and the join / leave /
     * presence events (empty without {@link SubscribeOptions#joinLeave()}). A snapshot.
     */
    Map<String, ClientInfo> members();

    /** Asks the server who is present. */
    CompletableFuture<Map<String, ClientInfo>> presence();

    CompletableFuture<PresenceStats> presenceStats();

    /**
     * Sets this client's presence state in the channel (any JSON value; a {@link dev.chorus.protocol.Payload}
     * or anything Jackson maps). The state is kept and set again after every resubscribe. The
     * future completes with the clock the server gave it.
     */
    CompletableFuture<Long> setPresence(Object state);

    /**
     * Sends an ephemeral signal to the other subscribers, throttled per key to
     * {@link ClientOptions#signalRate()} with a trailing edge: the first goes out at once, later
     * ones within the interval replace each other and the last is sent when it ends, so the last
     * value given is always the last value sent. Dropped while not subscribed.
     */
    void signal(String key, Object data);

    /** Publishes to this channel; see {@link ChorusClient#publish(String, Object)}. */
    CompletableFuture<StreamPosition> publish(Object data);

    /** Reads this channel's history. */
    CompletableFuture<HistoryResult> history(HistoryOptions options);

    /** Ends the subscription (and this client's presence in the channel). */
    CompletableFuture<Void> unsubscribe();
}
