package dev.chorus.core.hooks;

import dev.chorus.protocol.Payload;

/**
 * The connected client a hook is asked about.
 *
 * @param client        server-assigned client id
 * @param user          user id ({@code ""} when anonymous)
 * @param connInfo      data attached by the connect hook, or {@code null}
 * @param remoteAddress the client's network address
 */
public record ClientContext(String client, String user, Payload connInfo, String remoteAddress) {
}
