package dev.chorus.core.config;

import java.time.Duration;

/**
 * Per-connection limits. Every limit has a documented default (README, "Configuration"); going over
 * one gives the client an error reply, and {@link #maxViolations()} errors of the violation kind
 * (malformed frames, unknown operations, bad channel names, oversized frames) within
 * {@link #violationWindow()} close the connection.
 */
public final class Limits {
    /** Allowed characters in channel names besides ASCII letters and digits. */
    public static final String CHANNEL_PUNCTUATION = "_-:.@/=+,!~#$|";

    private final int maxFrameSize;
    private final int hardFrameSize;
    private final long maxOutboundBytes;
    private final int maxSubscriptions;
    private final int maxChannelLength;
    private final int maxPresenceStateSize;
    private final int maxInflightRequests;
    private final int maxViolations;
    private final Duration violationWindow;
    private final Duration closeTimeout;
    private final double messageRate;
    private final int messageBurst;

    private Limits(Builder b) {
        if (b.hardFrameSize < b.maxFrameSize) {
            throw new IllegalArgumentException("hardFrameSize (" + b.hardFrameSize + ") < maxFrameSize (" + b.maxFrameSize + ")");
        }
        this.maxFrameSize = positive(b.maxFrameSize, "maxFrameSize");
        this.hardFrameSize = positive(b.hardFrameSize, "hardFrameSize");
        this.maxOutboundBytes = positive(b.maxOutboundBytes, "maxOutboundBytes");
        this.maxSubscriptions = positive(b.maxSubscriptions, "maxSubscriptions");
        this.maxChannelLength = positive(b.maxChannelLength, "maxChannelLength");
        this.maxPresenceStateSize = positive(b.maxPresenceStateSize, "maxPresenceStateSize");
        this.maxInflightRequests = positive(b.maxInflightRequests, "maxInflightRequests");
        this.maxViolations = positive(b.maxViolations, "maxViolations");
        this.violationWindow = b.violationWindow;
        if (b.closeTimeout.isNegative() || b.closeTimeout.isZero()) {
            throw new IllegalArgumentException("closeTimeout must be > 0: " + b.closeTimeout);
        }
        this.closeTimeout = b.closeTimeout;
        if (b.messageRate < 0 || Double.isNaN(b.messageRate) || b.messageBurst < 1) {
            throw new IllegalArgumentException("messageRate must be >= 0 and messageBurst >= 1: " + b.messageRate + ", " + b.messageBurst);
        }
        this.messageRate = b.messageRate;
        this.messageBurst = b.messageBurst;
    }

    private static int positive(int v, String name) {
        if (v <= 0) {
            throw new IllegalArgumentException(name + " must be > 0: " + v);
        }
        return v;
    }

    private static long positive(long v, String name) {
        if (v <= 0) {
            throw new IllegalArgumentException(name + " must be > 0: " + v);
        }
        return v;
    }

    public static Limits defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .maxFrameSize(maxFrameSize).hardFrameSize(hardFrameSize).maxOutboundBytes(maxOutboundBytes)
                .maxSubscriptions(maxSubscriptions).maxChannelLength(maxChannelLength)
                .maxPresenceStateSize(maxPresenceStateSize).maxInflightRequests(maxInflightRequests)
                .maxViolations(maxViolations).violationWindow(violationWindow).closeTimeout(closeTimeout)
                .messageRate(messageRate).messageBurst(messageBurst);
    }

    /** Largest inbound message served (bytes, after inflating); larger ones get error 112. Default 65536. */
    public int maxFrameSize() {
        return maxFrameSize;
    }

    /** Largest inbound message read at all; larger ones close the connection with 1009. Default 1 MiB. */
    public int hardFrameSize() {
        return hardFrameSize;
    }

    /** Bytes queued for a client before it is closed as a slow consumer (4002). Default 4 MiB. */
    public long maxOutboundBytes() {
        return maxOutboundBytes;
    }

    /** Subscriptions per connection. Default 128. */
    public int maxSubscriptions() {
        return maxSubscriptions;
    }

    /** Channel name length in characters. Default 255. */
    public int maxChannelLength() {
        return maxChannelLength;
    }

    /** Presence state size in bytes of JSON. Default 4096. */
    public int maxPresenceStateSize() {
        return maxPresenceStateSize;
    }

    /** Requests of one connection being processed at once before the server stops reading it. Default 64. */
    public int maxInflightRequests() {
        return maxInflightRequests;
    }

    /** Violations within {@link #violationWindow()} that close the connection (4003). Default 10. */
    public int maxViolations() {
        return maxViolations;
    }

    /** Window for counting violations. Default 60 s. */
    public Duration violationWindow() {
        return violationWindow;
    }

    /**
     * How long a close frame may wait behind data the client has not read (a slow consumer's queue)
     * before the socket is cut without it; the client then sees an abnormal close (1006). Default 3 s.
     */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    /**
     * Messages per second one connection may send (token bucket, pongs not counted); over it a
     * request gets error 115 and is dropped. 0 (default): no limit.
     */
    public double messageRate() {
        return messageRate;
    }

    /** Messages a connection may send at once above {@link #messageRate()}. Default 50. */
    public int messageBurst() {
        return messageBurst;
    }

    public static final class Builder {
        private int maxFrameSize = 65536;
        private int hardFrameSize = 1024 * 1024;
        private long maxOutboundBytes = 4L * 1024 * 1024;
        private int maxSubscriptions = 128;
        private int maxChannelLength = 255;
        private int maxPresenceStateSize = 4096;
        private int maxInflightRequests = 64;
        private int maxViolations = 10;
        private Duration violationWindow = Duration.ofSeconds(60);
        private Duration closeTimeout = Duration.ofSeconds(3);
        private double messageRate;
        private int messageBurst = 50;

        private Builder() {
        }

        public Builder maxFrameSize(int v) {
            this.maxFrameSize = v;
            return this;
        }

        public Builder hardFrameSize(int v) {
            this.hardFrameSize = v;
            return this;
        }

        public Builder maxOutboundBytes(long v) {
            this.maxOutboundBytes = v;
            return this;
        }

        public Builder maxSubscriptions(int v) {
            this.maxSubscriptions = v;
            return this;
        }

        public Builder maxChannelLength(int v) {
            this.maxChannelLength = v;
            return this;
        }

        public Builder maxPresenceStateSize(int v) {
            this.maxPresenceStateSize = v;
            return this;
        }

        public Builder maxInflightRequests(int v) {
            this.maxInflightRequests = v;
            return this;
        }

        public Builder maxViolations(int v) {
            this.maxViolations = v;
            return this;
        }

        public Builder violationWindow(Duration v) {
            this.violationWindow = java.util.Objects.requireNonNull(v);
            return this;
        }

        public Builder closeTimeout(Duration v) {
            this.closeTimeout = java.util.Objects.requireNonNull(v);
            return this;
        }

        public Builder messageRate(double v) {
            this.messageRate = v;
            return this;
        }

        public Builder messageBurst(int v) {
            this.messageBurst = v;
            return this;
        }

        public Limits build() {
            return new Limits(this);
        }
    }
}
