package dev.chorus.protocol.internal;

/** Keeps text taken from the input short and on one line before it goes into an error message. */
public final class Messages {
    private static final int MAX = 40;

    private Messages() {
    }

    /** At most 40 characters of {@code s}, control characters replaced, {@code ...} when cut. */
    public static String shorten(String s) {
        String cut = s.length() > MAX ? s.substring(0, MAX) + "..." : s;
        StringBuilder b = null;
        for (int i = 0; i < cut.length(); i++) {
            if (Character.isISOControl(cut.charAt(i))) {
                if (b == null) {
                    b = new StringBuilder(cut);
                }
                b.setCharAt(i, '?');
            }
        }
        return b == null ? cut : b.toString();
    }
}
