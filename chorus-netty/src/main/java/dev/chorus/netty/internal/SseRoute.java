package dev.chorus.netty.internal;

import dev.chorus.core.config.ChorusConfig;
import dev.chorus.core.transport.ConnectionAcceptor;
import dev.chorus.protocol.ErrorCode;
import dev.chorus.protocol.StreamPosition;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /sse?channel=a&channel=b[&token=..][&joinLeave=true][&sub_token.<channel>=..]}: checks the query and the
 * {@code Last-Event-ID} (or {@code lastEventId} query parameter, for clients that reopen a stream
 * themselves), then hands the connection to an {@link SseSession}.
 */
final class SseRoute implements Route {
    static final String LAST_EVENT_ID = "Last-Event-ID";
    /** {@code sub_token.<channel>=<token>}: the subscription token of a channel in a private namespace. */
    static final String SUB_TOKEN_PREFIX = "sub_token.";

    private final ChorusConfig config;
    private final ConnectionAcceptor acceptor;

    SseRoute(ChorusConfig config, ConnectionAcceptor acceptor) {
        this.config = config;
        this.acceptor = acceptor;
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest req, String path) {
        String origin = req.headers().get(HttpHeaderNames.ORIGIN);
        QueryStringDecoder query;
        Map<String, List<String>> params;
        try {
            query = new QueryStringDecoder(req.uri());
            params = query.parameters();
        } catch (IllegalArgumentException e) {
            refuse(ctx, req, origin, ErrorCode.BAD_REQUEST, "malformed query string");
            return;
        }
        List<String> channels = params.getOrDefault("channel", List.of());
        if (channels.isEmpty()) {
            refuse(ctx, req, origin, ErrorCode.BAD_REQUEST, "missing query parameter 'channel' (give it once per channel)");
            return;
        }
        Set<String> distinct = new HashSet<>();
        for (String c : channels) {
            if (!distinct.add(c)) {
                refuse(ctx, req, origin, ErrorCode.BAD_REQUEST, "channel '" + c + "' is listed twice");
                return;
            }
        }
        if (channels.size() > config.limits().maxSubscriptions()) {
            refuse(ctx, req, origin, ErrorCode.LIMIT_EXCEEDED, "more than " + config.limits().maxSubscriptions() + " channels");
            return;
        }
        String lastId = req.headers().get(LAST_EVENT_ID);
        if (lastId == null || lastId.isEmpty()) {
            List<String> q = params.get("lastEventId");
            lastId = q == null || q.isEmpty() ? null : q.get(0);
        }
        Map<String, StreamPosition> since = new LinkedHashMap<>();
        if (lastId != null && !lastId.isEmpty()) {
            try {
                Map<String, StreamPosition> all = SsePositions.decode(lastId);
                for (String c : channels) {
                    if (all.containsKey(c)) {
                        since.put(c, all.get(c));
                    }
                }
            } catch (IllegalArgumentException e) {
                refuse(ctx, req, origin, ErrorCode.BAD_REQUEST, "malformed Last-Event-ID: " + e.getMessage());
                return;
            }
        }
        List<String> jl = params.get("joinLeave");
        boolean joinLeave = jl != null && !jl.isEmpty() && (jl.get(0).equals("true") || jl.get(0).equals("1"));
        Map<String, String> subTokens = new LinkedHashMap<>();
        for (String c : channels) {
            List<String> t = params.get(SUB_TOKEN_PREFIX + c);
            if (t != null && !t.isEmpty() && !t.get(0).isEmpty()) {
                subTokens.put(c, t.get(0));
            }
        }
        SseSession session = new SseSession(config, channels, since, joinLeave, Credentials.token(req, query), subTokens, origin);
        ctx.pipeline().addBefore(ctx.name(), SseSession.NAME, session);
        session.open(acceptor);
    }

    private static void refuse(ChannelHandlerContext ctx, FullHttpRequest req, String origin, ErrorCode code, String message) {
        FullHttpResponse res = HttpResponses.response(req, HttpResponses.statusFor(code.code()), HttpResponses.errorBody(code.code(), message));
        Cors.allow(res.headers(), origin);
        HttpResponses.send(ctx, req, res);
    }
}
