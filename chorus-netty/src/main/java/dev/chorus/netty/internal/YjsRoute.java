package dev.chorus.netty.internal;

import dev.chorus.core.config.ChorusConfig;
import dev.chorus.core.documents.DocumentHub;
import dev.chorus.core.transport.ConnectionAcceptor;
import dev.chorus.protocol.ErrorCode;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;

/**
 * {@code GET /yjs/<room>}: the y-websocket endpoint, so that
 * {@code new WebsocketProvider('ws://host:8080/yjs', room, doc)} works unchanged. The token
 * ({@code ?token=}, {@code Authorization: Bearer} or the {@code chorus_token} cookie) is checked
 * before the upgrade: a refused client gets the HTTP status of the error (401, 403, 400) and a JSON
 * body instead of a WebSocket. See {@link DocumentAccess} for who may read and write.
 */
final class YjsRoute implements Route {
    static final String PREFIX = "/yjs/";

    private final ChorusConfig config;
    private final ConnectionAcceptor acceptor;
    private final LoopBatches batches;
    private final DocumentAccess access;

    YjsRoute(ChorusConfig config, ConnectionAcceptor acceptor, LoopBatches batches) {
        this.config = config;
        this.acceptor = acceptor;
        this.batches = batches;
        this.access = new DocumentAccess(config, acceptor.tokenVerifier());
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest req, String path) {
        DocumentHub hub = acceptor.documents();
        if (hub == null) {
            HttpResponses.error(ctx, req, HttpResponseStatus.NOT_FOUND, "documents are not enabled on this node");
            return;
        }
        String room = path.substring(PREFIX.length());
        if (room.isEmpty()) {
            HttpResponses.json(ctx, req, HttpResponseStatus.NOT_FOUND,
                    HttpResponses.errorBody(ErrorCode.BAD_REQUEST.code(), "name the document: /yjs/<room>"));
            return;
        }
        String token = Credentials.token(req, new QueryStringDecoder(req.uri()));
        DocumentAccess.Decision d = access.decide(token, room);
        if (!d.granted()) {
            HttpResponses.json(ctx, req, HttpResponses.statusFor(d.code().code()), HttpResponses.errorBody(d.code().code(), d.message()));
            return;
        }
        boolean readOnly = !d.write();
        new WebSocketUpgrade(null, config.compression(), DocumentSocketHandler.frameLimit(config),
                () -> new YjsSocketHandler(config, batches, hub, room, readOnly)).handle(ctx, req, path);
    }
}
