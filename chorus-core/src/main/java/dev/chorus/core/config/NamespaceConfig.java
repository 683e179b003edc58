package dev.chorus.core.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Options for the channels of one namespace ({@code name:rest}; channels without a colon belong
 * to the default namespace, named {@code ""}). Immutable; build with {@link #builder(String)}.
 */
public final class NamespaceConfig {
    private final String name;
    private final int historySize;
    private final Duration historyTtl;
    private final boolean presence;
    private final boolean joinLeave;
    private final boolean allowSubscribe;
    private final boolean allowPublish;
    private final boolean allowHistory;
    private final boolean allowPresence;
    private final boolean allowSignal;
    private final boolean privateChannels;
    private final double signalRate;
    private final Duration idempotencyWindow;
    private final String schema;

    private NamespaceConfig(Builder b) {
        this.name = Objects.requireNonNull(b.name, "name");
        if (name.contains(":")) {
            throw new IllegalArgumentException("namespace name must not contain ':' : " + name);
        }
        if (b.historySize < 0) {
            throw new IllegalArgumentException("historySize < 0 in namespace '" + name + "'");
        }
        if (!(b.signalRate > 0)) {
            throw new IllegalArgumentException("signalRate must be > 0 in namespace '" + name + "'");
        }
        this.historySize = b.historySize;
        this.historyTtl = Objects.requireNonNull(b.historyTtl);
        this.presence = b.presence;
        this.joinLeave = b.joinLeave;
        this.allowSubscribe = b.allowSubscribe;
        this.allowPublish = b.allowPublish;
        this.allowHistory = b.allowHistory;
        this.allowPresence = b.allowPresence;
        this.allowSignal = b.allowSignal;
        this.privateChannels = b.privateChannels;
        this.signalRate = b.signalRate;
        this.idempotencyWindow = Objects.requireNonNull(b.idempotencyWindow);
        this.schema = b.schema;
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** What {@code --dev} uses for every namespace: everything allowed, history and presence on. */
    public static NamespaceConfig permissive(String name) {
        return builder(name).historySize(100).historyTtl(Duration.ofMinutes(10)).presence(true).joinLeave(true)
                .allowPublish(true).build();
    }

    public Builder toBuilder() {
        return new Builder(name).historySize(historySize).historyTtl(historyTtl).presence(presence)
                .joinLeave(joinLeave).allowSubscribe(allowSubscribe).allowPublish(allowPublish)
                .allowHistory(allowHistory).allowPresence(allowPresence).allowSignal(allowSignal).privateChannels(privateChannels)
                .signalRate(signalRate).idempotencyWindow(idempotencyWindow).schema(schema);
    }

    /** The namespace name ({@code ""} for the default namespace). */
    public String name() {
        return name;
    }

    /** Publications kept per channel for history and recovery. Default 0 (none). */
    public int historySize() {
        return historySize;
    }

    /** How long each publication is kept. Default 5 minutes. */
    public Duration historyTtl() {
        return historyTtl;
    }

    /** Whether clients subscribed here appear in presence. Default false. */
    public boolean presence() {
        return presence;
    }

    /** Whether subscribers may ask for join/leave/presence pushes. Default false. */
    public boolean joinLeave() {
        return joinLeave;
    }

    /** Whether clients may subscribe. Default true. */
    public boolean allowSubscribe() {
        return allowSubscribe;
    }

    /** Whether clients may publish (the server and the HTTP API always may). Default false. */
    public boolean allowPublish() {
        return allowPublish;
    }

    /** Whether subscribed clients may read history. Default true (only useful with historySize &gt; 0). */
    public boolean allowHistory() {
        return allowHistory;
    }

    /** Whether subscribed clients may read presence and presence stats. Default true. */
    public boolean allowPresence() {
        return allowPresence;
    }

    /** Whether subscribed clients may send signals. Default true. */
    public boolean allowSignal() {
        return allowSignal;
    }

    /** Most signals per second fanned out per (sender, channel, key). Default 20. */
    /**
     * Whether every subscribe needs a subscription token for the channel, issued for the
     * connection's user ({@code private: true}). Default false.
     */
    public boolean privateChannels() {
        return privateChannels;
    }

    public double signalRate() {
        return signalRate;
    }

    /** How long idempotency keys of publishes are remembered. Default 2 minutes. */
    public Duration idempotencyWindow() {
        return idempotencyWindow;
    }

    /** JSON Schema (text) that published data must satisfy, or {@code null}. */
    public String schema() {
        return schema;
    }

    @Override
    public String toString() {
        return "NamespaceConfig{" + (name.isEmpty() ? "<default>" : name) + ", history=" + historySize + "/" + historyTtl
                + ", presence=" + presence + ", joinLeave=" + joinLeave + ", publish=" + allowPublish
                + ", schema=" + (schema != null) + "}";
    }

    public static final class Builder {
        private final String name;
        private int historySize = 0;
        private Duration historyTtl = Duration.ofMinutes(5);
        private boolean presence = false;
        private boolean joinLeave = false;
        private boolean allowSubscribe = true;
        private boolean allowPublish = false;
        private boolean allowHistory = true;
        private boolean allowPresence = true;
        private boolean allowSignal = true;
        private boolean privateChannels;
        private double signalRate = 20;
        private Duration idempotencyWindow = Duration.ofMinutes(2);
        private String schema;

        private Builder(String name) {
            this.name = name;
        }

        public Builder historySize(int v) {
            this.historySize = v;
            return this;
        }

        public Builder historyTtl(Duration v) {
            this.historyTtl = v;
            return this;
        }

        public Builder presence(boolean v) {
            this.presence = v;
            return this;
        }

        public Builder joinLeave(boolean v) {
            this.joinLeave = v;
            return this;
        }

        public Builder allowSubscribe(boolean v) {
            this.allowSubscribe = v;
            return this;
        }

        public Builder allowPublish(boolean v) {
            this.allowPublish = v;
            return this;
        }

        public Builder allowHistory(boolean v) {
            this.allowHistory = v;
            return this;
        }

        public Builder allowPresence(boolean v) {
            this.allowPresence = v;
            return this;
        }

        public Builder allowSignal(boolean v) {
            this.allowSignal = v;
            return this;
        }

        public Builder privateChannels(boolean v) {
            this.privateChannels = v;
            return this;
        }

        public Builder signalRate(double v) {
            this.signalRate = v;
            return this;
        }

        public Builder idempotencyWindow(Duration v) {
            this.idempotencyWindow = v;
            return this;
        }

        /** JSON Schema text for published data; {@code null} for none. */
        public Builder schema(String v) {
            this.schema = v;
            return this;
        }

        public NamespaceConfig build() {
            return new NamespaceConfig(this);
        }
    }
}
