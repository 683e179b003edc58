package dev.chorus.protocol.internal;

import dev.chorus.protocol.ErrorCode;
import dev.chorus.protocol.ProtocolException;

/**
 * Strict UTF-8 validation (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
 * Run over whole JSON frames and over every MessagePack string before parsing, because parsers
 * either skip unread strings unchecked or replace bad bytes silently.
 */
public final class Utf8 {
    private Utf8() {
    }

    /** Throws BAD_REQUEST naming the byte offset of the first invalid sequence in the range. */
    public static void validate(byte[] b, int off, int len) throws ProtocolException {
        int i = off;
        int end = off + len;
        while (i < end) {
            int c = b[i];
            if (c >= 0) {
                i++;
                continue;
            }
            c &= 0xff;
            int need;
            int min;
            if (c >= 0xc2 && c <= 0xdf) {
                need = 1;
                min = 0x80;
            } else if (c >= 0xe0 && c <= 0xef) {
                need = 2;
                min = 0x800;
            } else if (c >= 0xf0 && c <= 0xf4) {
                need = 3;
                min = 0x10000;
            } else {
                throw invalid(i - off);
            }
            if (end - i <= need) {
                throw invalid(i - off);
            }
            int cp = c & (0x3f >> need);
            for (int k = 1; k <= need; k++) {
                int cc = b[i + k] & 0xff;
                if ((cc & 0xc0) != 0x80) {
                    throw invalid(i - off);
                }
                cp = (cp << 6) | (cc & 0x3f);
            }
            if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
                throw invalid(i - off);
            }
            i += need + 1;
        }
    }

    private static ProtocolException invalid(int at) {
        return new ProtocolException(ErrorCode.BAD_REQUEST, "invalid UTF-8 at byte " + at);
    }
}
