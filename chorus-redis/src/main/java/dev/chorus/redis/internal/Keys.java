package dev.chorus.redis.internal;

/**
 * Names of a channel's keys and Pub/Sub channel. The Chorus channel is wrapped in braces, a Redis
 * Cluster hash tag, so all keys of one channel (and its sharded Pub/Sub channel) map to one slot,
 * which the Lua scripts need. A channel name containing <code>}</code> still gives every key of
 * that channel the same tag (the text up to the first <code>}</code>).
 */
public final class Keys {
    private final String prefix;

    public Keys(String prefix) {
        this.prefix = prefix;
    }

    public String prefix() {
        return prefix;
    }

    private String base(String channel) {
        return prefix + "{" + channel + "}";
    }

    /** The Redis Stream holding the channel's publications, entry id {@code <offset>-0}. */
    public String stream(String channel) {
        return base(channel) + ":stream";
    }

    /** Hash with the channel's newest offset ({@code o}) and epoch ({@code e}). */
    public String meta(String channel) {
        return base(channel) + ":meta";
    }

    /** Hash from idempotency key to {@code "<offset> <epoch>"}. */
    public String idempotencyHash(String channel) {
        return base(channel) + ":idem";
    }

    /** Sorted set of idempotency keys scored by the end of their window (ms, Redis clock). */
    public String idempotencyExpiry(String channel) {
        return base(channel) + ":idem-exp";
    }

    /** Hash from client id to {@code "<clock> <ClientInfo JSON>"}. */
    public String presence(String channel) {
        return base(channel) + ":presence";
    }

    /** Sorted set of client ids scored by when their presence expires (ms, Redis clock). */
    public String presenceExpiry(String channel) {
        return base(channel) + ":presence-exp";
    }

    /** The Pub/Sub channel carrying the channel's publications and events between nodes. */
    public String pubSub(String channel) {
        return base(channel) + ":ps";
    }

    /** The Chorus channel of a Pub/Sub channel name, or {@code null} when it is not one of ours. */
    public String channelOfPubSub(String pubSub) {
        if (!pubSub.startsWith(prefix + "{") || !pubSub.endsWith("}:ps")) {
            return null;
        }
        return pubSub.substring(prefix.length() + 1, pubSub.length() - 4);
    }

    /** A pattern matching every key and Pub/Sub channel of this prefix (for cleanup tools and tests). */
    public String pattern() {
        return escapeGlob(prefix) + "*";
    }

    private static String escapeGlob(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }
}
