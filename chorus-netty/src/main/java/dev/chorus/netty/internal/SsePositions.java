package dev.chorus.netty.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chorus.protocol.StreamPosition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code id:} of SSE events: the positions of every channel of the stream, as base64url
 * (unpadded) of compact JSON {@code {"chat:a":[42,"9f3a1c2e"],"news":[7,"0b1c2d3e"]}}. A browser
 * {@code EventSource} sends the last id back as {@code Last-Event-ID} when it reconnects, so one
 * header resumes every channel at once.
 */
final class SsePositions {
    /** Longest id accepted back (the request's header limit is above it). */
    static final int MAX_ENCODED = 12 * 1024;

    private SsePositions() {
    }

    static String encode(Map<String, StreamPosition> positions) {
        ObjectNode o = HttpResponses.JSON.createObjectNode();
        for (Map.Entry<String, StreamPosition> e : positions.entrySet()) {
            ArrayNode a = o.putArray(e.getKey());
            a.add(e.getValue().offset());
            a.add(e.getValue().epoch());
        }
        byte[] json = HttpResponses.write(o).getBytes(StandardCharsets.UTF_8);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json);
    }

    /**
     * The positions in an id.
     *
     * @throws IllegalArgumentException when the id is not one this server wrote
     */
    static Map<String, StreamPosition> decode(String id) {
        if (id.length() > MAX_ENCODED) {
            throw new IllegalArgumentException("longer than " + MAX_ENCODED + " characters");
        }
        JsonNode node;
        try {
            byte[] json = Base64.getUrlDecoder().decode(id.strip());
            node = HttpResponses.JSON.readTree(json);
        } catch (IllegalArgumentException | IOException e) {
            throw new IllegalArgumentException("not an id written by this server");
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not an id written by this server");
        }
        Map<String, StreamPosition> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (!v.isArray() || v.size() != 2 || !v.get(0).isIntegralNumber() || !v.get(0).canConvertToLong()
                    || v.get(0).longValue() < 0 || !v.get(1).isTextual()) {
                throw new IllegalArgumentException("bad position for channel '" + e.getKey() + "'");
            }
            out.put(e.getKey(), new StreamPosition(v.get(0).longValue(), v.get(1).textValue()));
        }
        return out;
    }
}
