package dev.chorus.core.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The HTTP side of a node: the server API under {@code /api/}, Server-Sent Events at {@code /sse},
 * and the checks every browser-facing endpoint applies (origin allow-list, connections per IP).
 */
public final class HttpConfig {
    private final Set<String> apiKeys;
    private final Duration sseHeartbeat;
    private final List<String> allowedOrigins;
    private final int maxConnectionsPerIp;

    private HttpConfig(Builder b) {
        this.apiKeys = Set.copyOf(b.apiKeys);
        for (String k : apiKeys) {
            if (k.isBlank()) {
                throw new IllegalArgumentException("an API key must not be blank");
            }
        }
        if (b.sseHeartbeat.isNegative() || b.sseHeartbeat.isZero()) {
            throw new IllegalArgumentException("sseHeartbeat must be > 0: " + b.sseHeartbeat);
        }
        this.sseHeartbeat = b.sseHeartbeat;
        this.allowedOrigins = List.copyOf(b.allowedOrigins);
        if (b.maxConnectionsPerIp < 0) {
            throw new IllegalArgumentException("maxConnectionsPerIp must be >= 0: " + b.maxConnectionsPerIp);
        }
        this.maxConnectionsPerIp = b.maxConnectionsPerIp;
    }

    public static HttpConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().apiKeys(apiKeys).sseHeartbeat(sseHeartbeat).allowedOrigins(allowedOrigins)
                .maxConnectionsPerIp(maxConnectionsPerIp);
    }

    /** Keys accepted in {@code Authorization: apikey <key>} by the server API; empty (default): the API is off (404). */
    public Set<String> apiKeys() {
        return apiKeys;
    }

    /** Interval of comment heartbeats on an SSE stream. Default 15 s. */
    public Duration sseHeartbeat() {
        return sseHeartbeat;
    }

    /**
     * Origins ({@code scheme://host[:port]}, or {@code *} for any) whose browser pages may open a
     * WebSocket, an SSE stream or POST. Requests without an {@code Origin} header (non-browser
     * clients) are always let through. Empty (default): any origin.
     */
    public List<String> allowedOrigins() {
        return allowedOrigins;
    }

    /** Whether a browser page of {@code origin} (may be {@code null}: no header) may connect. */
    public boolean originAllowed(String origin) {
        if (origin == null || allowedOrigins.isEmpty()) {
            return true;
        }
        for (String o : allowedOrigins) {
            if (o.equals("*") || o.equalsIgnoreCase(origin)) {
                return true;
            }
        }
        return false;
    }

    /** Open WebSocket and SSE connections per client IP; 0 (default) for no limit. */
    public int maxConnectionsPerIp() {
        return maxConnectionsPerIp;
    }

    public static final class Builder {
        private Set<String> apiKeys = Set.of();
        private Duration sseHeartbeat = Duration.ofSeconds(15);
        private List<String> allowedOrigins = List.of();
        private int maxConnectionsPerIp;

        private Builder() {
        }

        public Builder apiKeys(Set<String> v) {
            this.apiKeys = Objects.requireNonNull(v);
            return this;
        }

        public Builder apiKey(String v) {
            java.util.Set<String> s = new java.util.LinkedHashSet<>(apiKeys);
            s.add(Objects.requireNonNull(v));
            this.apiKeys = s;
            return this;
        }

        public Builder sseHeartbeat(Duration v) {
            this.sseHeartbeat = Objects.requireNonNull(v);
            return this;
        }

        public Builder allowedOrigins(List<String> v) {
            this.allowedOrigins = Objects.requireNonNull(v);
            return this;
        }

        public Builder maxConnectionsPerIp(int v) {
            this.maxConnectionsPerIp = v;
            return this;
        }

        public HttpConfig build() {
            return new HttpConfig(this);
        }
    }
}
