package dev.chorus.core.broker;

import dev.chorus.protocol.ClientInfo;
import dev.chorus.protocol.Payload;
import java.util.Objects;

/** An ephemeral event in a channel, carried by {@link Broker#publishEvent} and never stored. */
public sealed interface ChannelEvent {

    /** A client joined the channel's presence. */
    record Join(ClientInfo info) implements ChannelEvent {
        public Join {
            Objects.requireNonNull(info, "info");
        }
    }

    /** A client left the channel's presence (unsubscribed, disconnected or timed out). */
    record Leave(ClientInfo info) implements ChannelEvent {
        public Leave {
            Objects.requireNonNull(info, "info");
        }
    }

    /** A client changed its presence state. */
    record PresenceChange(ClientInfo info) implements ChannelEvent {
        public PresenceChange {
            Objects.requireNonNull(info, "info");
        }
    }

    /** A signal (already coalesced by the sender's node). */
    record Signal(String key, Payload data, ClientInfo info) implements ChannelEvent {
        public Signal {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(info, "info");
        }
    }
}
