package dev.chorus.netty.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Reference framing for tests, written from RFC 6455 5.2 independently of {@link WireFrames}. */
final class WireFramesTestSupport {
    private WireFramesTestSupport() {
    }

    static ByteBuf encode(boolean binary, byte[] payload) {
        ByteBuf b = Unpooled.buffer();
        b.writeByte(0x80 | (binary ? 2 : 1));
        int len = payload.length;
        if (len <= 125) {
            b.writeByte(len);
        } else if (len <= 0xffff) {
            b.writeByte(126).writeShort(len);
        } else {
            b.writeByte(127).writeLong(len);
        }
        return b.writeBytes(payload);
    }
}
