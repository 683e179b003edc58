package dev.chorus.protocol.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chorus.protocol.ErrorCode;
import dev.chorus.protocol.ProtocolException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Base64;

/**
 * Reads one value from a parser into a tree without recursion, refusing what JSON cannot carry:
 * nesting deeper than the limit, non-finite numbers, MessagePack extension types, duplicate keys.
 * MessagePack binary becomes a base64 string, so every format yields the same JSON value.
 */
public final class TreeReader {
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(false);

    private TreeReader() {
    }

    /** Reads the value whose first token is the parser's current token. */
    public static JsonNode read(JsonParser p, String field, int maxDepth, int depthSoFar) throws IOException, ProtocolException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.START_OBJECT && t != JsonToken.START_ARRAY) {
            return scalar(p, t, field);
        }
        ArrayDeque<ContainerNode<?>> stack = new ArrayDeque<>();
        ContainerNode<?> root = t == JsonToken.START_OBJECT ? NODES.objectNode() : NODES.arrayNode();
        stack.push(root);
        checkDepth(stack.size() + depthSoFar, maxDepth, field);
        String pendingName = null;
        while (!stack.isEmpty()) {
            t = p.nextToken();
            if (t == null) {
                throw new ProtocolException(ErrorCode.BAD_REQUEST, "truncated value in field '" + field + "'");
            }
            ContainerNode<?> top = stack.peek();
            if (t == JsonToken.FIELD_NAME) {
                pendingName = p.currentName();
                if (((ObjectNode) top).has(pendingName)) {
                    throw new ProtocolException(ErrorCode.BAD_REQUEST, "duplicate key '" + pendingName + "' in field '" + field + "'");
                }
                continue;
            }
            if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                stack.pop();
                continue;
            }
            JsonNode value;
            if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                ContainerNode<?> child = t == JsonToken.START_OBJECT ? NODES.objectNode() : NODES.arrayNode();
                add(top, pendingName, child);
                stack.push(child);
                checkDepth(stack.size() + depthSoFar, maxDepth, field);
                continue;
            }
            value = scalar(p, t, field);
            add(top, pendingName, value);
        }
        return root;
    }

    private static void add(ContainerNode<?> top, String name, JsonNode value) {
        if (top instanceof ObjectNode o) {
            o.set(name, value);
        } else {
            ((ArrayNode) top).add(value);
        }
    }

    private static void checkDepth(int depth, int max, String field) throws ProtocolException {
        if (depth > max) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "field '" + field + "' is nested deeper than " + max + " levels");
        }
    }

    private static JsonNode scalar(JsonParser p, JsonToken t, String field) throws IOException, ProtocolException {
        switch (t) {
            case VALUE_STRING:
                return NODES.textNode(p.getText());
            case VALUE_NUMBER_INT:
                switch (p.getNumberType()) {
                    case INT:
                        return NODES.numberNode(p.getIntValue());
                    case LONG:
                        return NODES.numberNode(p.getLongValue());
                    default:
                        return NODES.numberNode(p.getBigIntegerValue());
                }
            case VALUE_NUMBER_FLOAT: {
                double d = p.getDoubleValue();
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    throw new ProtocolException(ErrorCode.BAD_REQUEST, "field '" + field + "' has a non-finite number");
                }
                return NODES.numberNode(d);
            }
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            case VALUE_EMBEDDED_OBJECT: {
                Object o = p.getEmbeddedObject();
                if (o instanceof byte[] bytes) {
                    return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
                }
                throw new ProtocolException(ErrorCode.BAD_REQUEST, "field '" + field + "' has a value with no JSON equivalent (MessagePack extension type)");
            }
            default:
                throw new ProtocolException(ErrorCode.BAD_REQUEST, "unexpected " + t + " in field '" + field + "'");
        }
    }
}
