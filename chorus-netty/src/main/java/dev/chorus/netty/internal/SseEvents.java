package dev.chorus.netty.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * The text of SSE events (WHATWG HTML, "server-sent events"). Data is always one line of compact
 * JSON (JSON escapes line breaks inside strings), so every event is {@code [event:] [id:] data:}
 * and a blank line.
 */
final class SseEvents {
    static final String HEARTBEAT = ": ping\n\n";

    private SseEvents() {
    }

    /** An event; {@code name} {@code null} for unnamed ({@code onmessage}), {@code id} {@code null} for none. */
    static String event(String name, String id, String json) {
        StringBuilder b = new StringBuilder(json.length() + 64);
        if (name != null) {
            b.append("event: ").append(name).append('\n');
        }
        if (id != null) {
            b.append("id: ").append(id).append('\n');
        }
        b.append("data: ").append(json).append("\n\n");
        return b.toString();
    }

    /** The reconnection delay hint, in milliseconds. */
    static String retry(long millis) {
        return "retry: " + millis + "\n";
    }

    static ByteBuf buffer(ByteBufAllocator alloc, CharSequence text) {
        ByteBuf b = alloc.buffer(text.length() + 16);
        b.writeCharSequence(text, StandardCharsets.UTF_8);
        return b;
    }
}
