package dev.chorus.core.hooks;

import dev.chorus.protocol.Payload;

/**
 * Sees every client publish (after the namespace's rules and schema allowed it) and may refuse it or
 * replace its data. Not called for publishes by the server itself.
 */
@FunctionalInterface
public interface PublishHandler {

    /**
     * @return the data to publish: {@code data} itself to accept unchanged, another payload to
     *         transform; throw {@link HookRejection} to refuse (nothing is published)
     */
    Payload onPublish(ClientContext client, String channel, Payload data) throws Exception;
}
