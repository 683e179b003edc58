package dev.chorus.core.internal;

import dev.chorus.protocol.Codec;
import dev.chorus.protocol.Format;
import dev.chorus.protocol.Push;

/**
 * A push encoded at most once per format, whatever the number of recipients: the same byte array is
 * written to every connection of that format.
 */
public final class EncodedPush {
    private final Push push;
    private volatile byte[] json;
    private volatile byte[] msgpack;

    public EncodedPush(Push push) {
        this.push = push;
    }

    public Push push() {
        return push;
    }

    /** The frame for a format; encoding races are harmless (both results are equal). */
    public byte[] bytes(Format format) {
        if (format == Format.JSON) {
            byte[] b = json;
            if (b == null) {
                b = Codec.forFormat(format).encodePush(push);
                json = b;
            }
            return b;
        }
        byte[] b = msgpack;
        if (b == null) {
            b = Codec.forFormat(format).encodePush(push);
            msgpack = b;
        }
        return b;
    }
}
