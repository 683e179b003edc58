package dev.chorus.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chorus.client.ChorusException;
import dev.chorus.client.ClientSubscription;
import dev.chorus.client.HistoryOptions;
import dev.chorus.client.HistoryResult;
import dev.chorus.client.PresenceStats;
import dev.chorus.client.SubscribeOptions;
import dev.chorus.client.SubscribedEvent;
import dev.chorus.client.SubscriptionListener;
import dev.chorus.client.SubscriptionState;
import dev.chorus.protocol.ClientInfo;
import dev.chorus.protocol.Payload;
import dev.chorus.protocol.Publication;
import dev.chorus.protocol.Request;
import dev.chorus.protocol.StreamPosition;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * One channel subscription. Its state changes on the client thread only; {@link #state()},
 * {@link #position()} and {@link #members()} are published through volatile fields for other
 * threads.
 *
 * <p>Delivery rule: a publication with a position is delivered only when it is the next one after
 * {@link #position()} in the same epoch (older ones are duplicates and dropped); a publication that
 * skips ahead or shows another epoch means something was missed, and {@code onResync} comes first.
 */
final class DefaultClientSubscription implements ClientSubscription {
    private static final System.Logger LOG = System.getLogger(DefaultClientSubscription.class.getName());

    private final DefaultChorusClient client;
    private final String channel;
    private final SubscribeOptions options;
    private final SubscriptionListener listener;
    private final CompletableFuture<SubscribedEvent> ready = new CompletableFuture<>();
    private final SignalThrottle throttle;

    private volatile SubscriptionState state = SubscriptionState.SUBSCRIBING;
    private volatile StreamPosition position;
    private volatile Map<String, ClientInfo> membersView = Map.of();

    private final Map<String, ClientInfo> members = new LinkedHashMap<>();
    private Payload presenceState;
    private boolean everSubscribed;
    /** A publication without a position was seen: the namespace keeps no history, nothing can be recovered. */
    private boolean historyless;
    private boolean inFlight;
    private long retries;

    DefaultClientSubscription(DefaultChorusClient client, String channel, SubscribeOptions options, SubscriptionListener listener) {
        this.client = client;
        this.channel = channel;
        this.options = options;
        this.listener = listener;
        this.position = options.since();
        this.throttle = new SignalThrottle(client.scheduler(), client.options().signalRate(), System::nanoTime, this::sendSignal);
    }

    // ================================================================ API

    @Override
    public String channel() {
        return channel;
    }

    @Override
    public SubscriptionState state() {
        return state;
    }

    @Override
    public StreamPosition position() {
        return position;
    }

    @Override
    public CompletableFuture<SubscribedEvent> ready() {
        return ready;
    }

    @Override
    public Map<String, ClientInfo> members() {
        return membersView;
    }

    @Override
    public CompletableFuture<Map<String, ClientInfo>> presence() {
        return client.userRequest(id -> new Request.Presence(id, channel), r -> Results.clients(Results.object(r, "clients")));
    }

    @Override
    public CompletableFuture<PresenceStats> presenceStats() {
        return client.userRequest(id -> new Request.PresenceStats(id, channel),
                r -> new PresenceStats((int) Results.integer(r, "clients"), (int) Results.integer(r, "users")));
    }

    @Override
    public CompletableFuture<Long> setPresence(Object state) {
        Payload p = state == null ? Payload.NULL : DefaultChorusClient.payload(state);
        CompletableFuture<Long> f = new CompletableFuture<>();
        client.run(() -> {
            presenceState = p;
            client.userRequest(id -> new Request.PresenceUpdate(id, channel, p), r -> Results.integer(r, "clock", 0))
                    .whenComplete((clock, e) -> {
                        if (e != null) {
                            f.completeExceptionally(e);
                        } else {
                            f.complete(clock);
                        }
                    });
        }, f);
        return f;
    }

    @Override
    public void signal(String key, Object data) {
        Objects.requireNonNull(key, "key");
        Payload p = data == null ? Payload.NULL : DefaultChorusClient.payload(data);
        client.run(() -> {
            if (state == SubscriptionState.SUBSCRIBED) {
                throttle.push(key, p);
            }
        }, null);
    }

    @Override
    public CompletableFuture<StreamPosition> publish(Object data) {
        return client.publish(channel, data);
    }

    @Override
    public CompletableFuture<HistoryResult> history(HistoryOptions options) {
        return client.history(channel, options);
    }

    @Override
    public CompletableFuture<Void> unsubscribe() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        client.run(() -> {
            if (state == SubscriptionState.UNSUBSCRIBED || state == SubscriptionState.FAILED) {
                f.complete(null);
                return;
            }
            boolean wasSubscribed = state == SubscriptionState.SUBSCRIBED || inFlight;
            end(0, "unsubscribed by the client");
            if (wasSubscribed && client.isConnected()) {
                client.boundRequest(id -> new Request.Unsubscribe(id, channel), r -> f.complete(null), e -> f.complete(null));
            } else {
                f.complete(null);
            }
        }, f);
        return f;
    }

    @Override
    public String toString() {
        return "ClientSubscription{" + channel + ", " + state + ", " + position + '}';
    }

    // ================================================================ client thread

    /** Subscribes on the current connection, from the last position when there is one. */
    void sendSubscribe() {
        if (state != SubscriptionState.SUBSCRIBING || inFlight || !client.isConnected()) {
            return;
        }
        inFlight = true;
        if (options.token() == null) {
            send(null);
            return;
        }
        CompletionStage<String> token;
        try {
            token = Objects.requireNonNull(options.token().apply(channel), "the subscription token supplier returned null");
        } catch (RuntimeException e) {
            token = CompletableFuture.failedFuture(e);
        }
        token.whenComplete((t, e) -> client.run(() -> {
            if (!inFlight || state != SubscriptionState.SUBSCRIBING) {
                return;
            }
            if (e != null || t == null) {
                inFlight = false;
                fail(new ChorusException(dev.chorus.protocol.ErrorCode.UNAUTHORIZED.code(),
                        "the subscription token supplier failed: " + (e == null ? "null token" : Connection.rootMessage(e))));
                return;
            }
            send(t);
        }, null));
    }

    private void send(String token) {
        StreamPosition since = position;
        boolean joinLeave = options.joinLeave();
        client.boundRequest(id -> new Request.Subscribe(id, channel, since, joinLeave, joinLeave, token),
                r -> subscribed(since != null, r), this::subscribeFailed);
    }

    private void subscribed(boolean asked, JsonNode r) {
        inFlight = false;
        if (state != SubscriptionState.SUBSCRIBING) {
            return;
        }
        StreamPosition pos = Results.position(r);
        boolean recovered = Results.bool(r, "recovered", false);
        boolean recovering = Results.bool(r, "recovering", asked);
        List<Publication> pubs = Results.publications(r.get("publications"));
        Map<String, ClientInfo> presence = r.hasNonNull("presence") ? Results.clients(r.get("presence")) : null;

        boolean resubscribe = everSubscribed;
        state = SubscriptionState.SUBSCRIBED;
        everSubscribed = true;
        retries = 0;
        if (presence != null) {
            members.clear();
            members.putAll(presence);
            publishMembers();
        }
        if (recovering && recovered && historyless) {
            recovered = false; // the server cannot know what it never stored
        }
        SubscribedEvent event = new SubscribedEvent(channel, pos, recovering, recovering && recovered);
        if (recovering && !recovered) {
            position = pos;
            call(() -> listener.onSubscribed(event));
            call(() -> listener.onResync(pos));
        } else {
            if (!recovering) {
                position = pos;
            }
            call(() -> listener.onSubscribed(event));
            for (Publication p : pubs) {
                onPublication(p);
            }
            StreamPosition cur = position;
            // the reply's position says where live delivery starts
            if (cur == null || !cur.epoch().equals(pos.epoch()) || cur.offset() < pos.offset()) {
                position = pos;
            }
        }
        if (resubscribe && presenceState != null) {
            Payload st = presenceState;
            client.boundRequest(id -> new Request.PresenceUpdate(id, channel, st), x -> {
            }, e -> {
                if (e.code() != ChorusException.CONNECTION_LOST) {
                    call(() -> listener.onError(e));
                }
            });
        }
        ready.complete(event);
    }

    private void subscribeFailed(ChorusException e) {
        inFlight = false;
        if (state != SubscriptionState.SUBSCRIBING || e.code() == ChorusException.CONNECTION_LOST) {
            return; // resubscribed after the reconnect
        }
        if (e.temporary()) {
            retries++;
            Duration d = client.options().reconnectDelay().createDelay(retries);
            client.scheduler().schedule(this::sendSubscribe, Math.max(0, d.toNanos()), TimeUnit.NANOSECONDS);
            call(() -> listener.onError(e));
            return;
        }
        fail(e);
    }

    private void fail(ChorusException e) {
        state = SubscriptionState.FAILED;
        throttle.clear();
        client.removeSubscription(this);
        call(() -> listener.onError(e));
        ready.completeExceptionally(e);
    }

    void connectionLost() {
        inFlight = false;
        throttle.clear();
        if (state == SubscriptionState.SUBSCRIBED) {
            state = SubscriptionState.SUBSCRIBING;
        }
    }

    void onPublication(Publication pub) {
        if (state != SubscriptionState.SUBSCRIBED) {
            return;
        }
        if (pub.offset() == 0 && pub.epoch().isEmpty()) {
            historyless = true;
            call(() -> listener.onPublication(pub));
            return;
        }
        StreamPosition pos = position;
        if (pos != null && pos.epoch().equals(pub.epoch())) {
            if (pub.offset() <= pos.offset()) {
                return; // already delivered
            }
            if (pub.offset() > pos.offset() + 1) {
                StreamPosition now = pub.position();
                position = now;
                call(() -> listener.onResync(now));
            }
        } else if (pos != null && !pos.epoch().isEmpty()) {
            StreamPosition now = pub.position();
            position = now;
            call(() -> listener.onResync(now));
        }
        position = pub.position();
        call(() -> listener.onPublication(pub));
    }

    void onJoin(ClientInfo info) {
        if (state != SubscriptionState.SUBSCRIBED) {
            return;
        }
        members.put(info.client(), info);
        publishMembers();
        call(() -> listener.onJoin(info));
    }

    void onLeave(ClientInfo info) {
        if (state != SubscriptionState.SUBSCRIBED) {
            return;
        }
        members.remove(info.client());
        publishMembers();
        call(() -> listener.onLeave(info));
    }

    void onPresence(ClientInfo info) {
        if (state != SubscriptionState.SUBSCRIBED) {
            return;
        }
        members.put(info.client(), info);
        publishMembers();
        call(() -> listener.onPresence(info));
    }

    void onSignal(String key, Payload data, ClientInfo from) {
        if (state == SubscriptionState.SUBSCRIBED) {
            call(() -> listener.onSignal(key, data, from));
        }
    }

    void onServerUnsubscribe(int code, String reason, boolean resubscribe) {
        if (resubscribe) {
            if (state == SubscriptionState.SUBSCRIBED) {
                state = SubscriptionState.SUBSCRIBING;
            }
            inFlight = false;
            sendSubscribe();
            return;
        }
        end(code, reason);
    }

    private void end(int code, String reason) {
        state = SubscriptionState.UNSUBSCRIBED;
        inFlight = false;
        throttle.clear();
        client.removeSubscription(this);
        members.clear();
        publishMembers();
        call(() -> listener.onUnsubscribed(code, reason));
        ready.completeExceptionally(new ChorusException(code, "unsubscribed: " + reason));
    }

    private void sendSignal(String key, Payload data) {
        if (state == SubscriptionState.SUBSCRIBED) {
            client.sendNoReply(new Request.Signal(0, channel, key, data));
        }
    }

    private void publishMembers() {
        membersView = Collections.unmodifiableMap(new LinkedHashMap<>(members));
    }

    private void call(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "subscription listener of '" + channel + "' failed", e);
        }
    }
}
