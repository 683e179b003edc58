package dev.chorus.redis;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link RedisBroker} and {@link RedisPresenceStore} reach Redis and name their keys. Immutable;
 * build with {@link #builder()}.
 *
 * <p>Every key and Pub/Sub channel starts with {@link #keyPrefix()}, so several Chorus clusters (or
 * test runs) can share one Redis: give each its own prefix. The prefix must not contain
 * <code>{</code> or <code>}</code>, which the keys use as Redis Cluster hash tags (all keys of
 * one Chorus channel share a slot).
 */
public final class RedisConfig {
    /** Which Pub/Sub commands carry messages between nodes. */
    public enum PubSubMode {
        /** Sharded Pub/Sub ({@code SPUBLISH}/{@code SSUBSCRIBE}) when the server is Redis 7 or newer, else classic. */
        AUTO,
        /** Always sharded Pub/Sub (fails to start on servers older than Redis 7). */
        SHARDED,
        /** Always classic Pub/Sub ({@code PUBLISH}/{@code SUBSCRIBE}). */
        CLASSIC
    }

    private final String uri;
    private final String keyPrefix;
    private final Duration commandTimeout;
    private final Duration connectTimeout;
    private final Duration reconnectDelayMin;
    private final Duration reconnectDelayMax;
    private final Duration streamMetaTtl;
    private final int maxIdempotencyKeys;
    private final int maxBufferedPerChannel;
    private final PubSubMode pubSubMode;
    private final String clientName;

    private RedisConfig(Builder b) {
        this.uri = b.uri;
        this.keyPrefix = b.keyPrefix;
        this.commandTimeout = b.commandTimeout;
        this.connectTimeout = b.connectTimeout;
        this.reconnectDelayMin = b.reconnectDelayMin;
        this.reconnectDelayMax = b.reconnectDelayMax;
        this.streamMetaTtl = b.streamMetaTtl;
        this.maxIdempotencyKeys = b.maxIdempotencyKeys;
        this.maxBufferedPerChannel = b.maxBufferedPerChannel;
        this.pubSubMode = b.pubSubMode;
        this.clientName = b.clientName;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.uri = uri;
        b.keyPrefix = keyPrefix;
        b.commandTimeout = commandTimeout;
        b.connectTimeout = connectTimeout;
        b.reconnectDelayMin = reconnectDelayMin;
        b.reconnectDelayMax = reconnectDelayMax;
        b.streamMetaTtl = streamMetaTtl;
        b.maxIdempotencyKeys = maxIdempotencyKeys;
        b.maxBufferedPerChannel = maxBufferedPerChannel;
        b.pubSubMode = pubSubMode;
        b.clientName = clientName;
        return b;
    }

    /** The Redis URI, {@code redis://host:port[/db]} or {@code rediss://...}; default {@code redis://127.0.0.1:6379}. */
    public String uri() {
        return uri;
    }

    /** Prefix of every key and Pub/Sub channel; default {@code chorus:}. */
    public String keyPrefix() {
        return keyPrefix;
    }

    /** How long a command may take before its future fails; default 5 s. */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    /** How long connecting may take; default 5 s. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** Shortest wait before a reconnect attempt (exponential back-off with jitter up to {@link #reconnectDelayMax()}); default 50 ms. */
    public Duration reconnectDelayMin() {
        return reconnectDelayMin;
    }

    /** Longest wait between reconnect attempts; default 5 s. */
    public Duration reconnectDelayMax() {
        return reconnectDelayMax;
    }

    /**
     * How long a channel's offset and epoch outlive its last publication (at least as long as the
     * longest history TTL); default 1 day. Once they expired the channel starts over with a new
     * epoch, and clients holding an old position are told to resync.
     */
    public Duration streamMetaTtl() {
        return streamMetaTtl;
    }

    /** Idempotency keys remembered per channel (the ones whose window ends first are forgotten first); default 10,000. */
    public int maxIdempotencyKeys() {
        return maxIdempotencyKeys;
    }

    /**
     * Publications a subscribed channel buffers while it catches up from history (after a gap or a
     * reconnect); beyond that the buffer is dropped and history is read again. Default 10,000.
     */
    public int maxBufferedPerChannel() {
        return maxBufferedPerChannel;
    }

    public PubSubMode pubSubMode() {
        return pubSubMode;
    }

    /** The name the connections give themselves ({@code CLIENT SETNAME}); default {@code chorus}. */
    public String clientName() {
        return clientName;
    }

    @Override
    public String toString() {
        return "RedisConfig{uri=" + redactedUri() + ", keyPrefix=" + keyPrefix + ", pubSub=" + pubSubMode + "}";
    }

    /** The URI without its password, for logs and error messages. */
    public String redactedUri() {
        return uri.replaceFirst("//[^@/]*@", "//***@");
    }

    public static final class Builder {
        private String uri = "redis://127.0.0.1:6379";
        private String keyPrefix = "chorus:";
        private Duration commandTimeout = Duration.ofSeconds(5);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration reconnectDelayMin = Duration.ofMillis(50);
        private Duration reconnectDelayMax = Duration.ofSeconds(5);
        private Duration streamMetaTtl = Duration.ofDays(1);
        private int maxIdempotencyKeys = 10_000;
        private int maxBufferedPerChannel = 10_000;
        private PubSubMode pubSubMode = PubSubMode.AUTO;
        private String clientName = "chorus";

        private Builder() {
        }

        /** @throws IllegalArgumentException when not a {@code redis://} or {@code rediss://} URI with a host */
        public Builder uri(String uri) {
            Objects.requireNonNull(uri, "uri");
            URI parsed;
            try {
                parsed = URI.create(uri);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid Redis URI '" + uri + "': " + e.getMessage(), e);
            }
            if (!"redis".equals(parsed.getScheme()) && !"rediss".equals(parsed.getScheme())) {
                throw new IllegalArgumentException("Redis URI must start with redis:// or rediss://, got '" + uri + "'");
            }
            if (parsed.getHost() == null) {
                throw new IllegalArgumentException("Redis URI has no host: '" + uri + "'");
            }
            this.uri = uri;
            return this;
        }

        /** @throws IllegalArgumentException when empty or containing <code>{</code> or <code>}</code> */
        public Builder keyPrefix(String keyPrefix) {
            Objects.requireNonNull(keyPrefix, "keyPrefix");
            if (keyPrefix.isEmpty()) {
                throw new IllegalArgumentException("key prefix must not be empty");
            }
            if (keyPrefix.indexOf('{') >= 0 || keyPrefix.indexOf('}') >= 0) {
                throw new IllegalArgumentException("key prefix must not contain '{' or '}' (used as hash tags): '" + keyPrefix + "'");
            }
            this.keyPrefix = keyPrefix;
            return this;
        }

        public Builder commandTimeout(Duration d) {
            this.commandTimeout = positive(d, "commandTimeout");
            return this;
        }

        public Builder connectTimeout(Duration d) {
            this.connectTimeout = positive(d, "connectTimeout");
            return this;
        }

        /** Reconnect back-off bounds; {@code min <= max}. */
        public Builder reconnectDelay(Duration min, Duration max) {
            positive(min, "reconnectDelay min");
            positive(max, "reconnectDelay max");
            if (min.compareTo(max) > 0) {
                throw new IllegalArgumentException("reconnectDelay min " + min + " > max " + max);
            }
            this.reconnectDelayMin = min;
            this.reconnectDelayMax = max;
            return this;
        }

        public Builder streamMetaTtl(Duration d) {
            this.streamMetaTtl = positive(d, "streamMetaTtl");
            return this;
        }

        public Builder maxIdempotencyKeys(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxIdempotencyKeys must be at least 1, got " + n);
            }
            this.maxIdempotencyKeys = n;
            return this;
        }

        public Builder maxBufferedPerChannel(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxBufferedPerChannel must be at least 1, got " + n);
            }
            this.maxBufferedPerChannel = n;
            return this;
        }

        public Builder pubSubMode(PubSubMode mode) {
            this.pubSubMode = Objects.requireNonNull(mode, "pubSubMode");
            return this;
        }

        public Builder clientName(String name) {
            Objects.requireNonNull(name, "clientName");
            if (name.isEmpty() || !name.chars().allMatch(c -> c > ' ' && c < 127)) {
                throw new IllegalArgumentException("client name must be non-empty printable ASCII without spaces: '" + name + "'");
            }
            this.clientName = name;
            return this;
        }

        public RedisConfig build() {
            return new RedisConfig(this);
        }

        private static Duration positive(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, got " + d);
            }
            return d;
        }
    }
}
