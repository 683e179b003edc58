package dev.chorus.netty.internal;

import dev.chorus.core.config.ChorusConfig;
import dev.chorus.protocol.CloseCode;
import dev.chorus.protocol.ErrorCode;
import dev.chorus.protocol.Format;
import dev.chorus.protocol.ProtocolException;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionEncoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the y-websocket and Hocuspocus endpoints share: the {@link WebSocketConnection} (outbound
 * limit, slow-consumer close, batched flushes), binary messages only, keep-alive and liveness, and
 * the close reported once. Subclasses speak the protocol; they run on the channel's event loop and
 * must hop back to it from the engine's threads before touching their state.
 *
 * <p>Keep-alive: every {@link #KEEPALIVE_SECONDS} the server sends a WebSocket ping and the
 * protocol's own keep-alive message ({@link #keepAlive()}), since both clients reconnect after 30 s
 * without a message and a ping frame is no message to them. A connection that sends nothing at all
 * (not even a pong) for {@link #IDLE_SECONDS} is closed with 4001.
 */
abstract class DocumentSocketHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
    private static final Logger log = LoggerFactory.getLogger(DocumentSocketHandler.class);
    static final int KEEPALIVE_SECONDS = 10;
    static final int IDLE_SECONDS = 45;

    protected final ChorusConfig config;
    private final LoopBatches batches;
    protected WebSocketConnection connection;
    protected ChannelHandlerContext ctx;
    private ScheduledFuture<?> keepAlive;
    private boolean closeReported;

    DocumentSocketHandler(ChorusConfig config, LoopBatches batches) {
        this.config = config;
        this.batches = batches;
    }

    /**
     * Bytes a document connection may have queued: the node's outbound limit, but at least one
     * whole document, since a sync answer is one message.
     */
    static long outboundLimit(ChorusConfig config) {
        return Math.max(config.limits().maxOutboundBytes(), config.documents().maxDocumentSize() + 64 * 1024);
    }

    /** Largest message a document client may send: the node's hard frame limit, or one update and its framing. */
    static int frameLimit(ChorusConfig config) {
        return Math.max(config.limits().hardFrameSize(), config.documents().maxUpdateSize() + 64 * 1024);
    }

    /** The handshake is done and {@link #connection} is set. */
    protected abstract void opened();

    /** A complete binary message. */
    protected abstract void message(byte[] data);

    /** The protocol's keep-alive message (a message the client's reconnect timer counts). */
    protected abstract void keepAlive();

    /** The connection is gone (called once, after {@link #opened()}). */
    protected abstract void closed();

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            boolean compressed = ctx.pipeline().get(WebSocketExtensionEncoder.class) != null;
            connection = new WebSocketConnection(ctx.channel(), batches.of(ctx.channel().eventLoop()), Format.MSGPACK,
                    outboundLimit(config), config.limits().closeTimeout().toMillis(), compressed);
            ctx.channel().attr(WebSocketConnection.KEY).set(connection);
            // counts every byte read, pongs included (the protocol handler drops those before us)
            ctx.pipeline().addBefore("ws-protocol", "doc-idle", new IdleStateHandler(IDLE_SECONDS, 0, 0, TimeUnit.SECONDS));
            keepAlive = ctx.executor().scheduleAtFixedRate(this::tick, KEEPALIVE_SECONDS, KEEPALIVE_SECONDS, TimeUnit.SECONDS);
            opened();
            if (!ctx.channel().isActive()) {
                reportClose();
            }
            return;
        }
        if (evt instanceof IdleStateEvent) {
            if (connection != null) {
                connection.close(CloseCode.NO_PONG, "nothing received for " + IDLE_SECONDS + " s");
            } else {
                ctx.close();
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    private void tick() {
        if (connection == null || !connection.isOpen()) {
            return;
        }
        keepAlive();
        ctx.channel().writeAndFlush(new PingWebSocketFrame(), ctx.channel().voidPromise());
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (connection == null || !connection.isOpen()) {
            return;
        }
        if (frame instanceof BinaryWebSocketFrame) {
            message(ByteBufUtil.getBytes(frame.content()));
        } else if (frame instanceof TextWebSocketFrame) {
            connection.close(CloseCode.PROTOCOL_VIOLATION, "text message: this endpoint speaks binary Yjs messages");
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
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
        if (keepAlive != null) {
            keepAlive.cancel(false);
        }
        if (connection != null) {
            connection.markClosed();
            if (!closeReported) {
                closeReported = true;
                try {
                    closed();
                } catch (RuntimeException e) {
                    log.warn("closing a document connection failed", e);
                }
            }
        }
    }

    /**
     * Closes the connection for a refused message or a failed engine call (any thread): a malformed
     * message 4003, an oversized update or document 1009, an engine failure 4008 (reconnect).
     */
    protected void fail(Throwable t) {
        Throwable cause = PendingResponse.unwrap(t);
        if (!(cause instanceof ProtocolException pe)) {
            log.warn("document operation failed", cause);
            connection.close(CloseCode.INTERNAL, "server error");
            return;
        }
        ErrorCode code = pe.code();
        CloseCode close = switch (code) {
            case BAD_REQUEST, LIMIT_EXCEEDED -> CloseCode.PROTOCOL_VIOLATION;
            case TOO_LARGE -> CloseCode.MESSAGE_TOO_BIG;
            case UNAUTHORIZED, PERMISSION_DENIED, TOKEN_EXPIRED -> CloseCode.UNAUTHORIZED;
            default -> CloseCode.INTERNAL;
        };
        connection.close(close, pe.getMessage());
    }

    /** Closes for a message that does not parse. */
    protected void malformed(String what) {
        connection.close(CloseCode.PROTOCOL_VIOLATION, "malformed message: " + what);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (Causes.find(cause, CorruptedWebSocketFrameException.class) != null) {
            // the frame decoder has already sent its close frame
            if (connection != null) {
                connection.markClosed();
            }
        } else if (Causes.find(cause, TooLongFrameException.class) != null || Causes.find(cause, DecompressionException.class) != null) {
            closeWith(ctx, CloseCode.MESSAGE_TOO_BIG, "message larger than " + frameLimit(config) + " bytes");
        } else {
            log.debug("document WebSocket error, closing", cause);
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
