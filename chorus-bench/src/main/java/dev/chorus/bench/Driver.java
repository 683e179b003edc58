package dev.chorus.bench;

import dev.chorus.bench.Connections.BenchClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Establishes protocol sessions over {@link Connections}: open, hello, subscribe, and routes every
 * delivered message to the scenario.
 */
final class Driver implements Connections.Listener, AutoCloseable {
    final String host;
    final int port;
    final WireProtocol wire;
    private final Connections connections;
    private final Map<BenchClient, CompletableFuture<Void>> ready = new ConcurrentHashMap<>();
    private final Map<BenchClient, CompletableFuture<Void>> subscribed = new ConcurrentHashMap<>();
    /** Receives each delivered message's publish time and sequence number. */
    interface DeliveryHandler {
        void onDelivery(BenchClient client, long time, long seq);
    }

    private volatile DeliveryHandler onDelivery = (c, t, s) -> { };
    private final ThreadLocal<long[]> scratch = ThreadLocal.withInitial(() -> new long[2]);
    private volatile java.util.function.Consumer<BenchClient> onClosed = c -> { };

    Driver(String host, int port, WireProtocol wire, int threads, int sourceAddresses) {
        this.host = host;
        this.port = port;
        this.wire = wire;
        this.connections = new Connections(threads, sourceAddresses);
    }

    void onDelivery(DeliveryHandler handler) {
        this.onDelivery = handler;
    }

    void onClosed(java.util.function.Consumer<BenchClient> handler) {
        this.onClosed = handler;
    }

    /** Opens a connection and establishes the session. */
    CompletableFuture<BenchClient> connect(ClientState state) {
        return connections.open(host, port, wire, state, this).thenCompose(c -> {
            CompletableFuture<Void> r = ready.computeIfAbsent(c, k -> new CompletableFuture<>());
            String hello = wire.hello(state);
            if (hello != null) {
                c.send(hello);
            }
            return r.thenApply(v -> c);
        });
    }

    /** Opens, establishes and subscribes. */
    CompletableFuture<BenchClient> connectAndSubscribe(ClientState state, String channel) {
        return connect(state).thenCompose(c -> subscribe(c, channel));
    }

    CompletableFuture<BenchClient> subscribe(BenchClient c, String channel) {
        CompletableFuture<Void> s = new CompletableFuture<>();
        subscribed.put(c, s);
        c.state.subscribed = false;
        c.send(wire.subscribe(channel, c.state));
        return s.thenApply(v -> c);
    }

    /** Opens {@code n} subscribed clients, channel chosen by index; waits for all. */
    List<BenchClient> subscribers(int n, java.util.function.IntFunction<String> channelOf, long timeoutSeconds) throws Exception {
        List<CompletableFuture<BenchClient>> fs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            fs.add(connectAndSubscribe(new ClientState(), channelOf.apply(i)));
        }
        List<BenchClient> out = new ArrayList<>(n);
        for (CompletableFuture<BenchClient> f : fs) {
            out.add(f.get(timeoutSeconds, TimeUnit.SECONDS));
        }
        return out;
    }

    @Override
    public void onText(BenchClient client, io.netty.buffer.ByteBuf frame) {
        long[] ts = scratch.get();
        if (wire.onDeliveryFrame(client.state, frame, ts)) {
            onDelivery.onDelivery(client, ts[0], ts[1]);
            return;
        }
        String text = frame.toString(java.nio.charset.StandardCharsets.UTF_8);
        if (!client.established && wire.onOpenFrame(client.state, text, client::send)) {
            client.established = true;
            ready.computeIfAbsent(client, k -> new CompletableFuture<>()).complete(null);
            return;
        }
        wire.onFrame(client.state, text, client::send, data -> onDelivery.onDelivery(client, Payloads.time(data), Payloads.seq(data)));
        if (client.state.subscribed) {
            CompletableFuture<Void> s = subscribed.remove(client);
            if (s != null) {
                s.complete(null);
            }
        }
    }

    @Override
    public void onClosed(BenchClient client) {
        CompletableFuture<Void> r = ready.remove(client);
        if (r != null && !r.isDone()) {
            r.completeExceptionally(new IllegalStateException("closed"));
        }
        subscribed.remove(client);
        onClosed.accept(client);
    }

    /** Forgets a client's futures (after it was closed on purpose). */
    void forget(BenchClient c) {
        ready.remove(c);
        subscribed.remove(c);
    }

    @Override
    public void close() {
        connections.close();
    }
}
