package dev.chorus.redis.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.chorus.core.broker.ChannelEvent;
import dev.chorus.protocol.ClientInfo;
import dev.chorus.protocol.Payload;
import dev.chorus.protocol.Publication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * What travels between nodes and sits in Redis: compact JSON with one-letter fields, the
 * application payloads embedded as they are (they are JSON already).
 *
 * <ul>
 *   <li>publication body (stream entry field {@code b}): <code>{"t":time,"d":data,"i":info}</code>,
 *       {@code i} omitted for server publications;</li>
 *   <li>Pub/Sub publication: {@code P<offset> <epoch> <body>} (the Lua script prefixes the body with
 *       the position it assigned; a publication without history is {@code P0  <body>});</li>
 *   <li>Pub/Sub event: {@code E} followed by <code>{"e":"join|leave|presence|signal","i":info,"k":key,"d":data}</code>;</li>
 *   <li>client info: <code>{"c":client,"u":user,"ci":connInfo,"s":state,"k":clock}</code>, absent
 *       fields omitted;</li>
 *   <li>presence entry: {@code <clock> <client info>} (the clock first, so Lua compares it without JSON).</li>
 * </ul>
 * Decoding is strict: anything else is a {@link WireFormatException}.
 */
public final class WireFormat {
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private WireFormat() {
    }

    /** A message read from a Pub/Sub channel. */
    public sealed interface Message {
    }

    public record PublicationMessage(Publication publication) implements Message {
    }

    public record EventMessage(ChannelEvent event) implements Message {
    }

