package dev.chorus.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.msgpack.jackson.dataformat.MessagePackFactory;

/**
 * An application value (publication data, presence state, RPC arguments): any JSON value, held as
 * its compact UTF-8 JSON text, with the MessagePack form and the parsed tree computed on first use
 * and kept. A publication's data is thus converted at most once per format, whichever format the
 * publisher used. Instances are immutable and safe to share between threads.
 *
 * <p>MessagePack values without a JSON equivalent are mapped when read: binary becomes a base64
 * string, extension types are refused by the codec.
 */
public final class Payload {
    static final ObjectMapper JSON = new ObjectMapper();
    static final ObjectMapper MSGPACK = new ObjectMapper(new MessagePackFactory());

    /** JSON {@code null}. */
    public static final Payload NULL = new Payload("null".getBytes(StandardCharsets.UTF_8), NullNode.getInstance());

    private final byte[] json;
    private volatile JsonNode tree;
    private volatile byte[] msgpack;

    private Payload(byte[] json, JsonNode tree) {
        this.json = json;
        this.tree = tree;
    }

    /**
     * A payload from bytes that are already the compact canonical JSON text of exactly one value
     * (as the codecs produce them). Not checked: callers in this package vouch for the bytes.
     */
    static Payload ofCanonicalJson(byte[] json) {
        return new Payload(json, null);
    }

    /** A payload from a parsed tree. */
    public static Payload of(JsonNode tree) {
        if (tree == null || tree.isMissingNode()) {
            return NULL;
        }
        try {
            return new Payload(JSON.writeValueAsBytes(tree), tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A payload from JSON text.
     *
     * @throws IllegalArgumentException when the text is not exactly one JSON value
     */
    public static Payload ofJson(String json) {
        return ofJson(json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A payload from UTF-8 JSON bytes; the text is parsed and re-encoded compactly.
     *
     * @throws IllegalArgumentException when the bytes are not exactly one JSON value
     */
    public static Payload ofJson(byte[] json) {
        try {
            JsonNode node = JSON.readTree(json);
            if (node == null || node.isMissingNode()) {
                throw new IllegalArgumentException("empty JSON");
            }
            return of(node);
        } catch (IOException e) {
            throw new IllegalArgumentException("invalid JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), e);
        }
    }

    /** A payload from any value Jackson can map to JSON (records, maps, lists, strings, ...). */
    public static Payload ofValue(Object value) {
        return of(JSON.valueToTree(value));
    }

    /** The compact UTF-8 JSON text. The array is shared: callers must not modify it. */
    public byte[] json() {
        return json;
    }

    /** The JSON text as a string. */
    public String jsonString() {
        return new String(json, StandardCharsets.UTF_8);
    }

    /** The parsed tree. Callers must not modify it. */
    public JsonNode tree() {
        JsonNode t = tree;
        if (t == null) {
            try {
                t = JSON.readTree(json);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            tree = t;
        }
        return t;
    }

    /** The MessagePack encoding of the value. The array is shared: callers must not modify it. */
    public byte[] msgpack() {
        byte[] m = msgpack;
        if (m == null) {
            try {
                m = MSGPACK.writeValueAsBytes(tree());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            msgpack = m;
        }
        return m;
    }

    /** Size of the JSON text in bytes; limits on payloads are checked against it. */
    public int size() {
        return json.length;
    }

    /** Converts the value to a Java type with Jackson's default mapping. */
    public <T> T as(Class<T> type) {
        return JSON.convertValue(tree(), type);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Payload p && Arrays.equals(json, p.json);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(json);
    }

    @Override
    public String toString() {
        return jsonString();
    }
}
