package dev.chorus.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chorus.client.ChorusException;
import dev.chorus.protocol.ClientInfo;
import dev.chorus.protocol.Payload;
import dev.chorus.protocol.Publication;
import dev.chorus.protocol.StreamPosition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads result objects, which the codec hands over as trees (a reply alone does not say which
 * request it answers). Strict about what the client relies on: a missing or mistyped field throws
 * a {@link ChorusException} with {@link ChorusException#MALFORMED_FRAME}, so a broken reply fails
 * its request instead of corrupting the client's state.
 */
final class Results {
    private Results() {
    }

    static StreamPosition position(JsonNode n) {
        long offset = n.has("offset") ? integer(n, "offset") : 0;
        String epoch = n.has("epoch") ? string(n, "epoch") : "";
        if (offset < 0) {
            throw bad("field 'offset' must not be negative");
        }
        return new StreamPosition(offset, epoch);
    }

    static Publication publication(JsonNode n) {
        if (!n.isObject()) {
            throw bad("a publication must be an object");
        }
        StreamPosition pos = position(n);
        long time = n.has("time") ? integer(n, "time") : 0;
        if (!n.has("data")) {
            throw bad("missing field 'data' in a publication");
        }
        ClientInfo info = n.hasNonNull("info") ? client(object(n, "info")) : null;
        return new Publication(pos.offset(), pos.epoch(), time, Payload.of(n.get("data")), info);
    }

    static List<Publication> publications(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw bad("field 'publications' must be an array");
        }
        List<Publication> out = new ArrayList<>(n.size());
        for (JsonNode p : n) {
            out.add(publication(p));
        }
        return out;
    }

    static ClientInfo client(JsonNode n) {
        if (!n.isObject()) {
            throw bad("a client info must be an object");
        }
        return new ClientInfo(string(n, "client"), n.has("user") ? string(n, "user") : "",
                n.hasNonNull("connInfo") ? Payload.of(n.get("connInfo")) : null,
                n.has("state") ? Payload.of(n.get("state")) : null,
                n.has("clock") ? integer(n, "clock") : 0);
    }

    static Map<String, ClientInfo> clients(JsonNode n) {
        if (!n.isObject()) {
            throw bad("a presence map must be an object");
        }
        Map<String, ClientInfo> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            out.put(e.getKey(), client(e.getValue()));
        }
        return out;
    }

    static JsonNode object(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isObject()) {
            throw bad("field '" + field + "' must be an object");
        }
        return v;
    }

    static String string(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw bad("field '" + field + "' must be a string");
        }
        return v.textValue();
    }

    static long integer(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
            throw bad("field '" + field + "' must be an integer");
        }
        return v.longValue();
    }

    static long integer(JsonNode n, String field, long absent) {
        return n.has(field) && !n.get(field).isNull() ? integer(n, field) : absent;
    }

    static boolean bool(JsonNode n, String field, boolean absent) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return absent;
        }
        if (!v.isBoolean()) {
            throw bad("field '" + field + "' must be a boolean");
        }
        return v.booleanValue();
    }

    static ChorusException bad(String message) {
        return new ChorusException(ChorusException.MALFORMED_FRAME, "malformed reply: " + message);
    }
}
