package dev.chorus.netty.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.chorus.protocol.ErrorCode;
import dev.chorus.protocol.Payload;
import dev.chorus.protocol.ProtocolException;
import dev.chorus.protocol.StreamPosition;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import java.io.IOException;

/**
 * Reads the JSON bodies of {@code /publish} and the server API strictly, like the protocol's
 * decoder: one object, no duplicate keys, no trailing data, no NaN; fields of the wrong type are
 * refused with error 107 naming the field. Nothing is done with a body that does not pass.
 */
final class JsonBodies {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final ObjectReader READER = MAPPER.readerFor(JsonNode.class);

    private JsonBodies() {
    }

    /** The body as an object; an empty body counts as {@code {}} when {@code emptyIsObject}. */
    static JsonNode object(ByteBuf content, boolean emptyIsObject) throws ProtocolException {
        if (!content.isReadable()) {
            if (emptyIsObject) {
                return MAPPER.createObjectNode();
            }
            throw bad("empty body: send a JSON object");
        }
        JsonNode node;
        try (ByteBufInputStream in = new ByteBufInputStream(content.duplicate())) {
            node = READER.readValue((java.io.InputStream) in);
        } catch (JsonProcessingException e) {
            throw bad("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw bad("malformed JSON: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw bad("the body must be a JSON object");
        }
        return node;
    }

    static ProtocolException bad(String message) {
        return new ProtocolException(ErrorCode.BAD_REQUEST, message);
    }

    /** A string field; {@code null} when absent and not required. */
    static String string(JsonNode obj, String field, boolean required) throws ProtocolException {
        JsonNode v = obj.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw bad("missing field '" + field + "'");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw bad("field '" + field + "' must be a string");
        }
        return v.textValue();
    }

    /** A required value field ({@code null} is a value, as in the protocol). */
    static Payload payload(JsonNode obj, String field) throws ProtocolException {
        JsonNode v = obj.get(field);
        if (v == null) {
            throw bad("missing field '" + field + "'");
        }
        return Payload.of(v);
    }

    static int integer(JsonNode obj, String field, int min, int max, int dflt) throws ProtocolException {
        JsonNode v = obj.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < min || v.longValue() > max) {
            throw bad("field '" + field + "' must be an integer from " + min + " to " + max);
        }
        return (int) v.longValue();
    }

    static boolean bool(JsonNode obj, String field) throws ProtocolException {
        JsonNode v = obj.get(field);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw bad("field '" + field + "' must be true or false");
        }
        return v.booleanValue();
    }

    /** An optional position {@code {"offset": N, "epoch": "..."}}. */
    static StreamPosition position(JsonNode obj, String field) throws ProtocolException {
        JsonNode v = obj.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw bad("field '" + field + "' must be an object {\"offset\", \"epoch\"}");
        }
        JsonNode o = v.get("offset");
        JsonNode e = v.get("epoch");
        if (o == null || !o.isIntegralNumber() || !o.canConvertToLong() || o.longValue() < 0) {
            throw bad("field '" + field + ".offset' must be an integer >= 0");
        }
        if (e == null || !e.isTextual()) {
            throw bad("field '" + field + ".epoch' must be a string");
        }
        return new StreamPosition(o.longValue(), e.textValue());
    }
}
