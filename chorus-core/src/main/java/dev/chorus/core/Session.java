package dev.chorus.core;

import dev.chorus.core.auth.ChannelPermissions;
import dev.chorus.core.documents.DocumentHandle;
import dev.chorus.core.documents.DocumentHub;
import dev.chorus.core.documents.DocumentPeer;
import dev.chorus.core.documents.YMessages;
import dev.chorus.core.internal.EncodedPush;
import dev.chorus.core.internal.RateLimiter;
import dev.chorus.core.metrics.NodeMetrics;
import dev.chorus.core.auth.ConnectClaims;
import dev.chorus.core.auth.TokenException;
import dev.chorus.core.auth.TokenVerifier;
import dev.chorus.core.broker.ChannelEvent;
import dev.chorus.core.broker.HistoryQuery;
import dev.chorus.core.broker.HistoryResult;
import dev.chorus.core.config.ChorusConfig;
import dev.chorus.core.config.Limits;
import dev.chorus.core.config.NamespaceConfig;
import dev.chorus.core.hooks.ClientContext;
import dev.chorus.core.hooks.ConnectHandler;
import dev.chorus.core.hooks.HookRejection;
import dev.chorus.core.hooks.RpcHandler;
import dev.chorus.core.hooks.SubscribeHandler;
import dev.chorus.core.internal.ChannelNames;
import dev.chorus.core.transport.Connection;
import dev.chorus.core.transport.InboundHandler;
import dev.chorus.protocol.ClientInfo;
import dev.chorus.protocol.CloseCode;
import dev.chorus.protocol.Codec;
import dev.chorus.protocol.ErrorCode;
import dev.chorus.protocol.ErrorInfo;
import dev.chorus.protocol.Format;
import dev.chorus.protocol.Payload;
import dev.chorus.protocol.ProtocolException;
import dev.chorus.protocol.Publication;
import dev.chorus.protocol.Push;
import dev.chorus.protocol.Reply;
import dev.chorus.protocol.Request;
import dev.chorus.protocol.Result;
import dev.chorus.protocol.StreamPosition;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection speaking {@code chorus/1}. Requests are handled strictly in arrival order
 * (a request waiting on a hook or the broker holds back the ones after it), off the network thread
 * only where a hook or a non-memory backend makes it asynchronous.
 */
final class Session implements InboundHandler {
    private static final Logger log = LoggerFactory.getLogger(Session.class);
    private static final int MAX_SIGNAL_KEYS = 16;
    private static final int MAX_SIGNAL_KEY_LENGTH = 64;
    private static final int MAX_IDEMPOTENCY_KEY_LENGTH = 128;
    /** {@code unsub} code: the server (API or application) ended the subscription. */
    static final int UNSUBSCRIBED_BY_SERVER = 4101;

    final Node node;
    final Connection connection;
    final Format format;
    final Codec codec;
    final String clientId;
    private final ChorusConfig config;
    private final Limits limits;

    private volatile String user = "";
    private volatile Payload connInfo;
    /** What the connection token allows per channel; {@code null}: the namespace flags decide. */
    private volatile ChannelPermissions permissions;
    /** When the connection's token expires (epoch millis), 0 when it does not. */
    volatile long expiresAtMillis;
    private final RateLimiter rateLimiter;
    private volatile boolean connected;
    private boolean connecting;
    private volatile boolean closed;

    final long createdNanos;
    volatile long lastSeenNanos;
    volatile long lastPingNanos;

    final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>(4);
    /** Open collaborative documents by name. */
    final Map<String, DocumentHandle> documents = new ConcurrentHashMap<>(2);
    /** Set by an operation whose pushes must follow its reply; run right after the reply is written. */
    private volatile Runnable afterReply;

    private final ArrayDeque<Request> queue = new ArrayDeque<>(2);
    private boolean busy;

    private int violations;
    private long violationWindowStart;
    /** Set when the error reply being prepared is the violation that ends the connection. */
    private volatile boolean closeAfterReply;

    Session(Node node, Connection connection, String clientId) {
        this.node = node;
        this.connection = connection;
        this.format = connection.format();
        this.codec = Codec.forFormat(format);
        this.clientId = clientId;
        this.config = node.config();
        this.limits = config.limits();
        long now = System.nanoTime();
        this.createdNanos = now;
        this.lastSeenNanos = now;
        this.lastPingNanos = now;
        this.rateLimiter = limits.messageRate() > 0 ? new RateLimiter(limits.messageRate(), limits.messageBurst(), now) : null;
    }

    boolean connected() {
        return connected;
    }

    String user() {
        return user;
    }

    ClientInfo identity() {
        return new ClientInfo(clientId, user, connInfo, null, 0);
    }

    ClientContext context() {
        return new ClientContext(clientId, user, connInfo, connection.remoteAddress());
    }

    /** Whether no request is being processed (used by shutdown to let in-flight work finish). */
    boolean idle() {
        synchronized (queue) {
            return !busy;
        }
    }

    // ---------------------------------------------------------------- inbound

