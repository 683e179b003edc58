package dev.chorus.client;

import dev.chorus.protocol.Payload;

/**
 * What the server said in its {@code connect} reply.
 *
 * @param client  the id the server gave this connection (a new one after every reconnect)
 * @param user    the user id ({@code ""} when anonymous)
 * @param node    the server node's name
 * @param version the server's version
 * @param ping    seconds between the server's pings
 * @param timeout seconds of silence after which either side counts the connection as dead
 * @param expires seconds until the token expires (the client refreshes it before), 0 when it does not
 * @param data    data the application's connect hook returned, or {@code null}
 */
public record ConnectionInfo(String client, String user, String node, String version, int ping, int timeout,
                             long expires, Payload data) {
}
