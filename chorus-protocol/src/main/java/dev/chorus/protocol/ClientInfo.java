package dev.chorus.protocol;

import java.util.Objects;

/**
 * Who a client is, as others see it: in presence lists, join/leave pushes and as the publisher of a
 * publication or signal.
 *
 * @param client   the server-assigned id of the connection
 * @param user     the user id ({@code ""} for anonymous clients); several clients may share one
 * @param connInfo application data attached at connect by a hook, or {@code null}
 * @param state    the client's presence state in a channel, or {@code null}
 * @param clock    the presence clock of {@code state}: assigned by the server, increasing per client
 *                 and channel, and used last-writer-wins when updates race
 */
public record ClientInfo(String client, String user, Payload connInfo, Payload state, long clock) {
    public ClientInfo {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(user, "user");
    }

    public static ClientInfo of(String client, String user) {
        return new ClientInfo(client, user, null, null, 0);
    }

    /** The same client with another presence state and clock. */
    public ClientInfo withState(Payload newState, long newClock) {
        return new ClientInfo(client, user, connInfo, newState, newClock);
    }

    /** The identity only (client, user, connInfo), as attached to publications and signals. */
    public ClientInfo identity() {
        return state == null && clock == 0 ? this : new ClientInfo(client, user, connInfo, null, 0);
    }
}
