package dev.chorus.client;

import dev.chorus.protocol.StreamPosition;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/** How to subscribe to a channel. Immutable; build with {@link #builder()}. */
public final class SubscribeOptions {
    private static final SubscribeOptions DEFAULTS = builder().build();

    private final StreamPosition since;
    private final boolean joinLeave;
    private final Function<String, ? extends CompletionStage<String>> token;

    private SubscribeOptions(Builder b) {
        this.since = b.since;
        this.joinLeave = b.joinLeave;
        this.token = b.token;
    }

    /** No recovery position, no presence events, no subscription token. */
    public static SubscribeOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The position to recover from on the first subscribe (later ones use the last position seen), or {@code null}. */
    public StreamPosition since() {
        return since;
    }

    /**
     * Whether to ask for the channel's presence with the subscribe and for {@code join},
     * {@code leave} and {@code presence} events, keeping {@link ClientSubscription#members()} up to
     * date. The namespace must have presence and join/leave on (else the subscribe fails with 108).
     */
    public boolean joinLeave() {
        return joinLeave;
    }

    /** Where subscription tokens for private channels come from (asked with the channel name before every subscribe), or {@code null}. */
    public Function<String, ? extends CompletionStage<String>> token() {
        return token;
    }

    public static final class Builder {
        private StreamPosition since;
        private boolean joinLeave;
        private Function<String, ? extends CompletionStage<String>> token;

        private Builder() {
        }

        public Builder since(StreamPosition v) {
            this.since = v;
            return this;
        }

        public Builder joinLeave(boolean v) {
            this.joinLeave = v;
            return this;
        }

        public Builder token(Function<String, ? extends CompletionStage<String>> v) {
            this.token = v;
            return this;
        }

        public SubscribeOptions build() {
            return new SubscribeOptions(this);
        }
    }
}
