package dev.chorus.core.hooks;

import dev.chorus.protocol.Payload;

/**
 * Decides whether a client may connect, and as which user. Without a connect handler, only
 * anonymous connections are possible (when allowed by configuration).
 */
@FunctionalInterface
public interface ConnectHandler {

    /**
     * @return the accepted identity; throw {@link HookRejection} to refuse (the client gets error
     *         101 and the connection closes with 4005)
     */
    ConnectDecision onConnect(ConnectEvent event) throws Exception;

    /** What the client sent with {@code connect}. */
    record ConnectEvent(String client, String token, String name, String version, String remoteAddress) {
    }

    /**
     * An accepted connect.
     *
     * @param user     the user id ({@code ""} for anonymous)
     * @param connInfo data shown to others in presence, or {@code null}
     * @param data     data returned to the client in the connect reply, or {@code null}
     */
    record ConnectDecision(String user, Payload connInfo, Payload data) {
        public static ConnectDecision user(String user) {
            return new ConnectDecision(user, null, null);
        }
    }
}
