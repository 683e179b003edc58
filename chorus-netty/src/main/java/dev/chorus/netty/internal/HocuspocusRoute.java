package dev.chorus.netty.internal;

import dev.chorus.core.config.ChorusConfig;
import dev.chorus.core.documents.DocumentHub;
import dev.chorus.core.transport.ConnectionAcceptor;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * {@code GET /hocuspocus}: the endpoint of {@code @hocuspocus/provider} 4.x. Any client may open
 * the socket; each document on it is authorized by the provider's Auth message (see
 * {@link HocuspocusSocketHandler}).
 */
final class HocuspocusRoute implements Route {
    static final String PATH = "/hocuspocus";

    private final ChorusConfig config;
    private final ConnectionAcceptor acceptor;
    private final LoopBatches batches;
    private final DocumentAccess access;
    private final StatelessRelay relay = new StatelessRelay();

    HocuspocusRoute(ChorusConfig config, ConnectionAcceptor acceptor, LoopBatches batches) {
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
        new WebSocketUpgrade(null, config.compression(), DocumentSocketHandler.frameLimit(config),
                () -> new HocuspocusSocketHandler(config, batches, hub, access, relay)).handle(ctx, req, path);
    }
}
