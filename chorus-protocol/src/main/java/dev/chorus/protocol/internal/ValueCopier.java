package dev.chorus.protocol.internal;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.chorus.protocol.ErrorCode;
import dev.chorus.protocol.ProtocolException;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Base64;

/**
 * Streams one application value from a parser (JSON or MessagePack) into compact JSON bytes, token
 * by token, without building a tree. The output is the canonical form {@code Payload} uses (what
 * Jackson's default {@code ObjectMapper} writes for the parsed tree), so a value reads the same
 * whichever format carried it.
 *
 * <p>Refuses what JSON cannot carry or the protocol does not allow: nesting beyond the limit,
 * non-finite numbers, MessagePack extension types, duplicate keys. MessagePack binary becomes a
 * base64 string.
 */
public final class ValueCopier {
    private static final JsonFactory OUT = JsonFactory.builder()
            .enable(StreamWriteFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private ValueCopier() {
    }

    /**
     * Copies the value whose first token is the parser's current token and leaves the parser on its
     * last token.
     *
     * @param field      the request field holding the value, for messages
     * @param depthSoFar nesting levels already open around the value
     * @param maxDepth   the limit on total nesting
     */
    public static byte[] copy(JsonParser p, String field, int depthSoFar, int maxDepth) throws IOException, ProtocolException {
        ByteArrayBuilder out = new ByteArrayBuilder(128);
        try (JsonGenerator g = OUT.createGenerator(out, JsonEncoding.UTF8)) {
            int depth = 0;
            JsonToken t = p.currentToken();
            while (true) {
                switch (t) {
                    case START_OBJECT:
                    case START_ARRAY:
                        if (depthSoFar + depth + 1 > maxDepth) {
                            throw new ProtocolException(ErrorCode.BAD_REQUEST,
                                    "field '" + field + "' is nested deeper than " + maxDepth + " levels");
                        }
                        depth++;
                        if (t == JsonToken.START_OBJECT) {
                            g.writeStartObject();
                        } else {
                            g.writeStartArray();
                        }
                        break;
                    case END_OBJECT:
                        depth--;
                        g.writeEndObject();
                        break;
                    case END_ARRAY:
                        depth--;
                        g.writeEndArray();
                        break;
                    case FIELD_NAME:
                        duplicateSafe(g, p.currentName(), field);
                        break;
                    default:
                        scalar(p, g, t, field);
                }
                if (depth == 0) {
                    break;
                }
                t = p.nextToken();
                if (t == null) {
                    throw new ProtocolException(ErrorCode.BAD_REQUEST, "truncated value in field '" + field + "'");
                }
            }
        }
        return out.toByteArray();
    }

    private static void duplicateSafe(JsonGenerator g, String name, String field) throws IOException, ProtocolException {
        try {
            g.writeFieldName(name);
        } catch (com.fasterxml.jackson.core.JsonGenerationException e) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "duplicate key '" + Messages.shorten(name) + "' in field '" + field + "'");
        }
    }

    private static void scalar(JsonParser p, JsonGenerator g, JsonToken t, String field) throws IOException, ProtocolException {
        switch (t) {
            case VALUE_STRING:
                g.writeString(p.getText());
                break;
            case VALUE_NUMBER_INT:
                switch (p.getNumberType()) {
                    case INT:
                        g.writeNumber(p.getIntValue());
                        break;
                    case LONG:
                        g.writeNumber(p.getLongValue());
                        break;
                    default: {
                        // MessagePack carries at most uint64: a bigger integer from a JSON client
                        // could not be delivered to MessagePack subscribers
                        BigInteger v = p.getBigIntegerValue();
                        if (v.signum() < 0 || v.bitLength() > 64) {
                            throw new ProtocolException(ErrorCode.BAD_REQUEST,
                                    "field '" + field + "' has an integer outside -2^63..2^64-1");
                        }
                        g.writeNumber(v);
                    }
                }
                break;
            case VALUE_NUMBER_FLOAT: {
                double d = p.getDoubleValue();
                if (!Double.isFinite(d)) {
                    throw new ProtocolException(ErrorCode.BAD_REQUEST, "field '" + field + "' has a non-finite number");
                }
                g.writeNumber(d);
                break;
            }
            case VALUE_TRUE:
                g.writeBoolean(true);
                break;
            case VALUE_FALSE:
                g.writeBoolean(false);
                break;
            case VALUE_NULL:
                g.writeNull();
                break;
            case VALUE_EMBEDDED_OBJECT: {
                Object o = p.getEmbeddedObject();
                if (o instanceof byte[] bytes) {
                    g.writeString(Base64.getEncoder().encodeToString(bytes));
                    break;
                }
                throw new ProtocolException(ErrorCode.BAD_REQUEST,
                        "field '" + field + "' has a value with no JSON equivalent (MessagePack extension type)");
            }
            default:
                throw new ProtocolException(ErrorCode.BAD_REQUEST, "unexpected " + t + " in field '" + field + "'");
        }
    }
}
