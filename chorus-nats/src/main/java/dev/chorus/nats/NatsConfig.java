package dev.chorus.nats;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How {@link NatsBroker} and {@link NatsPresenceStore} reach NATS and lay out their data.
 * Immutable; build with {@link #builder()}.
 *
 * <p>Everything a broker creates is named after {@link #prefix()}: core subjects
 * {@code <prefix>.c.<channel>}, the history stream {@code <prefix>_history} with subjects
 * {@code <prefix>.h.<channel>} and {@code <prefix>.k.<channel>}, and the presence bucket
 * {@code <prefix>_presence}. Nodes of one cluster must use the same prefix and the same limits
 * (the first node to create the stream or bucket sets its limits; a node with other limits logs
 * the difference and keeps the server's).
 */
public final class NatsConfig {
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_-]{1,48}");

    /** Whether JetStream keeps the history stream and presence bucket on disk or in memory. */
    public enum Storage { FILE, MEMORY }

    private final String url;
    private final String prefix;
    private final String connectionName;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final Duration reconnectWait;
    private final int maxHistorySize;
    private final Duration maxHistoryTtl;
    private final long maxHistoryBytes;
    private final Duration maxIdempotencyWindow;
    private final Duration maxPresenceTtl;
    private final Duration gapTimeout;
    private final Storage storage;
    private final int replicas;
    private final int ioThreads;
    private final int maxPendingPublishes;

    private NatsConfig(Builder b) {
        this.url = Objects.requireNonNull(b.url, "url");
        if (!b.url.startsWith("nats://") && !b.url.startsWith("tls://")) {
            throw new IllegalArgumentException("NATS url must start with nats:// or tls://, got '" + b.url + "'");
        }
        this.prefix = Objects.requireNonNull(b.prefix, "prefix");
        if (!PREFIX.matcher(b.prefix).matches()) {
            throw new IllegalArgumentException("NATS prefix must be 1-48 characters of [A-Za-z0-9_-], got '" + b.prefix + "'");
        }
        this.connectionName = Objects.requireNonNull(b.connectionName, "connectionName");
        this.connectTimeout = positive(b.connectTimeout, "connectTimeout");
        this.requestTimeout = positive(b.requestTimeout, "requestTimeout");
        this.reconnectWait = positive(b.reconnectWait, "reconnectWait");
        if (b.maxHistorySize < 1) {
            throw new IllegalArgumentException("maxHistorySize must be at least 1, got " + b.maxHistorySize);
        }
        this.maxHistorySize = b.maxHistorySize;
        this.maxHistoryTtl = positive(b.maxHistoryTtl, "maxHistoryTtl");
        if (b.maxHistoryBytes < -1 || b.maxHistoryBytes == 0) {
            throw new IllegalArgumentException("maxHistoryBytes must be positive or -1 (unlimited), got " + b.maxHistoryBytes);
        }
        this.maxHistoryBytes = b.maxHistoryBytes;
        this.maxIdempotencyWindow = positive(b.maxIdempotencyWindow, "maxIdempotencyWindow");
        if (b.maxIdempotencyWindow.compareTo(b.maxHistoryTtl) > 0) {
            // JetStream refuses a duplicate window longer than the stream's max age
            throw new IllegalArgumentException("maxIdempotencyWindow " + b.maxIdempotencyWindow + " exceeds maxHistoryTtl " + b.maxHistoryTtl);
        }
        this.maxPresenceTtl = positive(b.maxPresenceTtl, "maxPresenceTtl");
        this.gapTimeout = positive(b.gapTimeout, "gapTimeout");
        this.storage = Objects.requireNonNull(b.storage, "storage");
        if (b.replicas < 1 || b.replicas > 5) {
            throw new IllegalArgumentException("replicas must be 1..5, got " + b.replicas);
        }
        this.replicas = b.replicas;
        if (b.ioThreads < 1) {
            throw new IllegalArgumentException("ioThreads must be at least 1, got " + b.ioThreads);
        }
        this.ioThreads = b.ioThreads;
        if (b.maxPendingPublishes < 1) {
            throw new IllegalArgumentException("maxPendingPublishes must be at least 1, got " + b.maxPendingPublishes);
        }
        this.maxPendingPublishes = b.maxPendingPublishes;
    }

    private static Duration positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
        return d;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.url = url;
        b.prefix = prefix;
        b.connectionName = connectionName;
        b.connectTimeout = connectTimeout;
        b.requestTimeout = requestTimeout;
        b.reconnectWait = reconnectWait;
        b.maxHistorySize = maxHistorySize;
        b.maxHistoryTtl = maxHistoryTtl;
        b.maxHistoryBytes = maxHistoryBytes;
        b.maxIdempotencyWindow = maxIdempotencyWindow;
        b.maxPresenceTtl = maxPresenceTtl;
        b.gapTimeout = gapTimeout;
        b.storage = storage;
        b.replicas = replicas;
        b.ioThreads = ioThreads;
        b.maxPendingPublishes = maxPendingPublishes;
        return b;
    }

    /** Server URL. Default {@code nats://127.0.0.1:4222}. */
    public String url() {
        return url;
    }

    /** Prefix of every subject, stream and bucket name. Default {@code chorus}. */
    public String prefix() {
        return prefix;
    }

    /** Name the connections show in the server's monitoring. Default {@code chorus}. */
    public String connectionName() {
        return connectionName;
    }

    /** Timeout of the first connection. Default 5 s. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** Timeout of each JetStream request (publish, read, purge). Default 5 s. */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** Wait between reconnect attempts (jnats reconnects for ever). Default 1 s. */
    public Duration reconnectWait() {
        return reconnectWait;
    }

    /**
     * Largest {@code historySize} a publish may ask for, and the stream's messages per subject.
     * Default 10,000.
     */
    public int maxHistorySize() {
        return maxHistorySize;
    }

    /**
     * Largest {@code historyTtl} a publish may ask for, and the stream's max age: a channel with no
     * message younger than this starts a new epoch. Default 24 h.
     */
    public Duration maxHistoryTtl() {
        return maxHistoryTtl;
    }

    /** The history stream's size limit in bytes (oldest dropped first), -1 for none. Default 1 GiB. */
    public long maxHistoryBytes() {
        return maxHistoryBytes;
    }

    /** Longest idempotency window a publish may ask for; the stream's duplicate window. Default 10 min. */
    public Duration maxIdempotencyWindow() {
        return maxIdempotencyWindow;
    }

    /** Longest presence TTL a put may ask for; the presence bucket's max age. Default 5 min. */
    public Duration maxPresenceTtl() {
        return maxPresenceTtl;
    }

    /**
     * How long a subscribed node waits for a missing offset to arrive over core NATS before it reads
     * the gap from JetStream. Default 200 ms.
     */
    public Duration gapTimeout() {
        return gapTimeout;
    }

    /** JetStream storage of the stream and bucket. Default {@link Storage#FILE}. */
    public Storage storage() {
        return storage;
    }

    /** JetStream replicas of the stream and bucket (clustered NATS). Default 1. */
    public int replicas() {
        return replicas;
    }

    /** Threads for the jnats calls that block (stream setup, history reads). Default 4. */
    public int ioThreads() {
        return ioThreads;
    }

    /** Publishes per channel waiting on this node before publish fails fast. Default 10,000. */
    public int maxPendingPublishes() {
        return maxPendingPublishes;
    }

    /** Name of the history stream. */
    public String streamName() {
        return prefix + "_history";
    }

    /** Name of the presence bucket. */
    public String presenceBucket() {
        return prefix + "_presence";
    }

    @Override
    public String toString() {
        return "NatsConfig{url=" + url + ", prefix=" + prefix + ", maxHistorySize=" + maxHistorySize
                + ", maxHistoryTtl=" + maxHistoryTtl + ", storage=" + storage + ", replicas=" + replicas + "}";
    }

    public static final class Builder {
        private String url = "nats://127.0.0.1:4222";
        private String prefix = "chorus";
        private String connectionName = "chorus";
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(5);
        private Duration reconnectWait = Duration.ofSeconds(1);
        private int maxHistorySize = 10_000;
        private Duration maxHistoryTtl = Duration.ofHours(24);
        private long maxHistoryBytes = 1L << 30;
        private Duration maxIdempotencyWindow = Duration.ofMinutes(10);
        private Duration maxPresenceTtl = Duration.ofMinutes(5);
        private Duration gapTimeout = Duration.ofMillis(200);
        private Storage storage = Storage.FILE;
        private int replicas = 1;
        private int ioThreads = 4;
        private int maxPendingPublishes = 10_000;

        private Builder() {
        }

        public Builder url(String v) {
            this.url = v;
            return this;
        }

        public Builder prefix(String v) {
            this.prefix = v;
            return this;
        }

        public Builder connectionName(String v) {
            this.connectionName = v;
            return this;
        }

        public Builder connectTimeout(Duration v) {
            this.connectTimeout = v;
            return this;
        }

        public Builder requestTimeout(Duration v) {
            this.requestTimeout = v;
            return this;
        }

        public Builder reconnectWait(Duration v) {
            this.reconnectWait = v;
            return this;
        }

        public Builder maxHistorySize(int v) {
            this.maxHistorySize = v;
            return this;
        }

        public Builder maxHistoryTtl(Duration v) {
            this.maxHistoryTtl = v;
            return this;
        }

        public Builder maxHistoryBytes(long v) {
            this.maxHistoryBytes = v;
            return this;
        }

        public Builder maxIdempotencyWindow(Duration v) {
            this.maxIdempotencyWindow = v;
            return this;
        }

        public Builder maxPresenceTtl(Duration v) {
            this.maxPresenceTtl = v;
            return this;
        }

        public Builder gapTimeout(Duration v) {
            this.gapTimeout = v;
            return this;
        }

        public Builder storage(Storage v) {
            this.storage = v;
            return this;
        }

        public Builder replicas(int v) {
            this.replicas = v;
            return this;
        }

        public Builder ioThreads(int v) {
            this.ioThreads = v;
            return this;
        }

        public Builder maxPendingPublishes(int v) {
            this.maxPendingPublishes = v;
            return this;
        }

        /**
         * @throws IllegalArgumentException when a value is out of range (the message names it)
         */
        public NatsConfig build() {
            return new NatsConfig(this);
        }
    }
}
