package dev.chorus.netty.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chorus.core.ServerApi;
import dev.chorus.core.broker.HistoryQuery;
import dev.chorus.protocol.Codec;
import dev.chorus.protocol.ErrorCode;
import dev.chorus.protocol.Format;
import dev.chorus.protocol.Payload;
import dev.chorus.protocol.ProtocolException;
import dev.chorus.protocol.Reply;
import dev.chorus.protocol.Result;
import dev.chorus.protocol.StreamPosition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The methods of the HTTP server API ({@code POST /api/<method>}), each turning a checked JSON body
 * into a {@link ServerApi} call and its result into JSON. Publications and client infos are written
 * exactly as the {@code chorus/1} JSON codec writes them.
 */
final class ServerApiMethods {
    /** Most publications in one {@code batch_publish}. */
    static final int MAX_BATCH = 1000;
    private static final Codec CODEC = Codec.forFormat(Format.JSON);

    /** One method: validates {@code body} (throwing 107 and friends) and calls the API. */
    @FunctionalInterface
    interface Method {
        CompletionStage<JsonNode> call(ServerApi api, JsonNode body) throws ProtocolException;
    }

    static final Map<String, Method> ALL = Map.of(
            "publish", ServerApiMethods::publish,
            "batch_publish", ServerApiMethods::batchPublish,
            "history", ServerApiMethods::history,
            "presence", ServerApiMethods::presence,
            "presence_stats", ServerApiMethods::presenceStats,
            "channels", ServerApiMethods::channels,
            "nodes", ServerApiMethods::nodes,
            "disconnect", ServerApiMethods::disconnect,
            "unsubscribe", ServerApiMethods::unsubscribe);

    private ServerApiMethods() {
    }

    private record Item(String channel, Payload data, String key) {
    }

    private static Item item(JsonNode body) throws ProtocolException {
        if (!body.isObject()) {
            throw JsonBodies.bad("a publication must be an object {\"channel\", \"data\", \"key\"?}");
        }
        String key = JsonBodies.string(body, "key", false);
        if (key != null && (key.isEmpty() || key.length() > 128)) {
            throw JsonBodies.bad("idempotency key must have 1 to 128 characters");
        }
        return new Item(JsonBodies.string(body, "channel", true), JsonBodies.payload(body, "data"), key);
    }

    static CompletionStage<JsonNode> publish(ServerApi api, JsonNode body) throws ProtocolException {
        Item it = item(body);
        return api.publish(it.channel(), it.data(), it.key()).thenApply(ServerApiMethods::position);
    }

    private static JsonNode position(StreamPosition p) {
        return HttpResponses.JSON.createObjectNode().put("offset", p.offset()).put("epoch", p.epoch());
    }

    /** Publishes in order, one after the other; a bad item gets its error and the others still go. */
    static CompletionStage<JsonNode> batchPublish(ServerApi api, JsonNode body) throws ProtocolException {
        JsonNode list = body.get("publications");
        if (list == null || !list.isArray()) {
            throw JsonBodies.bad("missing field 'publications' (an array)");
        }
        if (list.size() > MAX_BATCH) {
            throw new ProtocolException(ErrorCode.LIMIT_EXCEEDED, "more than " + MAX_BATCH + " publications in one batch");
        }
        List<Object> items = new ArrayList<>();
        for (JsonNode n : list) {
            try {
                items.add(item(n));
            } catch (ProtocolException e) {
                items.add(e);
            }
        }
        ArrayNode results = HttpResponses.JSON.createArrayNode();
        CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
        for (Object o : items) {
            chain = chain.thenCompose(v -> {
                if (o instanceof ProtocolException e) {
                    results.add(errorNode(e.code().code(), e.getMessage()));
                    return CompletableFuture.completedFuture(null);
                }
                Item it = (Item) o;
                return api.publish(it.channel(), it.data(), it.key()).handle((p, err) -> {
                    if (err == null) {
                        results.add(position(p));
                    } else if (PendingResponse.unwrap(err) instanceof ProtocolException pe) {
                        results.add(errorNode(pe.code().code(), pe.getMessage()));
                    } else {
                        results.add(errorNode(ErrorCode.INTERNAL.code(), ErrorCode.INTERNAL.defaultMessage()));
                    }
                    return null;
                });
            });
        }
        return chain.thenApply(v -> {
            ObjectNode out = HttpResponses.JSON.createObjectNode();
            out.set("results", results);
            return out;
        });
    }

