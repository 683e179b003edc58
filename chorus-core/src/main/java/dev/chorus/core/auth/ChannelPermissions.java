package dev.chorus.core.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a connection token says about channels, per action: for each of subscribe, publish and
 * presence either nothing ({@code null}: the namespace's {@code allow_*} flag decides) or a list of
 * {@link ChannelPattern}s, which then alone decides for that action. An empty list allows nothing.
 * Immutable.
 */
public final class ChannelPermissions {
    private final List<ChannelPattern> subscribe;
    private final List<ChannelPattern> publish;
    private final List<ChannelPattern> presence;

    private ChannelPermissions(List<ChannelPattern> subscribe, List<ChannelPattern> publish,
            List<ChannelPattern> presence) {
        this.subscribe = subscribe;
        this.publish = publish;
        this.presence = presence;
    }

    /**
     * @param subscribe patterns for subscribe, or {@code null}: the token says nothing about subscribe
     * @param publish   patterns for publish, or {@code null}
     * @param presence  patterns for presence (reading it and taking part), or {@code null}
     * @throws IllegalArgumentException when a pattern is null, empty or too long
     */
    public static ChannelPermissions of(List<String> subscribe, List<String> publish, List<String> presence) {
        return new ChannelPermissions(compile("subscribe", subscribe), compile("publish", publish),
                compile("presence", presence));
    }

    private static List<ChannelPattern> compile(String action, List<String> patterns) {
        if (patterns == null) {
            return null;
        }
        List<ChannelPattern> out = new ArrayList<>(patterns.size());
        for (String p : patterns) {
            try {
                out.add(ChannelPattern.compile(p));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(action + ": " + e.getMessage(), e);
            }
        }
        return List.copyOf(out);
    }

    /** {@code null} when the token says nothing about subscribe, else whether a pattern matches {@code channel}. */
    public Boolean subscribe(String channel) {
        return decide(subscribe, channel);
    }

    /** {@code null} when the token says nothing about publish, else whether a pattern matches {@code channel}. */
    public Boolean publish(String channel) {
        return decide(publish, channel);
    }

    /** {@code null} when the token says nothing about presence, else whether a pattern matches {@code channel}. */
    public Boolean presence(String channel) {
        return decide(presence, channel);
    }

    private static Boolean decide(List<ChannelPattern> patterns, String channel) {
        if (patterns == null) {
            return null;
        }
        for (ChannelPattern p : patterns) {
            if (p.matches(channel)) {
                return Boolean.TRUE;
            }
        }
        return Boolean.FALSE;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChannelPermissions p && Objects.equals(p.subscribe, subscribe)
                && Objects.equals(p.publish, publish) && Objects.equals(p.presence, presence);
    }

    @Override
    public int hashCode() {
        return Objects.hash(subscribe, publish, presence);
    }

    @Override
    public String toString() {
        return "ChannelPermissions{subscribe=" + subscribe + ", publish=" + publish + ", presence=" + presence + '}';
    }
}