    public static byte[] publicationBody(long time, Payload data, ClientInfo info) {
        try (ByteArrayBuilder out = new ByteArrayBuilder(64 + data.size());
             JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("t", time);
            g.writeFieldName("d");
            g.writeRawValue(data.jsonString());
            if (info != null) {
                g.writeFieldName("i");
                writeClientInfo(g, info);
            }
            g.writeEndObject();
            g.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Pub/Sub form of a publication that has no position (offset 0, no epoch). */
    public static byte[] unpositionedMessage(byte[] body) {
        byte[] out = new byte[body.length + 4];
        out[0] = 'P';
        out[1] = '0';
        out[2] = ' ';
        out[3] = ' ';
        System.arraycopy(body, 0, out, 4, body.length);
        return out;
    }

    public static byte[] eventMessage(ChannelEvent event) {
        try (ByteArrayBuilder out = new ByteArrayBuilder(128);
             JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            out.write('E');
            g.writeStartObject();
            ClientInfo info;
            if (event instanceof ChannelEvent.Join j) {
                g.writeStringField("e", "join");
                info = j.info();
            } else if (event instanceof ChannelEvent.Leave l) {
                g.writeStringField("e", "leave");
                info = l.info();
            } else if (event instanceof ChannelEvent.PresenceChange p) {
                g.writeStringField("e", "presence");
                info = p.info();
            } else {
                ChannelEvent.Signal s = (ChannelEvent.Signal) event;
                g.writeStringField("e", "signal");
                g.writeStringField("k", s.key());
                g.writeFieldName("d");
                g.writeRawValue(s.data().jsonString());
                info = s.info();
            }
            g.writeFieldName("i");
            writeClientInfo(g, info);
            g.writeEndObject();
            g.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code <clock> <client info JSON>}. */
    public static byte[] presenceEntry(ClientInfo info) {
        try (ByteArrayBuilder out = new ByteArrayBuilder(128);
             JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            out.write(Long.toString(info.clock()).getBytes(StandardCharsets.US_ASCII));
            out.write(' ');
            writeClientInfo(g, info);
            g.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ClientInfo decodePresenceEntry(byte[] b) throws WireFormatException {
        int sp = indexOf(b, (byte) ' ', 0);
        if (sp < 1) {
            throw new WireFormatException("presence entry without clock");
        }
        long clock = parseLong(b, 0, sp, "presence clock");
        ClientInfo info = clientInfo(tree(b, sp + 1), "presence entry");
        if (info.clock() != clock) {
            throw new WireFormatException("presence entry clock " + clock + " differs from its JSON clock " + info.clock());
        }
        return info;
    }

    public static Message decodeMessage(byte[] b) throws WireFormatException {
        if (b.length == 0) {
            throw new WireFormatException("empty message");
        }
        if (b[0] == 'E') {
            return new EventMessage(event(tree(b, 1)));
        }
        if (b[0] != 'P') {
            throw new WireFormatException("unknown message type '" + (char) (b[0] & 0xff) + "'");
        }
        int sp1 = indexOf(b, (byte) ' ', 1);
        int sp2 = sp1 < 0 ? -1 : indexOf(b, (byte) ' ', sp1 + 1);
        if (sp2 < 0) {
            throw new WireFormatException("publication without position");
        }
        long offset = parseLong(b, 1, sp1, "offset");
        if (offset < 0) {
            throw new WireFormatException("negative offset");
        }
        String epoch = new String(b, sp1 + 1, sp2 - sp1 - 1, StandardCharsets.UTF_8);
        if ((offset == 0) != epoch.isEmpty()) {
            throw new WireFormatException("offset " + offset + " with epoch '" + epoch + "'");
        }
        return new PublicationMessage(publication(offset, epoch, tree(b, sp2 + 1)));
    }

    /** A publication from its stored body and the position it was stored at. */
    public static Publication decodeBody(long offset, String epoch, byte[] body) throws WireFormatException {
        return publication(offset, epoch, tree(body, 0));
    }

    private static Publication publication(long offset, String epoch, JsonNode n) throws WireFormatException {
        JsonNode t = n.get("t");
        JsonNode d = n.get("d");
        if (t == null || !t.canConvertToLong() || !t.isIntegralNumber() || d == null) {
            throw new WireFormatException("publication body needs an integer 't' and a 'd'");
        }
        JsonNode i = n.get("i");
        return new Publication(offset, epoch, t.longValue(), Payload.of(d), i == null ? null : clientInfo(i, "publisher"));
    }

    private static ChannelEvent event(JsonNode n) throws WireFormatException {
        String kind = text(n, "e", "event");
        JsonNode i = n.get("i");
        if (i == null) {
            throw new WireFormatException("event without 'i'");
        }
        ClientInfo info = clientInfo(i, "event");
        switch (kind) {
            case "join":
                return new ChannelEvent.Join(info);
            case "leave":
                return new ChannelEvent.Leave(info);
            case "presence":
                return new ChannelEvent.PresenceChange(info);
            case "signal":
                JsonNode d = n.get("d");
                if (d == null) {
                    throw new WireFormatException("signal without 'd'");
                }
                return new ChannelEvent.Signal(text(n, "k", "signal"), Payload.of(d), info);
            default:
                throw new WireFormatException("unknown event '" + kind + "'");
        }
    }

    private static void writeClientInfo(JsonGenerator g, ClientInfo info) throws IOException {
        g.writeStartObject();
        g.writeStringField("c", info.client());
        g.writeStringField("u", info.user());
        if (info.connInfo() != null) {
            g.writeFieldName("ci");
            g.writeRawValue(info.connInfo().jsonString());
        }
        if (info.state() != null) {
            g.writeFieldName("s");
            g.writeRawValue(info.state().jsonString());
        }
        if (info.clock() != 0) {
            g.writeNumberField("k", info.clock());
        }
        g.writeEndObject();
    }

    private static ClientInfo clientInfo(JsonNode n, String what) throws WireFormatException {
        if (!n.isObject()) {
            throw new WireFormatException(what + ": client info is not an object");
        }
        String client = text(n, "c", what);
        String user = text(n, "u", what);
        JsonNode ci = n.get("ci");
        JsonNode s = n.get("s");
        JsonNode k = n.get("k");
        if (k != null && !(k.isIntegralNumber() && k.canConvertToLong())) {
            throw new WireFormatException(what + ": clock is not an integer");
        }
        return new ClientInfo(client, user, ci == null ? null : Payload.of(ci), s == null ? null : Payload.of(s), k == null ? 0 : k.longValue());
    }

    private static String text(JsonNode n, String field, String what) throws WireFormatException {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new WireFormatException(what + ": '" + field + "' must be a string");
        }
        return v.textValue();
    }

    private static JsonNode tree(byte[] b, int from) throws WireFormatException {
        try {
            JsonNode n = JSON.readTree(b, from, b.length - from);
            if (n == null || !n.isObject()) {
                throw new WireFormatException("not a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new WireFormatException("invalid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static int indexOf(byte[] b, byte x, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        return -1;
    }

    private static long parseLong(byte[] b, int from, int to, String what) throws WireFormatException {
        if (to <= from || to - from > 19) {
            throw new WireFormatException("bad " + what);
        }
        long v = 0;
        int i = from;
        boolean negative = b[i] == '-';
        if (negative) {
            i++;
            if (i == to) {
                throw new WireFormatException("bad " + what);
            }
        }
        for (; i < to; i++) {
            int c = b[i] - '0';
            if (c < 0 || c > 9) {
                throw new WireFormatException("bad " + what);
            }
            v = v * 10 + c;
        }
        if (v < 0) {
            throw new WireFormatException("bad " + what);
        }
        return negative ? -v : v;
    }
}
