package dev.chorus.client;

import dev.chorus.protocol.Format;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Everything a {@link ChorusClient} is configured with. Immutable; made by
 * {@link ChorusClient#builder(URI)}.
 */
public final class ClientOptions {
    private final URI uri;
    private final Supplier<? extends CompletionStage<String>> token;
    private final Format format;
    private final Delay reconnectDelay;
    private final String name;
    private final String version;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final double signalRate;

    ClientOptions(ChorusClient.Builder b) {
        this.uri = Objects.requireNonNull(b.uri, "uri");
        String scheme = uri.getScheme();
        if (!"ws".equalsIgnoreCase(scheme) && !"wss".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("the URI must be ws:// or wss://: " + uri);
        }
        this.token = b.token;
        this.format = Objects.requireNonNull(b.format, "format");
        this.reconnectDelay = Objects.requireNonNull(b.reconnectDelay, "reconnectDelay");
        this.name = Objects.requireNonNull(b.name, "name");
        this.version = Objects.requireNonNull(b.version, "version");
        this.connectTimeout = positive(b.connectTimeout, "connectTimeout");
        this.requestTimeout = positive(b.requestTimeout, "requestTimeout");
        if (!(b.signalRate > 0) || Double.isInfinite(b.signalRate)) {
            throw new IllegalArgumentException("signalRate must be a positive number: " + b.signalRate);
        }
        this.signalRate = b.signalRate;
    }

    private static Duration positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be > 0: " + d);
        }
        return d;
    }

    /** The server's WebSocket endpoint, e.g. {@code ws://localhost:8080/ws}. */
    public URI uri() {
        return uri;
    }

    /**
     * Where connection tokens come from, or {@code null} to connect without a token. It is asked
     * before every connection attempt (so a reconnect after close code 4006 gets a fresh token) and
     * before every {@code refresh}.
     */
    public Supplier<? extends CompletionStage<String>> token() {
        return token;
    }

    /** The encoding asked for by WebSocket subprotocol. Default {@link Format#JSON}. */
    public Format format() {
        return format;
    }

    /** The wait before each reconnect attempt. Default {@link Delay#defaultDelay()}. */
    public Delay reconnectDelay() {
        return reconnectDelay;
    }

    /** The client name sent in {@code connect}. Default {@code chorus-java}. */
    public String name() {
        return name;
    }

    /** The client version sent in {@code connect}. */
    public String version() {
        return version;
    }

    /**
     * How long opening the WebSocket plus the {@code connect} reply may take before the attempt
     * counts as failed. Default 10 s.
     */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * How long a request other than {@code publish} (RPC, history, presence, ...) waits for its
     * reply, counted from the call, before its future fails with {@link ChorusException#TIMEOUT}.
     * Publishes do not time out: they are retried until confirmed or refused. Default 30 s.
     */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** Signals sent per second at most, per subscription and key (trailing edge). Default 20. */
    public double signalRate() {
        return signalRate;
    }

    @Override
    public String toString() {
        return "ClientOptions{uri=" + uri + ", format=" + format + ", token=" + (token == null ? "none" : "supplier")
                + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout + ", signalRate=" + signalRate + '}';
    }
}
