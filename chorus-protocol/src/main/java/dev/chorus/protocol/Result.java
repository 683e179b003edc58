package dev.chorus.protocol;

import java.util.List;
import java.util.Map;

/** The successful result of a request, carried in a {@link Reply}. */
public sealed interface Result {

    /** An empty result {@code {}} (unsubscribe, ping, signal, ...). */
    record Empty() implements Result {
        public static final Empty INSTANCE = new Empty();
    }

    /**
     * Answer to {@code connect}.
     *
     * @param client  the id the server gave this connection
     * @param user    the user id ({@code ""} when anonymous)
     * @param ping    seconds between the server's pings; answer each with {@code pong}
     * @param timeout seconds without any frame from the client after which the server closes
     * @param node    the name of the server node
     * @param version the server's version
     * @param limits  the limits that apply to this connection (name to value)
     * @param data    application data set by the connect hook, or {@code null}
     * @param expires seconds until the connection's token expires (refresh before), 0 when it does not
     */
    record Connect(String client, String user, int ping, int timeout, String node, String version,
                   Map<String, Long> limits, Payload data, long expires) implements Result {
        /** A connect result for a connection whose token does not expire. */
        public Connect(String client, String user, int ping, int timeout, String node, String version,
                       Map<String, Long> limits, Payload data) {
            this(client, user, ping, timeout, node, version, limits, data, 0);
        }
    }

    /** Answer to {@code doc_open}: whether the client may only read. */
    record DocOpen(boolean readOnly) implements Result {
    }

    /** Answer to {@code refresh}: seconds until the new token expires, 0 when it does not. */
    record Refresh(long expires) implements Result {
    }

    /**
     * Answer to {@code subscribe}.
     *
     * @param position     the channel's current position (after the publications below)
     * @param recovered    with {@code since}: {@code true} when {@code publications} holds exactly
     *                     everything after it; {@code false} when the client must resync
     * @param recovering   whether the request asked for recovery (had {@code since})
     * @param publications the missed publications, oldest first (empty without {@code since})
     * @param presence     the channel's presence when asked for, else {@code null}
     */
    record Subscribe(StreamPosition position, boolean recovered, boolean recovering,
                     List<Publication> publications, Map<String, ClientInfo> presence) implements Result {
    }

    /** Answer to {@code publish}: where the publication was stored. */
    record Publish(StreamPosition position) implements Result {
    }

    /** Answer to {@code history}. */
    record History(StreamPosition position, List<Publication> publications) implements Result {
    }

    /** Answer to {@code presence}: client id to client info. */
    record Presence(Map<String, ClientInfo> clients) implements Result {
    }

    /** Answer to {@code presence_stats}. */
    record PresenceStats(int clients, int users) implements Result {
    }

    /** Answer to {@code presence_update}: the clock the server gave the new state. */
    record PresenceUpdate(long clock) implements Result {
    }

    /**
     * A result decoded on the client side, where the frame alone does not say which request it
     * answers: the result object as a generic value. {@link Codec#encodeReply} writes it as is.
     */
    record Raw(Payload value) implements Result {
    }

    /** Answer to {@code rpc}. */
    record Rpc(Payload data) implements Result {
    }
}
