package dev.chorus.protocol.internal;

import com.fasterxml.jackson.core.io.SerializedString;
import java.nio.charset.StandardCharsets;

/**
 * A field name encoded once for both formats, so writing a constant key costs a byte copy instead
 * of an encoding per frame.
 */
public final class Key {
    final String name;
    final SerializedString json;
    final byte[] msgpack;

    private Key(String name) {
        this.name = name;
        this.json = new SerializedString(name);
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > 31) {
            throw new IllegalArgumentException("constant keys are fixstr (at most 31 bytes): " + name);
        }
        this.msgpack = new byte[utf8.length + 1];
        msgpack[0] = (byte) (0xa0 | utf8.length);
        System.arraycopy(utf8, 0, msgpack, 1, utf8.length);
    }

    public static Key of(String name) {
        return new Key(name);
    }

    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }
}
