package dev.chorus.core;

import dev.chorus.core.broker.HistoryQuery;
import dev.chorus.core.broker.HistoryResult;
import dev.chorus.core.presence.PresenceStats;
import dev.chorus.protocol.ClientInfo;
import dev.chorus.protocol.Payload;
import dev.chorus.protocol.StreamPosition;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * What the server side (the embedding application, the HTTP server API) may do with a node. These
 * calls act as the server: no client permission checks and no hooks, but channel names, declared
 * namespaces and JSON Schemas still apply.
 *
 * <p>Every method is non-blocking. A refused call completes exceptionally with a
 * {@link dev.chorus.protocol.ProtocolException} carrying the error code a client would get
 * (111 bad channel name, 102 unknown namespace, 113 schema violation, 108 not available).
 */
public interface ServerApi {

    /** Publishes with history and an optional idempotency key ({@code null}: none). */
    CompletionStage<StreamPosition> publish(String channel, Payload data, String idempotencyKey);

    /** Reads a channel's history; fails with 108 when the namespace keeps none. */
    CompletionStage<HistoryResult> history(String channel, HistoryQuery query);

    /** Who is present in a channel now; fails with 108 when the namespace has no presence. */
    CompletionStage<Map<String, ClientInfo>> presence(String channel);

    /** Counts of who is present; fails with 108 when the namespace has no presence. */
    CompletionStage<PresenceStats> presenceStats(String channel);

    /**
     * Channels with subscribers on any node of the cluster, each with its number of subscribers,
     * sorted by name (other nodes' figures are at most a few seconds old).
     */
    CompletionStage<List<ChannelCount>> channels();

    /** The nodes of the cluster (this one included) with their figures, sorted by name. */
    CompletionStage<List<NodeInfo>> nodes();

    /**
     * Closes every connection of {@code user} on every node with close code 4007; completes with
     * how many were closed.
     */
    CompletionStage<Integer> disconnectUser(String user, String reason);

    /**
     * Ends the subscriptions of {@code user} to {@code channel} (the client gets an
     * {@code unsubscribed} push); completes with how many subscriptions ended.
     */
    CompletionStage<Integer> unsubscribeUser(String user, String channel);

    /** A node of the cluster and its figures. */
    record NodeInfo(String name, int connections, int subscriptions, int channels, long uptimeMillis) {
    }

    /** A channel and how many subscribers it has. */
    record ChannelCount(String channel, int subscribers) {
    }
}
