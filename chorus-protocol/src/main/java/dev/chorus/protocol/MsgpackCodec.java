package dev.chorus.protocol;

import com.fasterxml.jackson.core.StreamReadFeature;
import dev.chorus.protocol.internal.MsgpackPrecheck;
import org.msgpack.jackson.dataformat.MessagePackFactory;

/** The MessagePack codec (binary frames, subprotocol {@code chorus.v1.msgpack}). */
final class MsgpackCodec extends FrameCodec {
    static final Codec INSTANCE = new MsgpackCodec();

    private MsgpackCodec() {
        super(Format.MSGPACK, factory(), new MessagePackFactory());
    }

    private static MessagePackFactory factory() {
        MessagePackFactory f = new MessagePackFactory();
        f.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());
        return f;
    }

    @Override
    Precheck precheck(byte[] frame, int offset, int length) throws ProtocolException {
        // the precheck bounds every length and the depth, which Jackson's MessagePack parser does not
        MsgpackPrecheck check = MsgpackPrecheck.check(frame, offset, length, MAX_DEPTH);
        return new Precheck(check.valueEnd() - offset, check.refusal());
    }

    @Override
    boolean checkTrailingWithParser() {
        // its parser throws at the end of input instead of returning null; the precheck found the end
        return false;
    }
}
