package dev.chorus.protocol;

/** The two encodings of {@code chorus/1}, chosen per connection by WebSocket subprotocol. */
public enum Format {
    /** UTF-8 JSON in WebSocket text frames; the default when the client asks for no subprotocol. */
    JSON("chorus.v1.json", false),
    /** MessagePack in WebSocket binary frames. */
    MSGPACK("chorus.v1.msgpack", true);

    private final String subprotocol;
    private final boolean binary;

    Format(String subprotocol, boolean binary) {
        this.subprotocol = subprotocol;
        this.binary = binary;
    }

    /** The WebSocket subprotocol name that selects this format. */
    public String subprotocol() {
        return subprotocol;
    }

    /** Whether frames of this format travel as WebSocket binary frames (else text frames). */
    public boolean binary() {
        return binary;
    }

    /** The format for a subprotocol name, or {@code null} when the name is not ours. */
    public static Format forSubprotocol(String name) {
        for (Format f : values()) {
            if (f.subprotocol.equals(name)) {
                return f;
            }
        }
        return null;
    }
}
