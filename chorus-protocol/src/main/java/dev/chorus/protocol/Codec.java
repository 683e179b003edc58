package dev.chorus.protocol;

/**
 * Turns frames into bytes and back for one {@link Format}. Implementations are stateless and
 * thread-safe; get them with {@link #forFormat(Format)}.
 *
 * <p>Decoding is strict: unknown {@code op}, a missing or mistyped field, trailing bytes, depth
 * beyond {@link #MAX_DEPTH}, or a value the format cannot represent are refused with a
 * {@link ProtocolException} naming the problem (and carrying the request id when it could be read).
 * Unknown extra fields are ignored, so newer clients can talk to older servers.
 */
public interface Codec {

    /** Maximum nesting depth of a frame (including its data). */
    int MAX_DEPTH = 64;

    Format format();

    /** Decodes one request frame. */
    Request decodeRequest(byte[] frame, int offset, int length) throws ProtocolException;

    default Request decodeRequest(byte[] frame) throws ProtocolException {
        return decodeRequest(frame, 0, frame.length);
    }

    byte[] encodeReply(Reply reply);

    byte[] encodePush(Push push);

    /** Encodes a request (used by clients and tests). */
    byte[] encodeRequest(Request request);

    /** Decodes a server frame (a reply or a push; used by clients and tests). */
    ServerFrame decodeServerFrame(byte[] frame, int offset, int length) throws ProtocolException;

    static Codec forFormat(Format format) {
        return switch (format) {
            case JSON -> JsonCodec.INSTANCE;
            case MSGPACK -> MsgpackCodec.INSTANCE;
        };
    }
}
