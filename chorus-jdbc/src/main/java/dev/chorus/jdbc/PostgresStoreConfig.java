package dev.chorus.jdbc;

import dev.chorus.core.documents.DocumentStoreConfig;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/** How to reach a {@link PostgresDocumentStore}. Immutable; build with {@link #builder(String)}. */
public final class PostgresStoreConfig {
    private static final Pattern SCHEMA = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final String schema;
    private final DocumentStoreConfig limits;
    private final int readThreads;
    private final int maxPending;
    private final long maxPendingBytes;
    private final Duration connectTimeout;

    private PostgresStoreConfig(Builder b) {
        if (!b.jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("a PostgreSQL JDBC URL starts with jdbc:postgresql: — got " + b.jdbcUrl);
        }
        if (!SCHEMA.matcher(b.schema).matches()) {
            throw new IllegalArgumentException("schema must be a plain identifier (letters, digits, _; at most 63): " + b.schema);
        }
        if (b.readThreads < 1) {
            throw new IllegalArgumentException("readThreads must be >= 1: " + b.readThreads);
        }
        if (b.maxPending < 1) {
            throw new IllegalArgumentException("maxPending must be >= 1: " + b.maxPending);
        }
        if (b.maxPendingBytes < 1) {
            throw new IllegalArgumentException("maxPendingBytes must be >= 1: " + b.maxPendingBytes);
        }
        if (b.connectTimeout.toMillis() < 250) {
            throw new IllegalArgumentException("connectTimeout must be >= 250ms: " + b.connectTimeout);
        }
        this.jdbcUrl = b.jdbcUrl;
        this.user = b.user;
        this.password = b.password;
        this.schema = b.schema;
        this.limits = b.limits;
        this.readThreads = b.readThreads;
        this.maxPending = b.maxPending;
        this.maxPendingBytes = b.maxPendingBytes;
        this.connectTimeout = b.connectTimeout;
    }

    /** A builder for the database at {@code jdbcUrl} ({@code jdbc:postgresql://host:port/db}). */
    public static Builder builder(String jdbcUrl) {
        return new Builder(jdbcUrl);
    }

    public Builder toBuilder() {
        return new Builder(jdbcUrl).user(user).password(password).schema(schema).limits(limits)
                .readThreads(readThreads).maxPending(maxPending).maxPendingBytes(maxPendingBytes).connectTimeout(connectTimeout);
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** User name, or {@code null} to take it from the URL (or the driver's default). */
    public String user() {
        return user;
    }

    /** Password, or {@code null}. */
    public String password() {
        return password;
    }

    /** The schema holding the tables, created when missing. Default {@code public}. */
    public String schema() {
        return schema;
    }

    /** Limits on what the store takes. Default {@link DocumentStoreConfig#defaults()}. */
    public DocumentStoreConfig limits() {
        return limits;
    }

    /** Threads serving loads; the pool holds one more connection, for the writer. Default 4. */
    public int readThreads() {
        return readThreads;
    }

    /** Writes, and separately loads, that may wait before further calls are refused. Default 10,000. */
    public int maxPending() {
        return maxPending;
    }

    /**
     * Bytes of writes (updates and snapshots) that may wait before further writes are refused;
     * a single write is always taken when nothing waits. Default 256 MiB.
     */
    public long maxPendingBytes() {
        return maxPendingBytes;
    }

    /** How long to wait for a connection, at start and from the pool. Default 10 s. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    @Override
    public String toString() {
        return "PostgresStoreConfig{url=" + jdbcUrl + ", user=" + user + ", schema=" + schema + "}";
    }

    public static final class Builder {
        private final String jdbcUrl;
        private String user;
        private String password;
        private String schema = "public";
        private DocumentStoreConfig limits = DocumentStoreConfig.defaults();
        private int readThreads = 4;
        private int maxPending = 10_000;
        private long maxPendingBytes = 256L << 20;
        private Duration connectTimeout = Duration.ofSeconds(10);

        private Builder(String jdbcUrl) {
            this.jdbcUrl = Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        }

        public Builder user(String v) {
            this.user = v;
            return this;
        }

        public Builder password(String v) {
            this.password = v;
            return this;
        }

        public Builder schema(String v) {
            this.schema = Objects.requireNonNull(v, "schema");
            return this;
        }

        public Builder limits(DocumentStoreConfig v) {
            this.limits = Objects.requireNonNull(v, "limits");
            return this;
        }

        public Builder readThreads(int v) {
            this.readThreads = v;
            return this;
        }

        public Builder maxPending(int v) {
            this.maxPending = v;
            return this;
        }

        public Builder maxPendingBytes(long v) {
            this.maxPendingBytes = v;
            return this;
        }

        public Builder connectTimeout(Duration v) {
            this.connectTimeout = Objects.requireNonNull(v, "connectTimeout");
            return this;
        }

        public PostgresStoreConfig build() {
            return new PostgresStoreConfig(this);
        }
    }
}
