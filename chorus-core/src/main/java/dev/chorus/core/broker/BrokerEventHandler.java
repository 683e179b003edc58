package dev.chorus.core.broker;

import dev.chorus.protocol.Publication;

/**
 * Receives what a {@link Broker} delivers for the channels this node subscribed to. Methods are
 * called from the broker's threads, in order per channel, and must not block.
 */
public interface BrokerEventHandler {

    /** A publication, in offset order per channel. */
    void onPublication(String channel, Publication publication);

    /** An ephemeral channel event. */
    void onEvent(String channel, ChannelEvent event);
}
