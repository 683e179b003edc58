package dev.chorus.netty.internal;

import dev.chorus.core.config.ChorusConfig;
import dev.chorus.core.transport.ConnectionAcceptor;
import dev.chorus.core.transport.InboundHandler;
import dev.chorus.protocol.CloseCode;
import dev.chorus.protocol.Format;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects one WebSocket to the engine: on handshake it creates the {@link WebSocketConnection} and
 * asks the acceptor for the inbound handler, then passes every complete message on, and reports
 * the close exactly once.
 */
final class WebSocketSessionHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
    private static final Logger log = LoggerFactory.getLogger(WebSocketSessionHandler.class);

    private final ChorusConfig config;
    private final ConnectionAcceptor acceptor;
    private final LoopBatches batches;
    private WebSocketConnection connection;
    private InboundHandler inbound;
    private boolean closeReported;

    WebSocketSessionHandler(ChorusConfig config, ConnectionAcceptor acceptor, LoopBatches batches) {
        this.config = config;
        this.acceptor = acceptor;
        this.batches = batches;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete hc) {
            opened(ctx, hc.selectedSubprotocol());
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    private void opened(ChannelHandlerContext ctx, String subprotocol) {
        // the handshaker selects only subprotocols we offered; none at all means JSON
        Format format = subprotocol == null ? null : Format.forSubprotocol(subprotocol);
        boolean compressed = ctx.pipeline().get(WebSocketExtensionEncoder.class) != null;
        connection = new WebSocketConnection(ctx.channel(), batches.of(ctx.channel().eventLoop()), format == null ? Format.JSON : format,
                config.limits().maxOutboundBytes(), config.limits().closeTimeout().toMillis(), compressed);
        ctx.channel().attr(WebSocketConnection.KEY).set(connection);
        try {
            inbound = acceptor.accept(connection);
        } catch (RuntimeException e) {
            log.error("the engine refused a connection from {}", connection.remoteAddress(), e);
        }
        if (inbound != null) {
            InboundHandler in = inbound;
            connection.onSlowConsumer(in::onSlowConsumer);
        }
        if (inbound == null) {
            connection.close(CloseCode.INTERNAL, "server error");
        } else if (!ctx.channel().isActive()) {
            // closed while the engine was accepting: channelInactive has come and gone
            reportClose();
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (inbound == null || !connection.isOpen()) {
            return;
        }
        boolean binary;
        if (frame instanceof TextWebSocketFrame) {
            binary = false;
        } else if (frame instanceof BinaryWebSocketFrame) {
            binary = true;
        } else {
            return;
        }
        int size = frame.content().readableBytes();
        if (size > config.limits().maxFrameSize()) {
            inbound.onOversizedFrame(size);
            return;
        }
        inbound.onFrame(ByteBufUtil.getBytes(frame.content()), binary);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // replies written while reading go out with this read batch, not one flush each
        if (connection != null) {
            connection.flushPending();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        reportClose();
        super.channelInactive(ctx);
    }

    private void reportClose() {
        if (connection != null) {
            connection.markClosed();
        }
        if (inbound != null && !closeReported) {
            closeReported = true;
            try {
                inbound.onClose();
            } catch (RuntimeException e) {
                log.warn("onClose failed", e);
            }
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (Causes.find(cause, CorruptedWebSocketFrameException.class) != null) {
            // the frame decoder has already sent the close frame (1002, 1007 or 1009) and closes
            if (connection != null) {
                connection.markClosed();
            }
        } else if (Causes.find(cause, TooLongFrameException.class) != null || Causes.find(cause, DecompressionException.class) != null) {
            closeWith(ctx, CloseCode.MESSAGE_TOO_BIG, "message larger than " + config.limits().hardFrameSize() + " bytes");
        } else {
            log.debug("WebSocket error, closing", cause);
            closeWith(ctx, CloseCode.INTERNAL, "server error");
        }
    }

    private void closeWith(ChannelHandlerContext ctx, CloseCode code, String reason) {
        if (connection != null) {
            connection.close(code, reason);
        } else {
            ctx.close();
        }
    }
}
