package dev.chorus.core.transport;

/** Accepts new connections on behalf of the engine; implemented by the engine, used by transports. */
public interface ConnectionAcceptor {

    /** Called once per connection when it is established; returns the handler for its frames. */
    InboundHandler accept(Connection connection);

    /** Whether the engine is ready to accept clients (for {@code /health} and {@code /ready}). */
    boolean isReady();

    /** The node's metrics in Prometheus text format, or {@code null} when not available ({@code /metrics} answers 404). */
    default String scrapeMetrics() {
        return null;
    }

    /** The node's collaborative documents (for the Yjs and Hocuspocus adapters), or {@code null} when there are none. */
    default dev.chorus.core.documents.DocumentHub documents() {
        return null;
    }

    /** A browser request refused before it reached the engine ({@code origin}, {@code connections_per_ip}); for metrics. */
    default void httpRefused(String reason) {
    }

    /** The node's token verifier (for adapters that check tokens themselves), or {@code null} when none is configured. */
    default dev.chorus.core.auth.TokenVerifier tokenVerifier() {
        return null;
    }

    /** Server-side operations (for the HTTP server API). */
    dev.chorus.core.ServerApi api();
}
