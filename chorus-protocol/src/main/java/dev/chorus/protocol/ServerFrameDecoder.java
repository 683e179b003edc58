package dev.chorus.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chorus.protocol.internal.Messages;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a parsed server frame into a {@link ServerFrame}. Used by clients and tests, so it works on
 * a tree; it is as strict as the request decoder: a missing or mistyped field is refused with a
 * message naming it.
 */
final class ServerFrameDecoder {
    private ServerFrameDecoder() {
    }

    static ServerFrame decode(JsonNode root) throws ProtocolException {
        if (root.has("push")) {
            return new ServerFrame(null, push(root));
        }
        long id = root.has("id") ? longField(root, "id", "") : 0;
        if (root.has("error")) {
            return new ServerFrame(Reply.error(id, error(object(root, "error", ""), "error.")), null);
        }
        if (root.has("result")) {
            return new ServerFrame(Reply.ok(id, new Result.Raw(Payload.of(root.get("result")))), null);
        }
        throw bad("a server frame needs 'push', 'result' or 'error'");
    }

    private static Push push(JsonNode n) throws ProtocolException {
        String type = string(n, "push", "");
        switch (type) {
            case "pub":
                return new Push.Pub(string(n, "channel", ""), publication(object(n, "pub", ""), "pub."));
            case "join":
                return new Push.Join(string(n, "channel", ""), client(object(n, "info", ""), "info."));
            case "leave":
                return new Push.Leave(string(n, "channel", ""), client(object(n, "info", ""), "info."));
            case "presence":
                return new Push.PresenceChange(string(n, "channel", ""), client(object(n, "info", ""), "info."));
            case "signal":
                return new Push.Signal(string(n, "channel", ""), string(n, "key", ""), payload(n, "data", ""),
                        n.has("info") ? client(object(n, "info", ""), "info.") : null);
            case "unsub":
                return new Push.Unsubscribed(string(n, "channel", ""), (int) longField(n, "code", ""),
                        n.has("reason") ? string(n, "reason", "") : "", n.has("resubscribe") && bool(n, "resubscribe", ""));
            case "doc":
                try {
                    return new Push.Doc(string(n, "doc", ""), java.util.Base64.getDecoder().decode(string(n, "data", "")));
                } catch (IllegalArgumentException e) {
                    throw new ProtocolException(ErrorCode.BAD_REQUEST, "field 'data' of a doc push is not base64");
                }
            case "ping":
                return Push.Ping.INSTANCE;
            case "error":
                return new Push.Error(error(object(n, "error", ""), "error."));
            default:
                throw bad("unknown push '" + Messages.shorten(type) + "'");
        }
    }

    private static ErrorInfo error(JsonNode n, String path) throws ProtocolException {
        return new ErrorInfo((int) longField(n, "code", path), string(n, "message", path));
    }

    /** Decodes a publication object as written in pushes and results. */
    static Publication publication(JsonNode n, String path) throws ProtocolException {
        return new Publication(n.has("offset") ? longField(n, "offset", path) : 0,
                n.has("epoch") ? string(n, "epoch", path) : "",
                longField(n, "time", path), payload(n, "data", path),
                n.has("info") ? client(object(n, "info", path), path + "info.") : null);
    }

    /** Decodes a client info object. */
    static ClientInfo client(JsonNode n, String path) throws ProtocolException {
        return new ClientInfo(string(n, "client", path), string(n, "user", path),
                n.has("connInfo") ? Payload.of(n.get("connInfo")) : null,
                n.has("state") ? Payload.of(n.get("state")) : null,
                n.has("clock") ? longField(n, "clock", path) : 0);
    }

    /** Decodes a map of client id to client info. */
    static Map<String, ClientInfo> clients(JsonNode n, String path) throws ProtocolException {
        Map<String, ClientInfo> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isObject()) {
                throw bad("field '" + path + e.getKey() + "' must be an object");
            }
            out.put(e.getKey(), client(e.getValue(), path + e.getKey() + "."));
        }
        return out;
    }

    /** Decodes a list of publications. */
    static List<Publication> publications(JsonNode n, String path) throws ProtocolException {
        List<Publication> out = new ArrayList<>();
        for (JsonNode p : n) {
            if (!p.isObject()) {
                throw bad("field '" + path + "' must hold objects");
            }
            out.add(publication(p, path + "."));
        }
        return out;
    }

    private static JsonNode present(JsonNode n, String name, String path) throws ProtocolException {
        JsonNode v = n.get(name);
        if (v == null) {
            throw bad("missing field '" + path + name + "'");
        }
        return v;
    }

    private static JsonNode object(JsonNode n, String name, String path) throws ProtocolException {
        JsonNode v = present(n, name, path);
        if (!v.isObject()) {
            throw bad("field '" + path + name + "' must be an object");
        }
        return v;
    }

    private static String string(JsonNode n, String name, String path) throws ProtocolException {
        JsonNode v = present(n, name, path);
        if (!v.isTextual()) {
            throw bad("field '" + path + name + "' must be a string");
        }
        return v.textValue();
    }

    private static long longField(JsonNode n, String name, String path) throws ProtocolException {
        JsonNode v = present(n, name, path);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw bad("field '" + path + name + "' must be an integer");
        }
        return v.longValue();
    }

    private static boolean bool(JsonNode n, String name, String path) throws ProtocolException {
        JsonNode v = present(n, name, path);
        if (!v.isBoolean()) {
            throw bad("field '" + path + name + "' must be a boolean");
        }
        return v.booleanValue();
    }

    private static Payload payload(JsonNode n, String name, String path) throws ProtocolException {
        return Payload.of(present(n, name, path));
    }

    private static ProtocolException bad(String message) {
        return new ProtocolException(ErrorCode.BAD_REQUEST, message);
    }
}
