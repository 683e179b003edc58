package dev.chorus.bench;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/** Field extraction straight from frame bytes, so the generator does not decode every frame into a String. */
final class Bytes {
    static final byte[] T = "\"t\":".getBytes(StandardCharsets.US_ASCII);
    static final byte[] S = "\"s\":".getBytes(StandardCharsets.US_ASCII);

    private Bytes() {
    }

    static boolean startsWith(ByteBuf b, byte[] prefix) {
        if (b.readableBytes() < prefix.length) {
            return false;
        }
        int base = b.readerIndex();
        for (int i = 0; i < prefix.length; i++) {
            if (b.getByte(base + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Index of {@code marker} at or after {@code from}, or -1. */
    static int indexOf(ByteBuf b, byte[] marker, int from) {
        int end = b.writerIndex() - marker.length;
        outer:
        for (int i = Math.max(from, b.readerIndex()); i <= end; i++) {
            for (int j = 0; j < marker.length; j++) {
                if (b.getByte(i + j) != marker[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The non-negative integer right after {@code marker}, or -1. */
    static long longAfter(ByteBuf b, byte[] marker, int from) {
        int i = indexOf(b, marker, from);
        if (i < 0) {
            return -1;
        }
        i += marker.length;
        long v = 0;
        boolean any = false;
        int end = b.writerIndex();
        while (i < end) {
            byte c = b.getByte(i);
            if (c < '0' || c > '9') {
                break;
            }
            v = v * 10 + (c - '0');
            any = true;
            i++;
        }
        return any ? v : -1;
    }
}