    @Override
    public void onFrame(byte[] data, boolean binary) {
        lastSeenNanos = System.nanoTime();
        if (closed) {
            return;
        }
        if (binary != format.binary()) {
            violation(0, ErrorCode.BAD_REQUEST, (binary ? "binary" : "text") + " frames are not accepted on a "
                    + format.subprotocol() + " connection");
            return;
        }
        Request request;
        try {
            request = codec.decodeRequest(data, 0, data.length);
        } catch (ProtocolException e) {
            node.metrics().invalidIn(data.length);
            violation(e.requestId(), e.code(), e.getMessage());
            return;
        } catch (RuntimeException e) {
            node.metrics().invalidIn(data.length);
            log.warn("decoder failed on a frame of {} bytes", data.length, e);
            violation(0, ErrorCode.BAD_REQUEST, "malformed frame");
            return;
        }
        node.metrics().messageIn(request.op(), data.length);
        if (request instanceof Request.Pong) {
            return;
        }
        if (rateLimiter != null && !rateLimiter.tryAcquire(System.nanoTime())) {
            node.metrics().rateLimited();
            if (request.id() > 0) {
                writeReply(Reply.error(request.id(), ErrorCode.TOO_MANY_REQUESTS,
                        "more than " + limits.messageRate() + " messages per second; slow down"));
            } else {
                writePush(new Push.Error(ErrorInfo.of(ErrorCode.TOO_MANY_REQUESTS,
                        "more than " + limits.messageRate() + " messages per second; " + request.op() + " dropped")));
            }
            return;
        }
        enqueue(request);
    }

    @Override
    public void onOversizedFrame(long size) {
        lastSeenNanos = System.nanoTime();
        violation(0, ErrorCode.TOO_LARGE, "frame of " + size + " bytes exceeds the limit of " + limits.maxFrameSize() + " bytes");
    }

    @Override
    public void onSlowConsumer() {
        node.metrics().slowConsumer();
    }

    @Override
    public void onClose() {
        if (closed) {
            return;
        }
        closed = true;
        node.sessionClosed(this);
    }

    /**
     * Answers a protocol violation (with a reply when the request id is known, else an error push)
     * and closes the connection when there were too many within the window.
     */
    private void violation(long id, ErrorCode code, String message) {
        if (id > 0) {
            writeReply(Reply.error(id, code, message));
        } else {
            writePush(new Push.Error(ErrorInfo.of(code, message)));
        }
        if (countViolation()) {
            log.debug("client {} closed after {} protocol violations", clientId, limits.maxViolations());
            connection.close(CloseCode.PROTOCOL_VIOLATION, "too many protocol violations");
        }
    }

    /** Counts one violation; true when that makes too many within the window. */
    private synchronized boolean countViolation() {
        long now = System.nanoTime();
        if (now - violationWindowStart > limits.violationWindow().toNanos()) {
            violationWindowStart = now;
            violations = 0;
        }
        return ++violations >= limits.maxViolations();
    }

    // ---------------------------------------------------------------- ordering

    private void enqueue(Request request) {
        synchronized (queue) {
            if (busy) {
                if (queue.size() >= limits.maxInflightRequests()) {
                    String why = "more than " + limits.maxInflightRequests() + " requests in flight";
                    if (request.id() > 0) {
                        writeReply(Reply.error(request.id(), ErrorCode.LIMIT_EXCEEDED, why));
                    } else if (!(request instanceof Request.Signal || request instanceof Request.PresenceUpdate)) {
                        // never silent: a publish without id that is dropped here is reported too
                        writePush(new Push.Error(ErrorInfo.of(ErrorCode.LIMIT_EXCEEDED, why + "; " + request.op() + " dropped")));
                    }
                    return;
                }
                queue.add(request);
                return;
            }
            busy = true;
        }
        run(request);
    }

    private void run(Request first) {
        Request request = first;
        while (request != null) {
            CompletableFuture<Void> done = dispatch(request).toCompletableFuture();
            if (!done.isDone()) {
                done.whenComplete((v, e) -> run(next()));
                return;
            }
            request = next();
        }
    }

    private Request next() {
        synchronized (queue) {
            Request n = queue.poll();
            if (n == null) {
                busy = false;
            }
            return n;
        }
    }

    // ---------------------------------------------------------------- dispatch

