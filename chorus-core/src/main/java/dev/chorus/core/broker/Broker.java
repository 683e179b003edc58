package dev.chorus.core.broker;

import dev.chorus.protocol.ClientInfo;
import dev.chorus.protocol.Payload;
import java.util.concurrent.CompletionStage;

/**
 * Carries publications and channel events between the nodes of a Chorus cluster and keeps each
 * channel's history. A broker never sees client connections: it delivers to the
 * {@link BrokerEventHandler} given to {@link #start}, and the engine fans out to its clients.
 *
 * <p>Contract (checked by {@code BrokerContract} in {@code chorus-testkit}):
 * <ul>
 *   <li>{@link #publish} appends to the channel's history and delivers to the nodes subscribed to
 *       the channel <em>atomically per channel</em>: offsets increase by one per publication
 *       without gaps, and every node receives a channel's publications in offset order.</li>
 *   <li>The handler receives a publication only after it is in history, so a node that reads
 *       history after subscribing misses nothing.</li>
 *   <li>A publish with an idempotency key already used in the channel within
 *       {@link PublishOptions#idempotencyWindow()} stores and delivers nothing and returns the
 *       first publish's position with {@code duplicate = true}.</li>
 *   <li>When a channel's stream is lost (storage flushed, restarted without persistence) its next
 *       epoch differs from every earlier one; positions of another epoch are never served as
 *       recoverable.</li>
 *   <li>History keeps at most {@link PublishOptions#historySize()} publications, each for at most
 *       {@link PublishOptions#historyTtl()}; a channel published with size 0 keeps none and its
 *       publications carry offset 0.</li>
 *   <li>All methods are non-blocking and thread-safe; futures complete on any thread.</li>
 * </ul>
 */
public interface Broker extends AutoCloseable {

    /** Starts the broker; events for subscribed channels go to {@code handler} from then on. */
    CompletionStage<Void> start(BrokerEventHandler handler);

    /**
     * Publishes {@code data} to a channel.
     *
     * @param publisher the publishing client, or {@code null} for the server
     * @return where the publication was stored (or, for a duplicate, where the first one was)
     */
    CompletionStage<PublishResult> publish(String channel, Payload data, ClientInfo publisher, PublishOptions options);

    /**
     * Delivers an ephemeral event (join, leave, presence change, signal) to every node subscribed
     * to the channel, without storing it.
     */
    CompletionStage<Void> publishEvent(String channel, ChannelEvent event);

    /** Starts delivery of the channel's publications and events to this node. Idempotent. */
    CompletionStage<Void> subscribe(String channel);

    /** Stops delivery of the channel to this node. Idempotent. */
    CompletionStage<Void> unsubscribe(String channel);

    /** Reads the channel's history and its current position. */
    CompletionStage<HistoryResult> history(String channel, HistoryQuery query);

    /** Drops the channel's history; its next publication starts a new epoch. */
    CompletionStage<Void> removeHistory(String channel);

    /** Stops delivery and releases resources. */
    @Override
    void close();
}