    private static ObjectNode errorNode(int code, String message) {
        ObjectNode n = HttpResponses.JSON.createObjectNode();
        n.putObject("error").put("code", code).put("message", message);
        return n;
    }

    static CompletionStage<JsonNode> history(ServerApi api, JsonNode body) throws ProtocolException {
        String channel = JsonBodies.string(body, "channel", true);
        StreamPosition since = JsonBodies.position(body, "since");
        int limit = JsonBodies.integer(body, "limit", -1, Integer.MAX_VALUE, -1);
        boolean reverse = JsonBodies.bool(body, "reverse");
        return api.history(channel, new HistoryQuery(since, limit, reverse))
                .thenApply(h -> protocolJson(new Result.History(h.position(), h.publications())));
    }

    static CompletionStage<JsonNode> presence(ServerApi api, JsonNode body) throws ProtocolException {
        String channel = JsonBodies.string(body, "channel", true);
        return api.presence(channel).thenApply(p -> protocolJson(new Result.Presence(p)));
    }

    static CompletionStage<JsonNode> presenceStats(ServerApi api, JsonNode body) throws ProtocolException {
        String channel = JsonBodies.string(body, "channel", true);
        return api.presenceStats(channel).thenApply(s -> HttpResponses.JSON.createObjectNode()
                .put("clients", s.clients()).put("users", s.users()));
    }

    static CompletionStage<JsonNode> channels(ServerApi api, JsonNode body) throws ProtocolException {
        String prefix = JsonBodies.string(body, "prefix", false);
        return api.channels().thenApply(list -> {
            ObjectNode out = HttpResponses.JSON.createObjectNode();
            ArrayNode arr = out.putArray("channels");
            for (ServerApi.ChannelCount c : list) {
                if (prefix == null || c.channel().startsWith(prefix)) {
                    arr.addObject().put("channel", c.channel()).put("subscribers", c.subscribers());
                }
            }
            return out;
        });
    }

    static CompletionStage<JsonNode> nodes(ServerApi api, JsonNode body) {
        return api.nodes().thenApply(list -> {
            ObjectNode out = HttpResponses.JSON.createObjectNode();
            ArrayNode arr = out.putArray("nodes");
            int connections = 0;
            for (ServerApi.NodeInfo n : list) {
                arr.addObject().put("name", n.name()).put("connections", n.connections()).put("subscriptions", n.subscriptions())
                        .put("channels", n.channels()).put("uptime", n.uptimeMillis());
                connections += n.connections();
            }
            out.put("connections", connections);
            return out;
        });
    }

    private static String user(JsonNode body) throws ProtocolException {
        String user = JsonBodies.string(body, "user", true);
        if (user.isEmpty()) {
            throw JsonBodies.bad("field 'user' must not be empty");
        }
        return user;
    }

    static CompletionStage<JsonNode> disconnect(ServerApi api, JsonNode body) throws ProtocolException {
        String user = user(body);
        String reason = JsonBodies.string(body, "reason", false);
        return api.disconnectUser(user, reason).thenApply(n -> HttpResponses.JSON.createObjectNode().put("disconnected", n));
    }

    static CompletionStage<JsonNode> unsubscribe(ServerApi api, JsonNode body) throws ProtocolException {
        String user = user(body);
        String channel = JsonBodies.string(body, "channel", true);
        return api.unsubscribeUser(user, channel).thenApply(n -> HttpResponses.JSON.createObjectNode().put("unsubscribed", n));
    }

    /** A result as the protocol's JSON codec writes it. */
    private static JsonNode protocolJson(Result r) {
        try {
            return HttpResponses.JSON.readTree(CODEC.encodeReply(Reply.ok(1, r))).get("result");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
