package dev.chorus.bench;

/** The generator's message: {@code {"t":<nanoTime>,"s":<seq>,"p":"xx…"}} padded to a size. */
final class Payloads {
    private Payloads() {
    }

    private static final String PAD = "x".repeat(1 << 16);

    static String make(long nanoTime, long seq, int size) {
        String head = "{\"t\":" + nanoTime + ",\"s\":" + seq + ",\"p\":\"";
        int pad = Math.min(PAD.length(), Math.max(0, size - head.length() - 2));
        return head + PAD.substring(0, pad) + "\"}";
    }

    static long time(String data) {
        return Strings.longAfter(data, "\"t\":", 0);
    }

    static long seq(String data) {
        return Strings.longAfter(data, "\"s\":", 0);
    }
}
