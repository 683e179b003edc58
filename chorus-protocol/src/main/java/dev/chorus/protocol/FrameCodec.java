package dev.chorus.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.chorus.protocol.internal.FrameWriter;
import dev.chorus.protocol.internal.TreeReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * The shared implementation of {@link Codec}: Jackson's streaming parser over the format's factory
 * for decoding, {@link FrameEncoder} over the format's {@link FrameWriter} for encoding. The two
 * subclasses only say how a frame is checked before parsing and where its one value ends.
 */
abstract class FrameCodec implements Codec {
    private final Format format;
    private final JsonFactory factory;
    private final JsonFactory lenient;

    /**
     * @param factory the strict factory requests are parsed with
     * @param lenient a factory without duplicate detection, used only to find the id in a frame
     *                that the strict one refused
     */
    FrameCodec(Format format, JsonFactory factory, JsonFactory lenient) {
        this.format = format;
        this.factory = factory;
        this.lenient = lenient;
    }

    @Override
    public final Format format() {
        return format;
    }

    /**
     * Checks the bytes before any parsing (encoding, and for MessagePack every declared length) and
     * returns where the frame's value ends.
     *
     * @throws ProtocolException for faults after which nothing more can be read safely
     */
    abstract Precheck precheck(byte[] frame, int offset, int length) throws ProtocolException;

    /** Whether the parser may be asked for the token after the frame's object (JSON: yes). */
    abstract boolean checkTrailingWithParser();

    /** The outcome of {@link #precheck}: how many bytes to parse, and a refusal found on the way. */
    record Precheck(int length, String refusal) {
    }

    // ------------------------------------------------------------ requests

    @Override
    public final Request decodeRequest(byte[] frame, int offset, int length) throws ProtocolException {
        Objects.checkFromIndexSize(offset, length, frame.length);
        Precheck check = precheck(frame, offset, length);
        if (check.refusal() != null) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, check.refusal(), rescueId(frame, offset, check.length()));
        }
        RequestFields fields;
        try (JsonParser p = factory.createParser(frame, offset, check.length())) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw new ProtocolException(ErrorCode.BAD_REQUEST, first == null ? "empty frame" : "a frame must be an object");
            }
            fields = RequestDecoder.read(p);
            if (checkTrailingWithParser() && hasMore(p)) {
                throw new ProtocolException(ErrorCode.BAD_REQUEST, "trailing data after the frame", fields.id);
            }
        } catch (ProtocolException e) {
            throw e.requestId() == 0 ? e.withRequestId(rescueId(frame, offset, check.length())) : e;
        } catch (IOException | RuntimeException e) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, describe(e), rescueId(frame, offset, check.length()));
        }
        return RequestDecoder.build(fields);
    }

    private static boolean hasMore(JsonParser p) {
        try {
            return p.nextToken() != null;
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    /**
     * Looks for the request id in a frame already known to be faulty, so the error can still be
     * matched to its request. Only on the error path; gives 0 when the id cannot be read.
     */
    private long rescueId(byte[] frame, int offset, int length) {
        try (JsonParser p = lenient.createParser(frame, offset, length)) {
            return RequestDecoder.findId(p);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static String describe(Exception e) {
        if (e instanceof StreamConstraintsException) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("nesting depth")) {
                return "frame is nested deeper than " + MAX_DEPTH + " levels";
            }
        }
        String m = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        if (m == null) {
            m = e.getClass().getSimpleName();
        }
        m = m.replace('\n', ' ');
        return "malformed frame: " + (m.length() > 200 ? m.substring(0, 200) + "..." : m);
    }

    // ------------------------------------------------------------ server frames (clients, tests)

    @Override
    public final ServerFrame decodeServerFrame(byte[] frame, int offset, int length) throws ProtocolException {
        Objects.checkFromIndexSize(offset, length, frame.length);
        Precheck check = precheck(frame, offset, length);
        if (check.refusal() != null) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, check.refusal());
        }
        JsonNode root;
        try (JsonParser p = factory.createParser(frame, offset, check.length())) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw new ProtocolException(ErrorCode.BAD_REQUEST, first == null ? "empty frame" : "a frame must be an object");
            }
            root = TreeReader.read(p, "frame", MAX_DEPTH, 0);
            if (checkTrailingWithParser() && hasMore(p)) {
                throw new ProtocolException(ErrorCode.BAD_REQUEST, "trailing data after the frame");
            }
        } catch (IOException | RuntimeException e) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, describe(e));
        }
        return ServerFrameDecoder.decode(root);
    }

    // ------------------------------------------------------------ encoding

    private interface Body {
        void write(FrameWriter w) throws IOException;
    }

    private byte[] encode(Body body) {
        FrameWriter w = FrameWriter.create(format);
        try {
            body.write(w);
            return w.finish();
        } catch (IOException e) {
            // the writers write to memory: this is a bug, not an I/O condition
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public final byte[] encodeReply(Reply reply) {
        return encode(w -> FrameEncoder.reply(w, reply));
    }

    @Override
    public final byte[] encodePush(Push push) {
        return encode(w -> FrameEncoder.push(w, push));
    }

    @Override
    public final byte[] encodeRequest(Request request) {
        return encode(w -> FrameEncoder.request(w, request));
    }
}
