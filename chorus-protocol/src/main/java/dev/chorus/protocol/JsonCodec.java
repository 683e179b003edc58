package dev.chorus.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.chorus.protocol.internal.Utf8;

/** The JSON codec (text frames, subprotocol {@code chorus.v1.json}). */
final class JsonCodec extends FrameCodec {
    static final Codec INSTANCE = new JsonCodec();

    private JsonCodec() {
        super(Format.JSON, JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build(), new JsonFactory());
    }

    @Override
    Precheck precheck(byte[] frame, int offset, int length) throws ProtocolException {
        // Jackson checks UTF-8 only in the strings it decodes, not in those it skips
        Utf8.validate(frame, offset, length);
        return new Precheck(length, null);
    }

    @Override
    boolean checkTrailingWithParser() {
        return true;
    }
}
