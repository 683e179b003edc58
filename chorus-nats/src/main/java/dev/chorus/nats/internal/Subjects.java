package dev.chorus.nats.internal;

import java.nio.charset.StandardCharsets;

/**
 * Turns channel names and client ids into one NATS subject token (and KV key part): bytes of
 * {@code [A-Za-z0-9_-]} stay as they are, every other UTF-8 byte becomes {@code =XX} (upper-case
 * hex), so {@code "chat:room.1"} is {@code "chat=3Aroom=2E1"}. The mapping is injective ({@code =}
 * itself is escaped), keeps names readable in {@code nats stream view}, and its output is valid in
 * subjects, stream filters and KV keys alike (no {@code . * >} or whitespace).
 */
public final class Subjects {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final String prefix;

    public Subjects(String prefix) {
        this.prefix = prefix;
    }

    /**
     * The token for {@code name}.
     *
     * @throws IllegalArgumentException when {@code name} is empty
     */
    public static String token(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty channel or client name");
        }
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(bytes.length + 8);
        for (byte b : bytes) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-') {
                sb.append((char) c);
            } else {
                sb.append('=').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return sb.toString();
    }

    /** Core subject carrying a channel's fan-out (publications after they are stored, and events). */
    public String fanout(String channel) {
        return prefix + ".c." + token(channel);
    }

    /** Stream subject holding a channel's history. */
    public String history(String channel) {
        return prefix + ".h." + token(channel);
    }

    /** Stream subject holding the idempotency records of a channel's publications without history. */
    public String keys(String channel) {
        return prefix + ".k." + token(channel);
    }

    /** Subjects the history stream captures. */
    public String[] streamSubjects() {
        return new String[] {prefix + ".h.*", prefix + ".k.*"};
    }
}
