package dev.chorus.bench;

import dev.chorus.bench.Connections.BenchClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Like {@link Driver}, but for several nodes: one set of generator event loops opens {@code chorus/1}
 * sessions to whichever node's port it is given, so the generator costs the same whatever the number
 * of nodes. Hands every delivery to the scenario with the channel offset it carried and the offset
 * the connection had seen before it (for the ordering checks).
 */
final class ClusterDriver implements Connections.Listener, AutoCloseable {
    /** Receives one delivered publication. */
    interface Handler {
        /**
         * @param time       the publish time in the payload (System.nanoTime of this JVM)
         * @param seq        the generator's publication number in the payload
         * @param offset     the channel offset the server gave the publication
         * @param lastOffset the offset this connection saw before (its subscribe position at first)
         */
        void onDelivery(BenchClient client, long time, long seq, long offset, long lastOffset);
    }

    final String host;
    final List<Integer> ports;
    final WireProtocol wire = new ChorusWire();
    private final Connections connections;
    private final Map<BenchClient, CompletableFuture<Void>> ready = new ConcurrentHashMap<>();
    private final Map<BenchClient, CompletableFuture<Void>> subscribed = new ConcurrentHashMap<>();
    private final ThreadLocal<long[]> scratch = ThreadLocal.withInitial(() -> new long[2]);
    private volatile Handler handler = (c, t, s, o, l) -> { };
    private volatile java.util.function.Consumer<BenchClient> onClosed = c -> { };

    ClusterDriver(String host, List<Integer> ports, int threads, int sourceAddresses) {
        this.host = host;
        this.ports = List.copyOf(ports);
        this.connections = new Connections(threads, sourceAddresses);
    }

    void onDelivery(Handler h) {
        this.handler = h;
    }

    void onClosed(java.util.function.Consumer<BenchClient> h) {
        this.onClosed = h;
    }

    /** Opens a session on node {@code node} (0-based index into the ports). */
    CompletableFuture<BenchClient> connect(int node) {
        ClientState state = new ClientState();
        return connections.open(host, ports.get(node), wire, state, this).thenCompose(c -> {
            CompletableFuture<Void> r = ready.computeIfAbsent(c, k -> new CompletableFuture<>());
            c.send(wire.hello(state));
            return r.thenApply(v -> c);
        });
    }

    /** Opens a session on node {@code node} and subscribes it to {@code channel}. */
    CompletableFuture<BenchClient> connectAndSubscribe(int node, String channel) {
        return connect(node).thenCompose(c -> {
            CompletableFuture<Void> s = new CompletableFuture<>();
            subscribed.put(c, s);
            c.send(wire.subscribe(channel, c.state));
            return s.thenApply(v -> c);
        });
    }

    @Override
    public void onText(BenchClient client, io.netty.buffer.ByteBuf frame) {
        long[] ts = scratch.get();
        long before = client.state.lastOffset;
        if (wire.onDeliveryFrame(client.state, frame, ts)) {
            handler.onDelivery(client, ts[0], ts[1], client.state.lastOffset, before);
            return;
        }
        String text = frame.toString(StandardCharsets.UTF_8);
        if (!client.established && wire.onOpenFrame(client.state, text, client::send)) {
            client.established = true;
            ready.computeIfAbsent(client, k -> new CompletableFuture<>()).complete(null);
            return;
        }
        // pings, the subscribe reply (sets the position); no publication arrives before the reply
        wire.onFrame(client.state, text, client::send, data -> handler.onDelivery(client, Payloads.time(data), Payloads.seq(data), -1, -1));
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
        CompletableFuture<Void> s = subscribed.remove(client);
        if (s != null && !s.isDone()) {
            s.completeExceptionally(new IllegalStateException("closed before subscribed"));
        }
        onClosed.accept(client);
    }

    @Override
    public void close() {
        connections.close();
    }
}
