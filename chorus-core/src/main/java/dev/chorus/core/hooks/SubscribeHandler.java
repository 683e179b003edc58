package dev.chorus.core.hooks;

/**
 * Decides whether a client may subscribe to a channel, after the namespace's own rules allowed it.
 */
@FunctionalInterface
public interface SubscribeHandler {

    /** Returns normally to allow; throws {@link HookRejection} to refuse. */
    void onSubscribe(ClientContext client, String channel) throws Exception;
}
