package dev.chorus.protocol;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;

/** Builds MessagePack test frames by hand, including ones no well-behaved encoder would write. */
final class MsgpackFrames {
    interface Body {
        void write(MessagePacker p) throws IOException;
    }

    private MsgpackFrames() {
    }

    static byte[] frame(Body body) {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            body.write(p);
            return p.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code {"id": id, "op": "publish", "channel": "c", "data": <data>}}. */
    static byte[] publish(long id, Body data) {
        return frame(p -> {
            p.packMapHeader(4);
            p.packString("id").packLong(id);
            p.packString("op").packString("publish");
            p.packString("channel").packString("c");
            p.packString("data");
            data.write(p);
        });
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
