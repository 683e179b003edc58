package dev.chorus.protocol.internal;

import dev.chorus.protocol.ErrorCode;
import dev.chorus.protocol.ProtocolException;

/**
 * Walks a MessagePack frame once before it is parsed, without allocating per value.
 *
 * <p>Structural faults throw at once: a declared length or element count larger than the bytes
 * actually left (so no allocation is ever sized by an unchecked length), truncation, nesting
 * deeper than the limit, the never-used byte {@code 0xc1}, a map key that is not a string, a string
 * that is not valid UTF-8, a frame that is not a map. Values that are well-formed but not
 * acceptable (extension types, NaN and infinities, bytes after the frame) are only recorded in
 * {@link #refusal()}, so the caller can still read the request id before refusing the frame.
 */
public final class MsgpackPrecheck {
    private final int valueEnd;
    private final String refusal;

    private MsgpackPrecheck(int valueEnd, String refusal) {
        this.valueEnd = valueEnd;
        this.refusal = refusal;
    }

    /** The index just after the frame's one value. */
    public int valueEnd() {
        return valueEnd;
    }

    /** Why a structurally sound frame must still be refused, or {@code null} when it is fine. */
    public String refusal() {
        return refusal;
    }

    /**
     * Checks {@code b[off, off+len)}; {@code maxDepth} counts the frame's own map as level 1.
     *
     * @throws ProtocolException BAD_REQUEST for every structural fault
     */
    public static MsgpackPrecheck check(byte[] b, int off, int len, int maxDepth) throws ProtocolException {
        if (len == 0) {
            throw bad("empty frame");
        }
        int first = b[off] & 0xff;
        if (!((first >= 0x80 && first <= 0x8f) || first == 0xde || first == 0xdf)) {
            throw bad("a frame must be a MessagePack map");
        }
        String refusal = null;
        int end = off + len;
        int pos = off;
        // remaining[d] = values still expected in the container at depth d (0 is the frame itself)
        long[] remaining = new long[maxDepth + 1];
        boolean[] isMap = new boolean[maxDepth + 1];
        int depth = 0;
        remaining[0] = 1;
        while (depth >= 0) {
            if (remaining[depth] == 0) {
                depth--;
                continue;
            }
            boolean atKey = isMap[depth] && (remaining[depth] & 1) == 0;
            remaining[depth]--;
            if (pos >= end) {
                throw bad("truncated MessagePack frame");
            }
            int t = b[pos++] & 0xff;
            long skip = 0;
            long children = -1;
            boolean map = false;
            boolean str = false;
            if (atKey && !(t >= 0xa0 && t <= 0xbf) && t != 0xd9 && t != 0xda && t != 0xdb) {
                throw bad("MessagePack map keys must be strings");
            }
            if (t <= 0x7f || t >= 0xe0 || t == 0xc0 || t == 0xc2 || t == 0xc3) {
                skip = 0;
            } else if (t <= 0x8f) {
                children = 2L * (t & 0x0f);
                map = true;
            } else if (t <= 0x9f) {
                children = t & 0x0f;
            } else if (t <= 0xbf) {
                skip = t & 0x1f;
                str = true;
            } else {
                switch (t) {
                    case 0xc4: skip = readLen(b, pos, end, 1); pos += 1; break;
                    case 0xc5: skip = readLen(b, pos, end, 2); pos += 2; break;
                    case 0xc6: skip = readLen(b, pos, end, 4); pos += 4; break;
                    case 0xd9: skip = readLen(b, pos, end, 1); pos += 1; str = true; break;
                    case 0xda: skip = readLen(b, pos, end, 2); pos += 2; str = true; break;
                    case 0xdb: skip = readLen(b, pos, end, 4); pos += 4; str = true; break;
                    case 0xca:
                        skip = 4;
                        if (end - pos >= 4 && !Float.isFinite(Float.intBitsToFloat((int) readLen(b, pos, end, 4)))) {
                            refusal = first(refusal, "non-finite numbers (NaN, Infinity) are not accepted");
                        }
                        break;
                    case 0xcb:
                        skip = 8;
                        if (end - pos >= 8 && !Double.isFinite(Double.longBitsToDouble(readLong(b, pos)))) {
                            refusal = first(refusal, "non-finite numbers (NaN, Infinity) are not accepted");
                        }
                        break;
                    case 0xcc: case 0xd0: skip = 1; break;
                    case 0xcd: case 0xd1: skip = 2; break;
                    case 0xce: case 0xd2: skip = 4; break;
                    case 0xcf: case 0xd3: skip = 8; break;
                    case 0xdc: children = readLen(b, pos, end, 2); pos += 2; break;
                    case 0xdd: children = readLen(b, pos, end, 4); pos += 4; break;
                    case 0xde: children = 2 * readLen(b, pos, end, 2); pos += 2; map = true; break;
                    case 0xdf: children = 2 * readLen(b, pos, end, 4); pos += 4; map = true; break;
                    case 0xd4: skip = 2; refusal = extension(refusal); break;
                    case 0xd5: skip = 3; refusal = extension(refusal); break;
                    case 0xd6: skip = 5; refusal = extension(refusal); break;
                    case 0xd7: skip = 9; refusal = extension(refusal); break;
                    case 0xd8: skip = 17; refusal = extension(refusal); break;
                    case 0xc7: skip = readLen(b, pos, end, 1) + 1; pos += 1; refusal = extension(refusal); break;
                    case 0xc8: skip = readLen(b, pos, end, 2) + 1; pos += 2; refusal = extension(refusal); break;
                    case 0xc9: skip = readLen(b, pos, end, 4) + 1; pos += 4; refusal = extension(refusal); break;
                    default: // 0xc1
                        throw bad("invalid MessagePack byte 0x" + Integer.toHexString(t));
                }
            }
            if (skip > end - pos) {
                throw bad("MessagePack value declares " + skip + " bytes but the frame has only " + (end - pos) + " left");
            }
            if (str) {
                Utf8.validate(b, pos, (int) skip);
            }
            pos += (int) skip;
            if (children > 0) {
                // every element takes at least one byte: a count past the bytes left is a lie
                if (children > end - pos) {
                    throw bad("MessagePack container declares " + children + " elements but the frame has only "
                            + (end - pos) + " bytes left");
                }
                if (depth + 1 > maxDepth) {
                    throw bad("frame is nested deeper than " + maxDepth + " levels");
                }
                depth++;
                remaining[depth] = children;
                isMap[depth] = map;
            } else if (children == 0 && depth + 1 > maxDepth) {
                throw bad("frame is nested deeper than " + maxDepth + " levels");
            }
        }
        if (pos != end) {
            refusal = first(refusal, (end - pos) + " bytes of trailing data after the frame");
        }
        return new MsgpackPrecheck(pos, refusal);
    }

    private static String extension(String refusal) {
        return first(refusal, "MessagePack extension types are not accepted");
    }

    private static String first(String existing, String candidate) {
        return existing != null ? existing : candidate;
    }

    private static long readLen(byte[] b, int pos, int end, int n) throws ProtocolException {
        if (end - pos < n) {
            throw bad("truncated MessagePack frame");
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (b[pos + i] & 0xff);
        }
        return v;
    }

    private static long readLong(byte[] b, int pos) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[pos + i] & 0xff);
        }
        return v;
    }

    private static ProtocolException bad(String message) {
        return new ProtocolException(ErrorCode.BAD_REQUEST, message);
    }
}
