package dev.chorus.core.internal;

import dev.chorus.core.config.Limits;

/** Checks channel names and splits them into namespace and rest. */
public final class ChannelNames {
    private ChannelNames() {
    }

    /**
     * Returns why {@code channel} is not a valid name, or {@code null} when it is: non-empty, at most
     * {@code maxLength} characters, ASCII letters, digits and {@link Limits#CHANNEL_PUNCTUATION} only,
     * not starting with ':'.
     */
    public static String problem(String channel, int maxLength) {
        if (channel == null || channel.isEmpty()) {
            return "channel name is empty";
        }
        if (channel.length() > maxLength) {
            return "channel name longer than " + maxLength + " characters";
        }
        if (channel.charAt(0) == ':') {
            return "channel name starts with ':'";
        }
        for (int i = 0; i < channel.length(); i++) {
            char c = channel.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || Limits.CHANNEL_PUNCTUATION.indexOf(c) >= 0;
            if (!ok) {
                return "channel name has a character outside [A-Za-z0-9" + Limits.CHANNEL_PUNCTUATION
                        + "] at index " + i;
            }
        }
        return null;
    }

    /** The namespace of a valid channel name ({@code ""} for the default namespace). */
    public static String namespace(String channel) {
        int colon = channel.indexOf(':');
        return colon < 0 ? "" : channel.substring(0, colon);
    }
}
