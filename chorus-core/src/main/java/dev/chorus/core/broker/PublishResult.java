package dev.chorus.core.broker;

import dev.chorus.protocol.StreamPosition;

/**
 * Where a publication was stored.
 *
 * @param position  its position ({@code offset} 0 when the channel keeps no history)
 * @param duplicate {@code true} when the idempotency key was seen before and nothing was published
 */
public record PublishResult(StreamPosition position, boolean duplicate) {
}
