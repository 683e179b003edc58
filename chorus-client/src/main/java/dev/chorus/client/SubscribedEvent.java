package dev.chorus.client;

import dev.chorus.protocol.StreamPosition;

/**
 * A subscribe (or a resubscribe after a reconnect) succeeded.
 *
 * @param position   the channel's position after the recovered publications
 * @param recovering whether the subscribe asked to recover from a position
 * @param recovered  with {@code recovering}: whether every missed publication was delivered (when
 *                   false, {@link SubscriptionListener#onResync} follows)
 */
public record SubscribedEvent(String channel, StreamPosition position, boolean recovering, boolean recovered) {
}
