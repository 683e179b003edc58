package dev.chorus.core;

import dev.chorus.core.auth.TokenVerifier;
import dev.chorus.core.broker.Broker;
import dev.chorus.core.broker.MemoryBroker;
import dev.chorus.core.config.ChorusConfig;
import dev.chorus.core.hooks.ConnectHandler;
import dev.chorus.core.hooks.Hooks;
import dev.chorus.core.hooks.PublishHandler;
import dev.chorus.core.hooks.RpcHandler;
import dev.chorus.core.hooks.SubscribeHandler;
import dev.chorus.core.presence.MemoryPresenceStore;
import dev.chorus.core.presence.PresenceStore;
import dev.chorus.core.transport.Transport;
import dev.chorus.core.transport.TransportFactory;
import dev.chorus.protocol.Payload;
import dev.chorus.protocol.StreamPosition;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.concurrent.CompletionStage;

/**
 * A Chorus server inside any Java application:
 *
 * <pre>{@code
 * Chorus chorus = Chorus.builder()
 *         .config(ChorusConfig.builder().port(8080).allowAnonymous(true).build())
 *         .rpc("time", (client, data) -> Payload.ofValue(System.currentTimeMillis()))
 *         .onPublish((client, channel, data) -> data)
 *         .build()
 *         .start();
 * chorus.publish("news", Payload.ofJson("{\"title\":\"hello\"}"));
 * chorus.close();
 * }</pre>
 *
 * <p>{@link #start()} binds the transport (the Netty transport when {@code chorus-netty} is on the
 * class path, found through {@link ServiceLoader}); {@link #close()} tells clients to reconnect
 * elsewhere (close code 4000), lets in-flight work finish within the configured grace, and stops.
 */
public final class Chorus implements AutoCloseable {
    private final ChorusConfig config;
    private final Node node;
    private final Transport transport;
    private volatile InetSocketAddress address;

    private Chorus(Builder b) {
        this.config = b.config;
        Broker broker = b.broker != null ? b.broker : new MemoryBroker();
        PresenceStore presence = b.presenceStore != null ? b.presenceStore : new MemoryPresenceStore();
        Hooks hooks = new Hooks(b.connect, b.subscribe, b.publish, b.rpc);
        TokenVerifier verifier = b.tokenVerifier;
        if (verifier == null && config.auth().enabled()) {
            verifier = config.auth().verifier();
        }
        dev.chorus.core.documents.DocumentStore docs = b.documentStore != null ? b.documentStore
                : new dev.chorus.core.documents.MemoryDocumentStore();
        this.node = new Node(config, broker, presence, hooks, verifier, b.meterRegistry, docs);
        TransportFactory factory = b.transportFactory;
        if (factory == null) {
            factory = ServiceLoader.load(TransportFactory.class).findFirst().orElse(null);
        }
        this.transport = factory == null ? null : factory.create(config);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the engine and the transport.
     *
     * @throws IllegalStateException when the port cannot be bound or no transport is available
     */
    public Chorus start() {
        node.start();
        if (transport != null) {
            try {
                address = transport.start(node);
            } catch (Exception e) {
                node.shutdown(config.shutdownGrace());
                throw new IllegalStateException("cannot start transport on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
            }
        }
        return this;
    }

    /** The address the transport is bound to ({@code null} before start or without transport). */
    public InetSocketAddress address() {
        return address;
    }

    /** The bound port (useful with port 0). */
    public int port() {
        InetSocketAddress a = address;
        if (a == null) {
            throw new IllegalStateException("not started");
        }
        return a.getPort();
    }

    public ChorusConfig config() {
        return config;
    }

    /** The engine, for transports and adapters. */
    public Node node() {
        return node;
    }

    /**
     * The collaborative documents: edit them from Java, read them as JSON or as Yjs updates.
     *
     * <pre>{@code
     * chorus.documents().edit("room", doc -> doc.getText("body").insert(0, "hi")).toCompletableFuture().join();
     * }</pre>
     */
    public dev.chorus.core.documents.DocumentHub documents() {
        return node.documents();
    }

    /** Publishes from the server (no hooks, no client permission checks; schema still applies). */
    public CompletionStage<StreamPosition> publish(String channel, Payload data) {
        return node.serverPublish(channel, data, null);
    }

    /** Publishes from the server with an idempotency key. */
    public CompletionStage<StreamPosition> publish(String channel, Payload data, String idempotencyKey) {
        return node.serverPublish(channel, data, idempotencyKey);
    }

    /** Stops: clients get close code 4000 (reconnect elsewhere), in-flight work finishes, threads end. */
    @Override
    public void close() {
        node.shutdown(config.shutdownGrace());
        if (transport != null) {
            transport.stop(config.shutdownGrace());
        }
        node.release();
    }

    public static final class Builder {
        private ChorusConfig config = ChorusConfig.builder().build();
        private Broker broker;
        private PresenceStore presenceStore;
        private TransportFactory transportFactory;
        private TokenVerifier tokenVerifier;
        private io.micrometer.core.instrument.MeterRegistry meterRegistry;
        private dev.chorus.core.documents.DocumentStore documentStore;
        private ConnectHandler connect;
        private SubscribeHandler subscribe;
        private PublishHandler publish;
        private final Map<String, RpcHandler> rpc = new HashMap<>();

        private Builder() {
        }

        public Builder config(ChorusConfig v) {
            this.config = Objects.requireNonNull(v);
            return this;
        }

        /** The broker (default: {@link MemoryBroker}, single node). */
        public Builder broker(Broker v) {
            this.broker = v;
            return this;
        }

        /** The presence store (default: {@link MemoryPresenceStore}, single node). */
        public Builder presenceStore(PresenceStore v) {
            this.presenceStore = v;
            return this;
        }

        /** The transport (default: found through {@link ServiceLoader}). */
        public Builder transport(TransportFactory v) {
            this.transportFactory = v;
            return this;
        }

        /**
         * Verifies connection and subscription tokens (default: built from the configuration's
         * {@code auth} section, none when it is empty).
         */
        public Builder tokenVerifier(TokenVerifier v) {
            this.tokenVerifier = v;
            return this;
        }

        /** Where the node's metrics go (default: a Prometheus registry served at {@code /metrics}). */
        public Builder meterRegistry(io.micrometer.core.instrument.MeterRegistry v) {
            this.meterRegistry = v;
            return this;
        }

        /**
         * Where collaborative documents are kept (default: in memory, lost at exit; the standalone
         * server uses SQLite under {@code --data-dir}). Closed with the node.
         */
        public Builder documentStore(dev.chorus.core.documents.DocumentStore v) {
            this.documentStore = v;
            return this;
        }

        public Builder onConnect(ConnectHandler v) {
            this.connect = v;
            return this;
        }

        public Builder onSubscribe(SubscribeHandler v) {
            this.subscribe = v;
            return this;
        }

        public Builder onPublish(PublishHandler v) {
            this.publish = v;
            return this;
        }

        /** Registers an RPC method. */
        public Builder rpc(String method, RpcHandler handler) {
            this.rpc.put(Objects.requireNonNull(method), Objects.requireNonNull(handler));
            return this;
        }

        public Chorus build() {
            return new Chorus(this);
        }
    }
}
