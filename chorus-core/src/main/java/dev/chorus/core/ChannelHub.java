package dev.chorus.core;

import dev.chorus.core.broker.Broker;
import dev.chorus.core.broker.BrokerEventHandler;
import dev.chorus.core.broker.ChannelEvent;
import dev.chorus.core.internal.EncodedPush;
import dev.chorus.protocol.Publication;
import dev.chorus.protocol.Push;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's subscriptions by channel, and the fan-out of what the broker delivers. The broker is
 * subscribed to a channel while at least one local subscription exists. Delivery iterates an
 * immutable array snapshot, so publishing never takes a lock shared with other channels.
 */
final class ChannelHub implements BrokerEventHandler {
    private static final Subscription[] NONE = new Subscription[0];

    private final ConcurrentHashMap<String, LocalChannel> channels = new ConcurrentHashMap<>();
    private final Broker broker;
    private final dev.chorus.core.metrics.NodeMetrics metrics;

    ChannelHub(Broker broker, dev.chorus.core.metrics.NodeMetrics metrics) {
        this.broker = broker;
        this.metrics = metrics;
    }

    private static final class LocalChannel {
        volatile Subscription[] subs = NONE;
        boolean removed;
    }

    /** Adds a subscription; completes once the broker delivers the channel to this node. */
    CompletionStage<Void> add(Subscription s) {
        while (true) {
            LocalChannel lc = channels.computeIfAbsent(s.channel, k -> new LocalChannel());
            synchronized (lc) {
                if (lc.removed) {
                    continue;
                }
                Subscription[] old = lc.subs;
                Subscription[] next = Arrays.copyOf(old, old.length + 1);
                next[old.length] = s;
                lc.subs = next;
                metrics.subscribed(1);
                return old.length == 0 ? broker.subscribe(s.channel) : CompletableFuture.completedFuture(null);
            }
        }
    }

    /** Removes a subscription (no-op when absent). */
    void remove(Subscription s) {
        LocalChannel lc = channels.get(s.channel);
        if (lc == null) {
            return;
        }
        synchronized (lc) {
            Subscription[] old = lc.subs;
            int i = indexOf(old, s);
            if (i < 0) {
                return;
            }
            metrics.subscribed(-1);
            if (old.length == 1) {
                lc.subs = NONE;
                lc.removed = true;
                channels.remove(s.channel, lc);
                broker.unsubscribe(s.channel);
                return;
            }
            Subscription[] next = new Subscription[old.length - 1];
            System.arraycopy(old, 0, next, 0, i);
            System.arraycopy(old, i + 1, next, i, old.length - i - 1);
            lc.subs = next;
        }
    }

    private static int indexOf(Subscription[] subs, Subscription s) {
        for (int i = 0; i < subs.length; i++) {
            if (subs[i] == s) {
                return i;
            }
        }
        return -1;
    }

    /** Number of channels with local subscribers. */
    int channelCount() {
        return channels.size();
    }

    /** Channels with local subscribers and their counts, sorted by name. */
    java.util.List<ServerApi.ChannelCount> counts() {
        java.util.List<ServerApi.ChannelCount> out = new java.util.ArrayList<>(channels.size());
        channels.forEach((name, lc) -> {
            int n = lc.subs.length;
            if (n > 0) {
                out.add(new ServerApi.ChannelCount(name, n));
            }
        });
        out.sort(java.util.Comparator.comparing(ServerApi.ChannelCount::channel));
        return out;
    }

    /** Local subscribers of a channel. */
    int subscriberCount(String channel) {
        return subscribers(channel).length;
    }

    /** The current snapshot of a channel's local subscriptions (empty when none). */
    private Subscription[] subscribers(String channel) {
        LocalChannel lc = channels.get(channel);
        return lc == null ? NONE : lc.subs;
    }

    /** Receives the document relay channels (set once by the node before the broker starts). */
    volatile DocumentBrokerRelay relay;
    /** Receives the cluster channel (set once by the node before the broker starts). */
    volatile Cluster cluster;

    @Override
    public void onPublication(String channel, Publication publication) {
        DocumentBrokerRelay r = relay;
        if (r != null && DocumentBrokerRelay.isRelayChannel(channel)) {
            r.onPublication(channel, publication);
            return;
        }
        Subscription[] subs = subscribers(channel);
        if (subs.length == 0) {
            return;
        }
        EncodedPush push = new EncodedPush(new Push.Pub(channel, publication));
        for (Subscription s : subs) {
            s.deliver(publication.offset(), push);
        }
        metrics.deliveredAfter(publication.time());
    }

    @Override
    public void onEvent(String channel, ChannelEvent event) {
        DocumentBrokerRelay r = relay;
        if (r != null && DocumentBrokerRelay.isRelayChannel(channel)) {
            r.onEvent(channel, event);
            return;
        }
        Cluster c = cluster;
        if (c != null && channel.equals(Cluster.CHANNEL)) {
            c.onEvent(event);
            return;
        }
        Subscription[] subs = subscribers(channel);
        if (subs.length == 0) {
            return;
        }
        Push push;
        String from;
        boolean needsJoinLeave = true;
        if (event instanceof ChannelEvent.Join j) {
            push = new Push.Join(channel, j.info());
            from = j.info().client();
        } else if (event instanceof ChannelEvent.Leave l) {
            push = new Push.Leave(channel, l.info());
            from = l.info().client();
        } else if (event instanceof ChannelEvent.PresenceChange p) {
            push = new Push.PresenceChange(channel, p.info());
            from = p.info().client();
        } else if (event instanceof ChannelEvent.Signal sig) {
            push = new Push.Signal(channel, sig.key(), sig.data(), sig.info());
            from = sig.info().client();
            needsJoinLeave = false;
        } else {
            return;
        }
        EncodedPush encoded = new EncodedPush(push);
        for (Subscription s : subs) {
            if ((!needsJoinLeave || s.joinLeave) && !s.session.clientId.equals(from)) {
                s.deliver(0, encoded);
            }
        }
    }
}
