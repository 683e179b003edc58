package dev.chorus.netty.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chorus.core.ServerApi;
import dev.chorus.core.config.HttpConfig;
import dev.chorus.core.transport.ConnectionAcceptor;
import dev.chorus.protocol.ErrorCode;
import dev.chorus.protocol.ProtocolException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.CompletionStage;

/**
 * {@code POST /api/<method>}, the HTTP server API: JSON bodies, {@code Authorization: apikey <key>}.
 * Answers 404 as for any unknown path while no key is configured, 401 for a missing or wrong key.
 * Results are JSON objects; errors {@code {"error":{"code","message"}}} with the engine's codes.
 */
final class ServerApiRoute implements Route {
    static final String PREFIX = "/api/";

    private final ApiKeys keys;
    private final ConnectionAcceptor acceptor;

    ServerApiRoute(HttpConfig http, ConnectionAcceptor acceptor) {
        this.keys = new ApiKeys(http.apiKeys());
        this.acceptor = acceptor;
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest req, String path) {
        if (!keys.enabled()) {
            HttpResponses.error(ctx, req, HttpResponseStatus.NOT_FOUND, "no such path");
            return;
        }
        if (!keys.accepts(req.headers().get(HttpHeaderNames.AUTHORIZATION))) {
            FullHttpResponse res = HttpResponses.response(req, HttpResponseStatus.UNAUTHORIZED,
                    HttpResponses.errorBody(ErrorCode.UNAUTHORIZED.code(), "missing or wrong API key: send 'Authorization: apikey <key>'"));
            res.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, ApiKeys.SCHEME);
            HttpResponses.send(ctx, req, res);
            return;
        }
        String name = path.substring(PREFIX.length());
        ServerApiMethods.Method method = ServerApiMethods.ALL.get(name);
        if (method == null) {
            HttpResponses.json(ctx, req, HttpResponseStatus.NOT_FOUND,
                    HttpResponses.errorBody(ErrorCode.UNKNOWN_OPERATION.code(), "no API method '" + name + "'"));
            return;
        }
        PendingResponse out = PendingResponse.start(ctx, req, null);
        ServerApi api = acceptor.api();
        CompletionStage<JsonNode> result;
        try {
            JsonNode body = JsonBodies.object(req.content(), true);
            result = method.call(api, body);
        } catch (ProtocolException e) {
            out.error(e.code().code(), e.getMessage());
            return;
        } catch (RuntimeException e) {
            out.failure(e);
            return;
        }
        result.whenComplete((json, err) -> {
            if (err != null) {
                out.failure(err);
            } else {
                out.json(HttpResponseStatus.OK, HttpResponses.write(json));
            }
        });
    }
}