    private CompletionStage<Void> dispatch(Request request) {
        CompletionStage<Result> result;
        try {
            if (node.shuttingDown() && !(request instanceof Request.Ping)) {
                throw new ProtocolException(ErrorCode.SHUTTING_DOWN, "server is shutting down; reconnect to another node");
            }
            if (!connected && !(request instanceof Request.Connect) && !(request instanceof Request.Ping)) {
                violation(request.id(), ErrorCode.UNAUTHORIZED, "send connect first");
                return CompletableFuture.completedFuture(null);
            }
            result = handle(request);
        } catch (ProtocolException e) {
            result = CompletableFuture.failedFuture(e);
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        return result.handle((res, err) -> {
            if (err != null) {
                replyError(request, err);
            } else if (res != null && request.id() > 0) {
                writeReply(Reply.ok(request.id(), res));
            }
            Runnable then = afterReply;
            if (then != null) {
                afterReply = null;
                then.run();
            }
            if (closeAfterReply) {
                connection.close(CloseCode.PROTOCOL_VIOLATION, "too many protocol violations");
            }
            return null;
        });
    }

    private CompletionStage<Result> handle(Request r) throws ProtocolException {
        if (r instanceof Request.Publish p) {
            return publish(p);
        } else if (r instanceof Request.Signal s) {
            return signal(s);
        } else if (r instanceof Request.Subscribe s) {
            return subscribe(s);
        } else if (r instanceof Request.Unsubscribe u) {
            return unsubscribe(u);
        } else if (r instanceof Request.PresenceUpdate p) {
            return presenceUpdate(p);
        } else if (r instanceof Request.History h) {
            return history(h);
        } else if (r instanceof Request.Presence p) {
            return presence(p);
        } else if (r instanceof Request.PresenceStats p) {
            return presenceStats(p);
        } else if (r instanceof Request.Rpc rpc) {
            return rpc(rpc);
        } else if (r instanceof Request.Connect c) {
            return connect(c);
        } else if (r instanceof Request.Refresh f) {
            return refresh(f);
        } else if (r instanceof Request.Doc d) {
            return doc(d);
        } else if (r instanceof Request.DocOpen d) {
            return docOpen(d);
        } else if (r instanceof Request.DocClose d) {
            return docClose(d);
        } else if (r instanceof Request.Ping) {
            return done(Result.Empty.INSTANCE);
        }
        throw new ProtocolException(ErrorCode.UNKNOWN_OPERATION, "unknown op '" + r.op() + "'");
    }

    private void replyError(Request request, Throwable err) {
        Throwable cause = unwrap(err);
        ErrorInfo info;
        if (cause instanceof ProtocolException pe) {
            info = pe.toErrorInfo();
        } else if (cause instanceof HookRejection hr) {
            info = ErrorInfo.of(hr.code(), hr.getMessage());
        } else {
            log.warn("{} of client {} failed", request.op(), clientId, cause);
            info = ErrorInfo.of(ErrorCode.INTERNAL, null);
        }
        if (request.id() > 0) {
            writeReply(Reply.error(request.id(), info));
        } else if (!(request instanceof Request.Signal || request instanceof Request.PresenceUpdate)) {
            writePush(new Push.Error(info));
        }
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    void writeReply(Reply reply) {
        if (reply.error() != null) {
            node.metrics().error(reply.error().code());
        }
        send(codec.encodeReply(reply), NodeMetrics.Out.REPLY);
    }

    /** Writes a push that is not a channel delivery (errors, unsubscribed). */
    void writePush(Push push) {
        if (push instanceof Push.Error e) {
            node.metrics().error(e.error().code());
        }
        send(codec.encodePush(push), NodeMetrics.Out.PUSH);
    }

    /** Writes a channel delivery, counted by kind. */
    void deliver(EncodedPush push) {
        send(push.bytes(format), outKind(push.push()));
    }

    void send(byte[] frame, NodeMetrics.Out kind) {
        node.metrics().out(kind, 1, frame.length);
        connection.write(frame);
    }

    private static NodeMetrics.Out outKind(Push p) {
        if (p instanceof Push.Pub) {
            return NodeMetrics.Out.PUB;
        } else if (p instanceof Push.Signal) {
            return NodeMetrics.Out.SIGNAL;
        } else if (p instanceof Push.Join) {
            return NodeMetrics.Out.JOIN;
        } else if (p instanceof Push.Leave) {
            return NodeMetrics.Out.LEAVE;
        } else if (p instanceof Push.PresenceChange) {
            return NodeMetrics.Out.PRESENCE;
        }
        return NodeMetrics.Out.PUSH;
    }

    private static <T> CompletionStage<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }

    // ---------------------------------------------------------------- operations

    private CompletionStage<Result> connect(Request.Connect c) throws ProtocolException {
        if (connected || connecting) {
            throw new ProtocolException(ErrorCode.ALREADY_CONNECTED, "connect was already sent on this connection");
        }
        connecting = true;
        ConnectHandler hook = node.hooks().connect();
        TokenVerifier verifier = node.tokenVerifier();
        CompletionStage<ConnectHandler.ConnectDecision> decision;
        ConnectClaims claims = null;
        if (verifier != null && c.token() != null) {
            try {
                claims = verifier.verifyConnect(c.token());
            } catch (TokenException e) {
                connecting = false;
                return done(refuseConnect(c, tokenError(e)));
            }
        }
        final ConnectClaims verified = claims;
        if (hook != null) {
            ConnectHandler.ConnectEvent event = new ConnectHandler.ConnectEvent(clientId, c.token(), c.name(), c.version(), connection.remoteAddress());
            decision = node.runHook(() -> hook.onConnect(event));
        } else if (verified != null) {
            decision = done(new ConnectHandler.ConnectDecision(verified.user(),
                    verified.infoJson() == null ? null : Payload.ofJson(verified.infoJson()), null));
        } else if (config.allowAnonymous() && (c.token() == null || verifier == null)) {
            // anonymous access: a token no verifier could check grants nothing, so it is ignored
            decision = done(ConnectHandler.ConnectDecision.user(""));
        } else if (c.token() != null && verifier == null) {
            decision = CompletableFuture.failedFuture(new ProtocolException(ErrorCode.UNAUTHORIZED,
                    "a token was sent but no token authentication is configured"));
        } else {
            decision = CompletableFuture.failedFuture(new ProtocolException(ErrorCode.UNAUTHORIZED,
                    "anonymous connections are not allowed and no authentication is configured"));
        }
        return decision.handle((d, err) -> {
            connecting = false;
            if (err == null && d == null) {
                err = new HookRejection(ErrorCode.UNAUTHORIZED, "connect refused");
            }
            if (err != null) {
                Throwable cause = unwrap(err);
                ErrorInfo info;
                if (cause instanceof ProtocolException pe) {
                    info = pe.toErrorInfo();
                } else if (cause instanceof HookRejection hr) {
                    info = ErrorInfo.of(hr.code() == ErrorCode.REJECTED ? ErrorCode.UNAUTHORIZED : hr.code(), hr.getMessage());
                } else {
                    log.warn("connect hook failed for client {}", clientId, cause);
                    info = ErrorInfo.of(ErrorCode.INTERNAL, null);
                }
                if (c.id() > 0) {
                    writeReply(Reply.error(c.id(), info));
                }
                connection.close(info.code() == ErrorCode.INTERNAL.code() ? CloseCode.INTERNAL : CloseCode.UNAUTHORIZED, info.message());
                return null;
            }
            user = d.user() == null ? "" : d.user();
            connInfo = d.connInfo();
            if (verified != null) {
                permissions = verified.permissions();
                expiresAtMillis = verified.expiresAt() == null ? 0 : verified.expiresAt().toEpochMilli();
            }
            connected = true;
            node.metrics().connected();
            return new Result.Connect(clientId, user, seconds(config.pingInterval()), seconds(config.heartbeatTimeout()),
                    config.nodeName(), Node.VERSION, node.limitsForClients(), d.data(), secondsLeft(expiresAtMillis));
        });
    }

    /** Seconds until {@code atMillis} (at least 1), or 0 for "never". */
    private static long secondsLeft(long atMillis) {
        if (atMillis == 0) {
            return 0;
        }
        return Math.max(1, (atMillis - System.currentTimeMillis() + 999) / 1000);
    }

    /** Answers a connect refused before any hook ran and closes the connection. */
    private Result refuseConnect(Request.Connect c, ErrorInfo info) {
        if (c.id() > 0) {
            writeReply(Reply.error(c.id(), info));
        }
        CloseCode close = info.code() == ErrorCode.TOKEN_EXPIRED.code() ? CloseCode.TOKEN_EXPIRED : CloseCode.UNAUTHORIZED;
        connection.close(close, info.message());
        return null;
    }

    /** The error a client gets for a token the verifier refused. */
    static ErrorInfo tokenError(TokenException e) {
        if (e.reason() == TokenException.Reason.EXPIRED) {
            return ErrorInfo.of(ErrorCode.TOKEN_EXPIRED, "token expired");
        }
        return ErrorInfo.of(ErrorCode.UNAUTHORIZED, "invalid token: " + e.getMessage());
    }

    private CompletionStage<Result> refresh(Request.Refresh r) throws ProtocolException {
        TokenVerifier verifier = node.tokenVerifier();
        if (verifier == null) {
            throw new ProtocolException(ErrorCode.NOT_AVAILABLE, "no token authentication is configured");
        }
        ConnectClaims claims;
        try {
            claims = verifier.verifyConnect(r.token());
        } catch (TokenException e) {
            ErrorInfo info = tokenError(e);
            throw new ProtocolException(ErrorCode.of(info.code()), info.message());
        }
        if (!claims.user().equals(user)) {
            throw new ProtocolException(ErrorCode.PERMISSION_DENIED, "the new token is for another user");
        }
        permissions = claims.permissions();
        expiresAtMillis = claims.expiresAt() == null ? 0 : claims.expiresAt().toEpochMilli();
        return done(new Result.Refresh(secondsLeft(expiresAtMillis)));
    }

    /**
     * Whether this client may do an action on a channel: the token's list for the action decides
     * when it has one, else the namespace's flag.
     */
    private static boolean allowed(boolean namespaceFlag, Boolean byToken) {
        return byToken != null ? byToken : namespaceFlag;
    }

    private ChannelPermissions perms() {
        return permissions;
    }

    private static int seconds(java.time.Duration d) {
        return (int) Math.max(1, (d.toMillis() + 999) / 1000);
    }

    /** Validates the channel name and resolves its namespace. */
    private NamespaceConfig namespaceOf(String channel) throws ProtocolException {
        String problem = ChannelNames.problem(channel, limits.maxChannelLength());
        if (problem != null) {
            throw new ProtocolException(ErrorCode.BAD_CHANNEL, problem);
        }
        NamespaceConfig ns = config.namespace(ChannelNames.namespace(channel));
        if (ns == null) {
            throw new ProtocolException(ErrorCode.UNKNOWN_NAMESPACE, "namespace '" + ChannelNames.namespace(channel) + "' is not declared");
        }
        return ns;
    }

    /** Like {@link #namespaceOf} but a bad name also counts as a protocol violation. */
    private NamespaceConfig checkedNamespace(String channel) throws ProtocolException {
        try {
            return namespaceOf(channel);
        } catch (ProtocolException e) {
            if (e.code() == ErrorCode.BAD_CHANNEL) {
                countViolationOnly();
            }
            throw e;
        }
    }

    /** Counts a violation whose error reply is still to be written; the close then follows the reply. */
    private void countViolationOnly() {
        if (countViolation()) {
            closeAfterReply = true;
        }
    }

    private Subscription subscribed(String channel) throws ProtocolException {
        Subscription s = subscriptions.get(channel);
        if (s == null || s.isDead()) {
            throw new ProtocolException(ErrorCode.NOT_SUBSCRIBED, "not subscribed to '" + channel + "'");
        }
        return s;
    }

    private CompletionStage<Result> subscribe(Request.Subscribe r) throws ProtocolException {
        NamespaceConfig ns = checkedNamespace(r.channel());
        String channel = r.channel();
        ChannelPermissions p = perms();
        if (ns.privateChannels() || r.token() != null) {
            checkSubscriptionToken(r, ns);
        } else if (!allowed(ns.allowSubscribe(), p == null ? null : p.subscribe(channel))) {
            throw new ProtocolException(ErrorCode.PERMISSION_DENIED, "subscribing to '" + channel + "' is not allowed");
        }
        if (r.joinLeave() && !ns.joinLeave()) {
            throw new ProtocolException(ErrorCode.NOT_AVAILABLE, "join/leave pushes are not enabled in this namespace");
        }
        if (r.presence() && !ns.presence()) {
            throw new ProtocolException(ErrorCode.NOT_AVAILABLE, "presence is not enabled in this namespace");
        }
        if (r.presence() && !allowed(ns.allowPresence(), p == null ? null : p.presence(channel))) {
            throw new ProtocolException(ErrorCode.PERMISSION_DENIED, "reading the presence of '" + channel + "' is not allowed");
        }
        if (subscriptions.containsKey(channel)) {
            throw new ProtocolException(ErrorCode.ALREADY_SUBSCRIBED, "already subscribed to '" + channel + "'");
        }
        if (subscriptions.size() >= limits.maxSubscriptions()) {
            throw new ProtocolException(ErrorCode.LIMIT_EXCEEDED, "more than " + limits.maxSubscriptions() + " subscriptions");
        }
        Subscription sub = new Subscription(this, channel, ns, r.joinLeave());
        subscriptions.put(channel, sub);
        SubscribeHandler hook = node.hooks().subscribe();
        CompletionStage<Void> allowed = hook == null ? done(null) : node.runHook(() -> {
            hook.onSubscribe(context(), channel);
            return null;
        });
        CompletionStage<Result> flow = allowed
                .thenCompose(v -> node.hub().add(sub))
                .thenCompose(v -> node.broker().history(channel, r.since() == null
                        ? HistoryQuery.position()
                        : HistoryQuery.since(r.since(), ns.historySize())))
                .thenCompose(history -> joinPresence(sub).thenApply(v -> history))
                .thenCompose(history -> r.presence()
                        ? node.presenceStore().get(channel).thenApply(present -> finishSubscribe(r, sub, history, present))
                        : done(finishSubscribe(r, sub, history, null)));
        return flow.whenComplete((res, err) -> {
            // also after a close or overflow that raced with this subscribe: undo what the flow added
            if (err != null || sub.isDead()) {
                subscriptions.remove(channel, sub);
                sub.kill();
                node.hub().remove(sub);
                leavePresence(sub);
            }
        });
    }

    /** A subscription token must name this channel and this user; it then grants the subscribe. */
    private void checkSubscriptionToken(Request.Subscribe r, NamespaceConfig ns) throws ProtocolException {
        TokenVerifier verifier = node.tokenVerifier();
        if (r.token() == null) {
            throw new ProtocolException(ErrorCode.PERMISSION_DENIED, "'" + r.channel() + "' is private: a subscription token is required");
        }
        if (verifier == null) {
            throw new ProtocolException(ErrorCode.NOT_AVAILABLE, "no token authentication is configured");
        }
        try {
            verifier.verifySubscription(r.token(), r.channel(), user);
        } catch (TokenException e) {
            if (e.reason() == TokenException.Reason.EXPIRED) {
                throw new ProtocolException(ErrorCode.TOKEN_EXPIRED, "subscription token expired");
            }
            throw new ProtocolException(ErrorCode.PERMISSION_DENIED, "subscription token refused: " + e.getMessage());
        }
    }

    private CompletionStage<Void> joinPresence(Subscription sub) {
        if (!sub.namespace.presence() || closed) {
            return done(null);
        }
        sub.inPresence = true;
        sub.presenceClock = 1;
        ClientInfo info = identity().withState(null, 1);
        return node.presenceStore().put(sub.channel, info, node.presenceTtl()).thenCompose(stored ->
                sub.namespace.joinLeave() ? node.broker().publishEvent(sub.channel, new ChannelEvent.Join(identity())) : done(null));
    }

    /** The document a channel is bound to, or {@code null}. */
    private static String documentOf(String channel) {
        String prefix = DocumentHub.CHANNEL_NAMESPACE + ":";
        return channel.startsWith(prefix) ? channel.substring(prefix.length()) : null;
    }

    /** Removes this client from a channel's presence and tells the others. */
    void leavePresence(Subscription sub) {
        if (!sub.inPresence) {
            return;
        }
        sub.inPresence = false;
        String doc = documentOf(sub.channel);
        if (doc != null && sub.presenceState != null) {
            node.documents().nativePresence(doc, clientId, null);
        }
        node.presenceStore().remove(sub.channel, clientId).whenComplete((removed, err) -> {
            if (err != null) {
                log.warn("cannot remove presence of {} in {}", clientId, sub.channel, err);
            }
            if (sub.namespace.joinLeave()) {
                node.broker().publishEvent(sub.channel, new ChannelEvent.Leave(identity()));
            }
        });
    }

    private Result finishSubscribe(Request.Subscribe r, Subscription sub, HistoryResult history, Map<String, ClientInfo> presence) {
        StreamPosition position = history.position();
        boolean recovering = r.since() != null;
        boolean recovered = false;
        List<Publication> pubs = List.of();
        if (recovering) {
            StreamPosition since = r.since();
            List<Publication> got = history.publications();
            // without history nothing is stored, so the server cannot prove that nothing was missed
            if (sub.namespace.historySize() > 0 && since.epoch().equals(position.epoch()) && since.offset() <= position.offset()) {
                long expectedFirst = since.offset() + 1;
                long missed = position.offset() - since.offset();
                boolean contiguous = got.size() == missed && (got.isEmpty() || got.get(0).offset() == expectedFirst);
                if (contiguous) {
                    recovered = true;
                    pubs = got;
                }
            }
        }
        Result.Subscribe result = new Result.Subscribe(position, recovered, recovering, pubs, presence);
        byte[] reply = r.id() > 0 ? codec.encodeReply(Reply.ok(r.id(), result)) : null;
        sub.goLive(r.id() > 0 ? reply : null, position.offset(), position.epoch());
        return null;
    }

    /** {@code unsub} code: the channel's stream was lost (new epoch); resubscribe with the last position. */
    static final int STREAM_LOST = 4102;

    /** Called by a subscription that saw a publication of a new epoch. */
    void streamLost(Subscription sub) {
        subscriptions.remove(sub.channel, sub);
        node.hub().remove(sub);
        leavePresence(sub);
        writePush(new Push.Unsubscribed(sub.channel, STREAM_LOST, "the channel's stream was lost (new epoch); resubscribe", true));
    }

    /** Called by a subscription whose buffer overflowed while subscribing. */
    void overflowed(Subscription sub) {
        subscriptions.remove(sub.channel, sub);
        node.hub().remove(sub);
        leavePresence(sub);
        writePush(new Push.Unsubscribed(sub.channel, 4100, "too many publications while subscribing", true));
    }

    private CompletionStage<Result> unsubscribe(Request.Unsubscribe r) throws ProtocolException {
        checkedNamespace(r.channel());
        Subscription sub = subscriptions.remove(r.channel());
        if (sub == null) {
            throw new ProtocolException(ErrorCode.NOT_SUBSCRIBED, "not subscribed to '" + r.channel() + "'");
        }
        sub.kill();
        node.hub().remove(sub);
        leavePresence(sub);
        return done(Result.Empty.INSTANCE);
    }

    private CompletionStage<Result> publish(Request.Publish r) throws ProtocolException {
        NamespaceConfig ns = checkedNamespace(r.channel());
        ChannelPermissions p = perms();
        if (!allowed(ns.allowPublish(), p == null ? null : p.publish(r.channel()))) {
            throw new ProtocolException(ErrorCode.PERMISSION_DENIED, "publishing to '" + r.channel() + "' is not allowed");
        }
        if (r.key() != null && (r.key().isEmpty() || r.key().length() > MAX_IDEMPOTENCY_KEY_LENGTH)) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "idempotency key must have 1 to " + MAX_IDEMPOTENCY_KEY_LENGTH + " characters");
        }
        node.checkSchema(r.channel(), ns, r.data());
        var hook = node.hooks().publish();
        CompletionStage<Payload> data = hook == null ? done(r.data()) : node.runHook(() -> {
            Payload out = hook.onPublish(context(), r.channel(), r.data());
            return out == null ? r.data() : out;
        });
        ClientInfo publisher = identity();
        return data.thenCompose(d -> node.broker().publish(r.channel(), d, publisher, node.publishOptions(ns, r.key())))
                .thenApply(res -> new Result.Publish(res.position()));
    }

    private CompletionStage<Result> history(Request.History r) throws ProtocolException {
        NamespaceConfig ns = checkedNamespace(r.channel());
        if (ns.historySize() == 0 || !ns.allowHistory()) {
            throw new ProtocolException(ErrorCode.NOT_AVAILABLE, "history is not enabled in this namespace");
        }
        subscribed(r.channel());
        int limit = r.limit() < 0 ? ns.historySize() : Math.min(r.limit(), ns.historySize());
        return node.broker().history(r.channel(), new HistoryQuery(r.since(), limit, r.reverse()))
                .thenApply(h -> new Result.History(h.position(), h.publications()));
    }

    private NamespaceConfig presenceNamespace(String channel) throws ProtocolException {
        NamespaceConfig ns = checkedNamespace(channel);
        if (!ns.presence()) {
            throw new ProtocolException(ErrorCode.NOT_AVAILABLE, "presence is not enabled in this namespace");
        }
        ChannelPermissions p = perms();
        if (!allowed(ns.allowPresence(), p == null ? null : p.presence(channel))) {
            throw new ProtocolException(ErrorCode.PERMISSION_DENIED, "reading the presence of '" + channel + "' is not allowed");
        }
        subscribed(channel);
        return ns;
    }

    private CompletionStage<Result> presence(Request.Presence r) throws ProtocolException {
        presenceNamespace(r.channel());
        return node.presenceStore().get(r.channel()).thenApply(Result.Presence::new);
    }

    private CompletionStage<Result> presenceStats(Request.PresenceStats r) throws ProtocolException {
        presenceNamespace(r.channel());
        return node.presenceStore().stats(r.channel()).thenApply(s -> new Result.PresenceStats(s.clients(), s.users()));
    }

    private CompletionStage<Result> presenceUpdate(Request.PresenceUpdate r) throws ProtocolException {
        NamespaceConfig ns = checkedNamespace(r.channel());
        if (!ns.presence()) {
            throw new ProtocolException(ErrorCode.NOT_AVAILABLE, "presence is not enabled in this namespace");
        }
        Subscription sub = subscribed(r.channel());
        Payload state = r.state();
        if (state != null && state.size() > limits.maxPresenceStateSize()) {
            throw new ProtocolException(ErrorCode.TOO_LARGE, "presence state of " + state.size()
                    + " bytes exceeds the limit of " + limits.maxPresenceStateSize() + " bytes");
        }
        if (!sub.inPresence) {
            throw new ProtocolException(ErrorCode.NOT_AVAILABLE, "not present in '" + r.channel() + "'");
        }
        long clock = ++sub.presenceClock;
        sub.presenceState = state;
        ClientInfo info = identity().withState(state, clock);
        String doc = documentOf(r.channel());
        if (doc != null) {
            node.documents().nativePresence(doc, clientId, state == null ? null : state.jsonString());
        }
        return node.presenceStore().put(r.channel(), info, node.presenceTtl())
                .thenCompose(stored -> ns.joinLeave() && stored
                        ? node.broker().publishEvent(r.channel(), new ChannelEvent.PresenceChange(info))
                        : done(null))
                .thenApply(v -> new Result.PresenceUpdate(clock));
    }

    /** Re-puts this session's presence entries so they do not expire while the client is alive. */
    void refreshPresence() {
        for (Subscription sub : subscriptions.values()) {
            if (sub.inPresence) {
                node.presenceStore().put(sub.channel, identity().withState(sub.presenceState, sub.presenceClock), node.presenceTtl());
            }
        }
    }

    private CompletionStage<Result> signal(Request.Signal r) throws ProtocolException {
        NamespaceConfig ns = checkedNamespace(r.channel());
        ChannelPermissions p = perms();
        // a token's publish list covers signals too: both send to the channel's subscribers
        if (!allowed(ns.allowSignal(), p == null ? null : p.publish(r.channel()))) {
            throw new ProtocolException(ErrorCode.PERMISSION_DENIED, "sending signals to '" + r.channel() + "' is not allowed");
        }
        Subscription sub = subscribed(r.channel());
        if (r.key().length() > MAX_SIGNAL_KEY_LENGTH) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "signal key longer than " + MAX_SIGNAL_KEY_LENGTH + " characters");
        }
        SignalSlot slot = sub.signalSlot(r.key(), MAX_SIGNAL_KEYS);
        if (slot == null) {
            throw new ProtocolException(ErrorCode.LIMIT_EXCEEDED, "more than " + MAX_SIGNAL_KEYS + " signal keys in one channel");
        }
        slot.submit(r.data());
        return done(Result.Empty.INSTANCE);
    }

    private CompletionStage<Result> rpc(Request.Rpc r) throws ProtocolException {
        RpcHandler handler = node.hooks().rpc().get(r.method());
        if (handler == null) {
            throw new ProtocolException(ErrorCode.METHOD_NOT_FOUND, "no RPC method '" + r.method() + "'");
        }
        Payload data = r.data() == null ? Payload.NULL : r.data();
        return node.runHook(() -> {
            Payload out = handler.handle(context(), data);
            return (Result) new Result.Rpc(out == null ? Payload.NULL : out);
        });
    }

    /** Ends a subscription on the server's behalf and tells the client; false when not subscribed. */
    boolean serverUnsubscribe(String channel) {
        Subscription sub = subscriptions.remove(channel);
        if (sub == null) {
            return false;
        }
        sub.kill();
        node.hub().remove(sub);
        leavePresence(sub);
        writePush(new Push.Unsubscribed(channel, UNSUBSCRIBED_BY_SERVER, "unsubscribed by the server", false));
        return true;
    }

    // ---------------------------------------------------------------- lifecycle

    // ---------------------------------------------------------------- documents

    /** The document's channel namespace, checked like a channel name; read access checked. */
    private NamespaceConfig documentNamespace(String doc) throws ProtocolException {
        String problem = DocumentHub.nameProblem(doc);
        if (problem != null) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, problem);
        }
        return checkedNamespace(DocumentHub.channelFor(doc));
    }

    private CompletionStage<Result> docOpen(Request.DocOpen r) throws ProtocolException {
        NamespaceConfig ns = documentNamespace(r.doc());
        String channel = DocumentHub.channelFor(r.doc());
        ChannelPermissions p = perms();
        if (ns.privateChannels() || !allowed(ns.allowSubscribe(), p == null ? null : p.subscribe(channel))) {
            throw new ProtocolException(ErrorCode.PERMISSION_DENIED, "reading document '" + r.doc() + "' is not allowed");
        }
        boolean readOnly = r.readOnly() || !allowed(ns.allowPublish(), p == null ? null : p.publish(channel));
        if (documents.containsKey(r.doc())) {
            throw new ProtocolException(ErrorCode.ALREADY_SUBSCRIBED, "document '" + r.doc() + "' is already open");
        }
        if (documents.size() + subscriptions.size() >= limits.maxSubscriptions()) {
            throw new ProtocolException(ErrorCode.LIMIT_EXCEEDED, "more than " + limits.maxSubscriptions() + " subscriptions and documents");
        }
        String name = r.doc();
        DocumentPeer peer = new DocumentPeer() {
            @Override
            public String user() {
                return user;
            }

            @Override
            public void sendUpdate(byte[] update) {
                writePush(new Push.Doc(name, YMessages.update(update)));
            }

            @Override
            public void sendAwareness(byte[] awarenessUpdate) {
                writePush(new Push.Doc(name, YMessages.awareness(awarenessUpdate)));
            }

            @Override
            public void detached(String reason) {
                documents.remove(name);
                writePush(new Push.Error(ErrorInfo.of(ErrorCode.INTERNAL, reason)));
            }
        };
        return node.documents().open(name, peer, readOnly).thenCompose(h -> {
            if (closed) {
                h.leave();
                return done((Result) Result.Empty.INSTANCE);
            }
            documents.put(name, h);
            return h.stateVector().thenCombine(h.awarenessStates(), (sv, states) -> {
                // the server's sync step 1 and the awareness states follow the reply
                afterReply = () -> {
                    writePush(new Push.Doc(name, YMessages.syncStep1(sv)));
                    if (states != null) {
                        writePush(new Push.Doc(name, YMessages.awareness(states)));
                    }
                };
                return (Result) new Result.DocOpen(readOnly);
            });
        });
    }

    private CompletionStage<Result> doc(Request.Doc r) throws ProtocolException {
        DocumentHandle h = documents.get(r.doc());
        if (h == null) {
            throw new ProtocolException(ErrorCode.NOT_SUBSCRIBED, "document '" + r.doc() + "' is not open");
        }
        return YMessages.handle(h, r.data()).handle((answers, err) -> {
            if (err != null) {
                Throwable cause = YMessages.cause(err);
                if (cause instanceof ProtocolException pe && pe.code() == ErrorCode.BAD_REQUEST) {
                    countViolationOnly();
                }
                throw new CompletionException(cause);
            }
            for (byte[] a : answers) {
                writePush(new Push.Doc(r.doc(), a));
            }
            return (Result) Result.Empty.INSTANCE;
        });
    }

    private CompletionStage<Result> docClose(Request.DocClose r) throws ProtocolException {
        DocumentHandle h = documents.remove(r.doc());
        if (h == null) {
            throw new ProtocolException(ErrorCode.NOT_SUBSCRIBED, "document '" + r.doc() + "' is not open");
        }
        return h.leave().thenApply(v -> (Result) Result.Empty.INSTANCE);
    }

    /** Ends every subscription (called once the connection is closed). */
    void cleanup() {
        for (DocumentHandle h : documents.values()) {
            h.leave();
        }
        documents.clear();
        for (Subscription sub : subscriptions.values()) {
            sub.kill();
            node.hub().remove(sub);
            leavePresence(sub);
        }
        subscriptions.clear();
    }
}
