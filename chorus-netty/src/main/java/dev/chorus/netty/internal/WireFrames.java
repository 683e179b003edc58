package dev.chorus.netty.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Builds complete server-to-client WebSocket frames (FIN, no mask: RFC 6455 5.2) around a payload,
 * so a publication fanned out to many connections is framed once and the same buffer is written to
 * each of them as a retained duplicate. One instance per event loop; not thread-safe.
 */
final class WireFrames {
    private byte[] lastPayload;
    private boolean lastBinary;
    private ByteBuf lastFrame;

    /** A retained frame for {@code payload}; the caller writes (and so releases) it. */
    ByteBuf frame(ByteBufAllocator alloc, byte[] payload, boolean binary) {
        if (payload != lastPayload || binary != lastBinary || lastFrame == null) {
            clear();
            lastFrame = encode(alloc, payload, binary);
            lastPayload = payload;
            lastBinary = binary;
        }
        return lastFrame.retainedDuplicate();
    }

    /** Drops the cached frame. */
    void clear() {
        if (lastFrame != null) {
            lastFrame.release();
            lastFrame = null;
            lastPayload = null;
        }
    }

    static ByteBuf encode(ByteBufAllocator alloc, byte[] payload, boolean binary) {
        int len = payload.length;
        int header = len < 126 ? 2 : len < 65536 ? 4 : 10;
        ByteBuf b = alloc.directBuffer(header + len);
        b.writeByte(binary ? 0x82 : 0x81);
        if (len < 126) {
            b.writeByte(len);
        } else if (len < 65536) {
            b.writeByte(126);
            b.writeShort(len);
        } else {
            b.writeByte(127);
            b.writeLong(len);
        }
        b.writeBytes(payload);
        return b;
    }
}
