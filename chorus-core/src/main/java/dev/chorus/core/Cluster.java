package dev.chorus.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chorus.core.broker.Broker;
import dev.chorus.core.broker.ChannelEvent;
import dev.chorus.protocol.ClientInfo;
import dev.chorus.protocol.Payload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nodes of a cluster as this node sees them, through the broker: every node announces itself
 * and its figures (connections, subscriptions, channels with subscriber counts) on the internal
 * channel {@code %nodes} every {@link #INTERVAL}; a node not heard of for three intervals is gone.
 * Commands that concern every node (disconnect a user, unsubscribe a user) go out on the same
 * channel and are answered by each node with its count.
 */
final class Cluster {
    private static final Logger log = LoggerFactory.getLogger(Cluster.class);
    static final String CHANNEL = "%nodes";
    static final Duration INTERVAL = Duration.ofSeconds(2);
    /** Channels a node reports at most (the largest ones). */
    static final int MAX_REPORTED_CHANNELS = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Seen(ServerApi.NodeInfo info, Map<String, Integer> channels, long atNanos) {
    }

    private record Pending(CompletableFuture<Integer> done, AtomicInteger sum, AtomicInteger waiting) {
    }

    private final Node node;
    private final Broker broker;
    private final ClientInfo self;
    private final long startedMillis = System.currentTimeMillis();
    private final Map<String, Seen> others = new ConcurrentHashMap<>();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    Cluster(Node node, Broker broker) {
        this.node = node;
        this.broker = broker;
        this.self = new ClientInfo(node.config().nodeName(), "", null, null, 0);
    }

    void start(ScheduledExecutorService timer) {
        broker.subscribe(CHANNEL).whenComplete((v, err) -> {
            if (err != null) {
                log.warn("cannot subscribe to the cluster channel; other nodes will not be seen", err);
            }
        });
        timer.scheduleWithFixedDelay(this::announce, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    private String name() {
        return self.client();
    }

    private ServerApi.NodeInfo selfInfo() {
        return new ServerApi.NodeInfo(name(), node.sessionCount(), node.subscriptionCount(), node.channelCount(),
                System.currentTimeMillis() - startedMillis);
    }

    private void announce() {
        try {
            ObjectNode o = JSON.createObjectNode();
            ServerApi.NodeInfo me = selfInfo();
            o.put("connections", me.connections()).put("subscriptions", me.subscriptions()).put("uptime", me.uptimeMillis());
            ObjectNode ch = o.putObject("channels");
            int n = 0;
            for (ServerApi.ChannelCount c : node.localChannels()) {
                if (n++ >= MAX_REPORTED_CHANNELS) {
                    break;
                }
                ch.put(c.channel(), c.subscribers());
            }
            broker.publishEvent(CHANNEL, new ChannelEvent.Signal("node", Payload.of(o), self));
            long cutoff = System.nanoTime() - 3 * INTERVAL.toNanos();
            others.values().removeIf(s -> s.atNanos() < cutoff);
        } catch (RuntimeException e) {
            log.warn("cluster announcement failed", e);
        }
    }

    /** What arrived on the cluster channel. */
    void onEvent(ChannelEvent event) {
        if (!(event instanceof ChannelEvent.Signal s) || s.info().client().equals(name())) {
            return;
        }
        try {
            JsonNode d = s.data().tree();
            switch (s.key()) {
                case "node" -> {
                    Map<String, Integer> channels = new TreeMap<>();
                    d.path("channels").fields().forEachRemaining(e -> channels.put(e.getKey(), e.getValue().asInt()));
                    others.put(s.info().client(), new Seen(new ServerApi.NodeInfo(s.info().client(), d.path("connections").asInt(),
                            d.path("subscriptions").asInt(), channels.size(), d.path("uptime").asLong()), channels, System.nanoTime()));
                }
                case "cmd" -> command(d);
                case "ack" -> {
                    Pending p = pending.get(d.path("id").asText());
                    if (p != null) {
                        p.sum().addAndGet(d.path("n").asInt());
                        if (p.waiting().decrementAndGet() <= 0) {
                            p.done().complete(p.sum().get());
                        }
                    }
                }
                default -> log.debug("ignoring cluster message {}", s.key());
            }
        } catch (RuntimeException e) {
            log.warn("dropped a malformed cluster message from {}", s.info().client(), e);
        }
    }

    private void command(JsonNode d) {
        String op = d.path("op").asText();
        String user = d.path("user").asText();
        CompletionStage<Integer> local = switch (op) {
            case "disconnect" -> node.localDisconnectUser(user, d.path("reason").asText(""));
            case "unsubscribe" -> node.localUnsubscribeUser(user, d.path("channel").asText());
            default -> CompletableFuture.completedFuture(0);
        };
        local.thenAccept(n -> {
            ObjectNode ack = JSON.createObjectNode().put("id", d.path("id").asText()).put("n", n);
            broker.publishEvent(CHANNEL, new ChannelEvent.Signal("ack", Payload.of(ack), self));
        });
    }

    /** Runs a command here and on every other live node; completes with the sum of their counts. */
    CompletionStage<Integer> everywhere(ObjectNode cmd, CompletionStage<Integer> local) {
        int expected = others.size();
        if (expected == 0) {
            return local;
        }
        String id = UUID.randomUUID().toString();
        Pending p = new Pending(new CompletableFuture<>(), new AtomicInteger(), new AtomicInteger(expected));
        pending.put(id, p);
        cmd.put("id", id);
        broker.publishEvent(CHANNEL, new ChannelEvent.Signal("cmd", Payload.of(cmd), self));
        // a node that went away meanwhile does not answer: count what came within the timeout
        CompletableFuture<Integer> remote = p.done().completeOnTimeout(-1, 2, TimeUnit.SECONDS)
                .thenApply(n -> n < 0 ? p.sum().get() : n);
        return local.thenCombine(remote, Integer::sum).whenComplete((n, e) -> pending.remove(id));
    }

    CompletionStage<Integer> disconnectUser(String user, String reason) {
        ObjectNode cmd = JSON.createObjectNode().put("op", "disconnect").put("user", user).put("reason", reason == null ? "" : reason);
        return everywhere(cmd, node.localDisconnectUser(user, reason));
    }

    CompletionStage<Integer> unsubscribeUser(String user, String channel) {
        ObjectNode cmd = JSON.createObjectNode().put("op", "unsubscribe").put("user", user).put("channel", channel);
        return everywhere(cmd, node.localUnsubscribeUser(user, channel));
    }

    /** This node and every other node heard of lately, sorted by name. */
    List<ServerApi.NodeInfo> nodes() {
        List<ServerApi.NodeInfo> all = new ArrayList<>();
        all.add(selfInfo());
        long cutoff = System.nanoTime() - 3 * INTERVAL.toNanos();
        for (Seen s : others.values()) {
            if (s.atNanos() >= cutoff) {
                all.add(s.info());
            }
        }
        all.sort(java.util.Comparator.comparing(ServerApi.NodeInfo::name));
        return all;
    }

    /** Channels with subscribers anywhere in the cluster, with their summed counts, sorted by name. */
    List<ServerApi.ChannelCount> channels() {
        Map<String, Integer> sum = new TreeMap<>();
        for (ServerApi.ChannelCount c : node.localChannels()) {
            sum.merge(c.channel(), c.subscribers(), Integer::sum);
        }
        long cutoff = System.nanoTime() - 3 * INTERVAL.toNanos();
        for (Seen s : others.values()) {
            if (s.atNanos() >= cutoff) {
                s.channels().forEach((k, v) -> sum.merge(k, v, Integer::sum));
            }
        }
        List<ServerApi.ChannelCount> out = new ArrayList<>(sum.size());
        sum.forEach((k, v) -> out.add(new ServerApi.ChannelCount(k, v)));
        return out;
    }
}
