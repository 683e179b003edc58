package dev.chorus.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.chorus.protocol.internal.Messages;
import dev.chorus.protocol.internal.ValueCopier;
import java.io.IOException;

/**
 * Reads the fields of one request object from a parser (either format) and builds the typed
 * {@link Request}. Errors are thrown as they are met; {@link FrameCodec} then looks for the id in
 * the whole frame, so an id written after the faulty field is still reported.
 */
final class RequestDecoder {
    /** Ids are JSON-safe integers, so JavaScript clients can use plain numbers. */
    static final long MAX_ID = (1L << 53) - 1;

    private RequestDecoder() {
    }

    /** Reads the fields of the object whose START_OBJECT is the current token, up to its END_OBJECT. */
    static RequestFields read(JsonParser p) throws IOException, ProtocolException {
        RequestFields f = new RequestFields();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (v == null) {
                break;
            }
            switch (name) {
                case "id" -> f.id = id(p, v);
                case "op" -> f.op = string(p, v, name);
                case "token" -> f.token = string(p, v, name);
                case "name" -> f.name = string(p, v, name);
                case "version" -> f.version = string(p, v, name);
                case "channel" -> f.channel = string(p, v, name);
                case "key" -> f.key = string(p, v, name);
                case "method" -> f.method = string(p, v, name);
                case "doc" -> f.doc = string(p, v, name);
                case "readOnly" -> f.readOnly = bool(v, name);
                case "presence" -> f.presence = bool(v, name);
                case "joinLeave" -> f.joinLeave = bool(v, name);
                case "reverse" -> f.reverse = bool(v, name);
                case "limit" -> f.limit = limit(p, v);
                case "since" -> f.since = position(p, v);
                case "data" -> {
                    // a doc request carries base64 bytes; other ops any value
                    if (v == JsonToken.VALUE_STRING && "doc".equals(f.op)) {
                        f.bytes = p.getText();
                    } else {
                        f.data = payload(p, name);
                    }
                }
                case "state" -> f.state = payload(p, name);
                default -> p.skipChildren();
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "truncated frame");
        }
        return f;
    }

    /** Reads only the top-level {@code id}, skipping everything else; 0 when there is none. */
    static long findId(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            return 0;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (name.equals("id")) {
                try {
                    return id(p, v);
                } catch (ProtocolException e) {
                    return 0;
                }
            }
            p.skipChildren();
        }
        return 0;
    }

    private static long id(JsonParser p, JsonToken v) throws IOException, ProtocolException {
        if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                || p.getLongValue() < 0 || p.getLongValue() > MAX_ID) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "field 'id' must be an integer from 0 to 2^53-1");
        }
        return p.getLongValue();
    }

    private static int limit(JsonParser p, JsonToken v) throws IOException, ProtocolException {
        if (v == JsonToken.VALUE_NULL) {
            return -1;
        }
        if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT || p.getIntValue() < -1) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "field 'limit' must be an integer from -1 to 2147483647");
        }
        return p.getIntValue();
    }

    private static Payload payload(JsonParser p, String field) throws IOException, ProtocolException {
        // the frame's own object is level 1
        return Payload.ofCanonicalJson(ValueCopier.copy(p, field, 1, Codec.MAX_DEPTH));
    }

    private static String string(JsonParser p, JsonToken v, String name) throws IOException, ProtocolException {
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        if (v != JsonToken.VALUE_STRING) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "field '" + name + "' must be a string");
        }
        return p.getText();
    }

    private static boolean bool(JsonToken v, String name) throws ProtocolException {
        if (v == JsonToken.VALUE_NULL || v == JsonToken.VALUE_FALSE) {
            return false;
        }
        if (v != JsonToken.VALUE_TRUE) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "field '" + name + "' must be a boolean");
        }
        return true;
    }

    private static StreamPosition position(JsonParser p, JsonToken v) throws IOException, ProtocolException {
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        if (v != JsonToken.START_OBJECT) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "field 'since' must be an object {offset, epoch}");
        }
        long offset = -1;
        String epoch = null;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (value == null) {
                break;
            }
            if (name.equals("offset")) {
                if (value != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        || p.getLongValue() < 0) {
                    throw new ProtocolException(ErrorCode.BAD_REQUEST, "field 'since.offset' must be a non-negative integer");
                }
                offset = p.getLongValue();
            } else if (name.equals("epoch")) {
                if (value != JsonToken.VALUE_STRING) {
                    throw new ProtocolException(ErrorCode.BAD_REQUEST, "field 'since.epoch' must be a string");
                }
                epoch = p.getText();
            } else {
                p.skipChildren();
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "truncated frame");
        }
        if (offset < 0 || epoch == null) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "field 'since' needs both 'offset' and 'epoch'");
        }
        return new StreamPosition(offset, epoch);
    }

    /** The typed request for the fields read, or the error naming what is missing. */
    static Request build(RequestFields f) throws ProtocolException {
        long id = f.id;
        if (f.op == null) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "missing field 'op'", id);
        }
        return switch (f.op) {
            case "connect" -> new Request.Connect(id, f.token, f.name, f.version);
            case "subscribe" -> new Request.Subscribe(id, need(f.channel, "channel", id), f.since, f.presence, f.joinLeave, f.token);
            case "refresh" -> new Request.Refresh(id, need(f.token, "token", id));
            case "unsubscribe" -> new Request.Unsubscribe(id, need(f.channel, "channel", id));
            case "publish" -> new Request.Publish(id, need(f.channel, "channel", id), need(f.data, "data", id), f.key);
            case "history" -> new Request.History(id, need(f.channel, "channel", id), f.since, f.limit, f.reverse);
            case "presence" -> new Request.Presence(id, need(f.channel, "channel", id));
            case "presence_stats" -> new Request.PresenceStats(id, need(f.channel, "channel", id));
            case "presence_update" -> new Request.PresenceUpdate(id, need(f.channel, "channel", id), need(f.state, "state", id));
            case "signal" -> new Request.Signal(id, need(f.channel, "channel", id), f.key == null ? "" : f.key, need(f.data, "data", id));
            case "rpc" -> new Request.Rpc(id, need(f.method, "method", id), f.data == null ? Payload.NULL : f.data);
            case "doc_open" -> new Request.DocOpen(id, need(f.doc, "doc", id), f.readOnly);
            case "doc" -> new Request.Doc(id, need(f.doc, "doc", id), base64(f, id));
            case "doc_close" -> new Request.DocClose(id, need(f.doc, "doc", id));
            case "ping" -> new Request.Ping(id);
            case "pong" -> new Request.Pong();
            default -> throw new ProtocolException(ErrorCode.UNKNOWN_OPERATION, "unknown op '" + Messages.shorten(f.op) + "'", id);
        };
    }

    /** The base64 {@code data} of a {@code doc} request (also when {@code data} came before {@code op}). */
    private static byte[] base64(RequestFields f, long id) throws ProtocolException {
        String text = f.bytes;
        if (text == null && f.data != null && f.data.tree().isTextual()) {
            text = f.data.tree().asText();
        }
        if (text == null) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "field 'data' must be a base64 string", id);
        }
        try {
            return java.util.Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "field 'data' is not valid base64", id);
        }
    }

    private static <T> T need(T value, String field, long id) throws ProtocolException {
        if (value == null) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "missing field '" + field + "'", id);
        }
        return value;
    }
}
