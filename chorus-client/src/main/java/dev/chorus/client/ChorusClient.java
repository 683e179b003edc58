package dev.chorus.client;

import dev.chorus.client.internal.DefaultChorusClient;
import dev.chorus.protocol.Format;
import dev.chorus.protocol.Payload;
import dev.chorus.protocol.StreamPosition;
import dev.chorus.yjs.Doc;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * A connection to a Chorus server that survives network failures: it reconnects with backoff,
 * resubscribes every channel from its last position, retries unconfirmed publishes with their
 * idempotency keys and reopens documents.
 *
 * <pre>{@code
 * ChorusClient client = ChorusClient.builder(URI.create("ws://localhost:8080/ws")).build();
 * client.subscribe("chat:lobby", new SubscriptionAdapter() {
 *     public void onPublication(Publication pub) { System.out.println(pub.data()); }
 *     public void onResync(StreamPosition position) { reloadFromBackend(); }
 * });
 * client.connect();
 * client.publish("chat:lobby", Map.of("text", "hi")).thenAccept(pos -> System.out.println("stored at " + pos));
 * }</pre>
 *
 * <p>Contract:
 * <ul>
 *   <li>No method blocks. Methods may be called from any thread; the work runs on the client
 *       thread ({@link #executor()}), where futures complete and listeners are called.</li>
 *   <li>Operations issued while not connected wait for the connection (publishes without limit,
 *       other requests up to {@link ClientOptions#requestTimeout()}).</li>
 *   <li>After a close the client reconnects unless the close code forbids it (4003, 4005, 4007,
 *       1009, or 1000 sent by the server); then the status becomes
 *       {@link ConnectionStatus#DISCONNECTED} and waiting operations fail.</li>
 *   <li>Silence from the server for longer than the connect reply's {@code timeout} counts as a
 *       dead connection: the socket is dropped and the client reconnects.</li>
 * </ul>
 */
public interface ChorusClient extends AutoCloseable {

    /** A builder for a client of the server at {@code uri} ({@code ws://host:port/ws}). */
    static Builder builder(URI uri) {
        return new Builder(uri);
    }

    /** A client with these options. */
    static ChorusClient create(ClientOptions options) {
        return new DefaultChorusClient(options);
    }

    ClientOptions options();

    /**
     * Starts connecting (if not already connected or connecting). The future completes with the
     * connection's details once the server accepted {@code connect}, or fails when the client
     * ends up {@link ConnectionStatus#DISCONNECTED} first (a refused token: 4005, or
     * {@link #disconnect()}). Failed attempts in between are retried with the reconnect delay.
     */
    CompletableFuture<ConnectionInfo> connect();

    /**
     * Closes the connection (code 1000) and stops reconnecting. Subscriptions and open documents
     * are kept and come back with the next {@link #connect()}; publishes waiting for confirmation
     * and other waiting requests fail with {@link ChorusException#CLIENT_CLOSED}.
     */
    CompletableFuture<Void> disconnect();

    /** Disconnects and stops the client thread. The client cannot be used afterwards. */
    @Override
    void close();

    ConnectionStatus status();

    /** The current connection's details, or {@code null} while not connected. */
    ConnectionInfo connection();

    void addListener(ConnectionListener listener);

    void removeListener(ConnectionListener listener);

    /** Subscribes with {@link SubscribeOptions#defaults()}. */
    default ClientSubscription subscribe(String channel, SubscriptionListener listener) {
        return subscribe(channel, SubscribeOptions.defaults(), listener);
    }

    /**
     * Subscribes to a channel, now if connected, else as soon as the connection is up, and again
     * after every reconnect with the last position seen.
     *
     * @throws IllegalStateException when this client already has a subscription to the channel
     */
    ClientSubscription subscribe(String channel, SubscribeOptions options, SubscriptionListener listener);

    /** This client's subscription to a channel, or {@code null}. */
    ClientSubscription subscription(String channel);

    /**
     * Publishes {@code data} (a {@link Payload} or anything Jackson maps to JSON) with a fresh
     * idempotency key. The future completes once, with the position the server stored it at. The
     * publish is retried with the same key across reconnects until the server confirms it, so it is
     * stored at most once as long as the retry comes within the namespace's idempotency window
     * (2 minutes by default). It fails on a refusal (permissions, schema, ...) or when the client
     * is disconnected for good.
     */
    default CompletableFuture<StreamPosition> publish(String channel, Object data) {
        return publish(channel, data, null);
    }

    /** As {@link #publish(String, Object)} with the caller's idempotency key (1 to 128 characters); {@code null} for a fresh one. */
    CompletableFuture<StreamPosition> publish(String channel, Object data, String idempotencyKey);

    /**
     * Calls a method the application registered on the server. Not retried after a lost
     * connection (it fails with {@link ChorusException#CONNECTION_LOST}): the method may have run.
     */
    CompletableFuture<Payload> rpc(String method, Object data);

    /** Reads a channel's stored publications (the client must be subscribed to it). */
    CompletableFuture<HistoryResult> history(String channel, HistoryOptions options);

    /** Opens a document with {@link DocumentOptions#defaults()} and no listener. */
    default DocumentHandle openDocument(String name, Doc doc) {
        return openDocument(name, doc, DocumentOptions.defaults(), new DocumentAdapter() {
        });
    }

    /**
     * Keeps {@code doc} in sync with the server's document {@code name} (channel {@code doc:name}):
     * local changes are sent, remote ones applied with the handle as transaction origin. After a
     * reconnect the document is reopened and both sides exchange what the other misses, so edits
     * made offline merge. The document is changed on the client thread: make local edits with
     * {@link DocumentHandle#edit}, or synchronize on your own.
     *
     * @throws IllegalStateException when this client already has the document open
     */
    DocumentHandle openDocument(String name, Doc doc, DocumentOptions options, DocumentListener listener);

    /** The client thread: tasks run there in order, with the client's state and documents. */
    Executor executor();

    /** Builds a {@link ChorusClient}; every setting has a default but the URI. */
    final class Builder {
        final URI uri;
        Supplier<? extends CompletionStage<String>> token;
        Format format = Format.JSON;
        Delay reconnectDelay = Delay.defaultDelay();
        String name = "chorus-java";
        String version = "0.1.0";
        Duration connectTimeout = Duration.ofSeconds(10);
        Duration requestTimeout = Duration.ofSeconds(30);
        double signalRate = 20;

        Builder(URI uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
        }

        /** See {@link ClientOptions#token()}. */
        public Builder token(Supplier<? extends CompletionStage<String>> v) {
            this.token = v;
            return this;
        }

        /** A fixed token (it cannot be refreshed: the connection ends when it expires). */
        public Builder token(String v) {
            Objects.requireNonNull(v, "token");
            this.token = () -> CompletableFuture.completedFuture(v);
            return this;
        }

        public Builder format(Format v) {
            this.format = v;
            return this;
        }

        public Builder reconnectDelay(Delay v) {
            this.reconnectDelay = v;
            return this;
        }

        public Builder name(String v) {
            this.name = v;
            return this;
        }

        public Builder version(String v) {
            this.version = v;
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

        public Builder signalRate(double perSecond) {
            this.signalRate = perSecond;
            return this;
        }

        /** The immutable options these settings make. */
        public ClientOptions options() {
            return new ClientOptions(this);
        }

        public ChorusClient build() {
            return create(options());
        }
    }
}
