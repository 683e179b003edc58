package dev.chorus.core.auth;

/**
 * A channel glob from a token's {@code channels} claim: {@code *} matches any run of characters
 * (also none, and also {@code :}), every other character matches itself. {@code chat:*} matches
 * {@code chat:lobby} and {@code chat:}; {@code doc:*:comments} matches {@code doc:42:comments};
 * {@code *} matches every channel. There is no escape: a pattern cannot match a literal {@code *}
 * only.
 *
 * <p>Matching takes time proportional to at most the product of the two lengths (no backtracking
 * blow-up), and both are bounded: patterns by {@link #MAX_LENGTH}, channels by the engine's limit.
 * Instances are immutable.
 */
public final class ChannelPattern {
    /** Longest pattern accepted, in characters. */
    public static final int MAX_LENGTH = 1024;

    private final String pattern;
    /** The pattern split at {@code *}: literal segments, first and last possibly empty. */
    private final String[] segments;

    private ChannelPattern(String pattern) {
        this.pattern = pattern;
        this.segments = pattern.split("\\*", -1);
    }

    /**
     * @throws IllegalArgumentException when {@code pattern} is null, empty or longer than {@link #MAX_LENGTH}
     */
    public static ChannelPattern compile(String pattern) {
        if (pattern == null || pattern.isEmpty()) {
            throw new IllegalArgumentException("a channel pattern must not be empty");
        }
        if (pattern.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(
                    "a channel pattern must be at most " + MAX_LENGTH + " characters, got " + pattern.length());
        }
        return new ChannelPattern(pattern);
    }

    /** The pattern as written. */
    public String pattern() {
        return pattern;
    }

    /** Whether {@code channel} matches; {@code false} for {@code null}. */
    public boolean matches(String channel) {
        if (channel == null) {
            return false;
        }
        if (segments.length == 1) {
            return channel.equals(pattern);
        }
        String first = segments[0];
        String last = segments[segments.length - 1];
        if (channel.length() < first.length() + last.length()
                || !channel.startsWith(first)
                || !channel.endsWith(last)) {
            return false;
        }
        // Anchored prefix and suffix checked; the middle segments are found left to right, each at
        // its earliest position. Earliest is always best: it leaves the most room for the rest, so
        // no backtracking is needed.
        int from = first.length();
        int end = channel.length() - last.length();
        for (int i = 1; i < segments.length - 1; i++) {
            String seg = segments[i];
            if (seg.isEmpty()) {
                continue;
            }
            int at = channel.indexOf(seg, from);
            if (at < 0 || at + seg.length() > end) {
                return false;
            }
            from = at + seg.length();
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChannelPattern p && p.pattern.equals(pattern);
    }

    @Override
    public int hashCode() {
        return pattern.hashCode();
    }

    @Override
    public String toString() {
        return pattern;
    }
}
