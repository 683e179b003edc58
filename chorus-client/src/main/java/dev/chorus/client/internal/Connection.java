package dev.chorus.client.internal;

import dev.chorus.protocol.Codec;
import dev.chorus.protocol.Format;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLException;

/**
 * One WebSocket, over Netty. Netty's event loop only reads, assembles messages and hands copies to
 * the client thread, so it never blocks; everything that changes the connection's state happens on
 * the client thread. Frames are written in the order {@link #send} is called.
 *
 * <p>The handler hears {@link Handler#onClosed} at most once, and never after {@link #close} or
 * {@link #abort} — whichever comes first: a close frame from the server, the TCP connection ending
 * (FIN or reset), or an error.
 */
final class Connection {

    /** Largest message accepted from the server (a whole document can be one message). */
    static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

    /** Receives what happens on a connection, on the client thread. */
    interface Handler {
        void onOpen(Connection c);

        /** A message, or {@code null} for a WebSocket ping (a sign of life, answered by us). */
        void onFrame(Connection c, byte[] frame);

        /** The socket closed or broke (called at most once per connection). */
        void onClosed(Connection c, int code, String reason);
    }

    private final EventLoopGroup group;
    private final Executor clientThread;
    private final Handler handler;
    private volatile Channel channel;
    private Codec codec;

    // written on the client thread only
    private boolean open;
    /** Read by the event loop too: a socket that connects after an abort is closed at once. */
    private volatile boolean ended;

    Connection(EventLoopGroup group, Executor clientThread, Handler handler) {
        this.group = group;
        this.clientThread = clientThread;
        this.handler = handler;
    }

    /** Opens the socket and does the WebSocket handshake; the handler hears of the outcome. */
    void open(URI uri, Format format, Duration timeout) {
        boolean tls = "wss".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
        String host = uri.getHost();
        SslContext ssl;
        WebSocketClientHandshaker handshaker;
        try {
            if (host == null) {
                throw new IllegalArgumentException("no host in " + uri);
            }
            ssl = tls ? SslContextBuilder.forClient().build() : null;
            // no Origin header: this is not a browser, and a server's origin allow-list is for browsers
            handshaker = WebSocketClientHandshakerFactory.newHandshaker(uri, WebSocketVersion.V13,
                    format.subprotocol(), false, new DefaultHttpHeaders(), MAX_MESSAGE_BYTES,
                    true, false, 10_000, false, false);
        } catch (SSLException | RuntimeException e) {
            openFailed(e);
            return;
        }
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis())))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        if (ssl != null) {
                            p.addLast(ssl.newHandler(ch.alloc(), host, port));
                        }
                        p.addLast(new HttpClientCodec(), new HttpObjectAggregator(64 * 1024),
                                new Inbound(handshaker));
                    }
                });
        b.connect(host, port).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                openFailed(f.cause());
                return;
            }
            channel = f.channel();
            if (ended) {
                f.channel().close();
                return;
            }
            handshaker.handshake(f.channel()).addListener((ChannelFutureListener) hf -> {
                if (!hf.isSuccess()) {
                    hf.channel().close();
                    openFailed(hf.cause());
                }
            });
        });
    }

    Codec codec() {
        return codec;
    }

    /** Sends one frame (client thread); frames go out in call order. */
    void send(byte[] frame) {
        Channel ch = channel;
        if (ended || !open || ch == null) {
            return;
        }
        WebSocketFrame f = codec.format().binary() ? new BinaryWebSocketFrame(Unpooled.wrappedBuffer(frame))
                : new TextWebSocketFrame(Unpooled.wrappedBuffer(frame));
        ch.writeAndFlush(f).addListener((ChannelFutureListener) wf -> {
            if (!wf.isSuccess()) {
                clientThread.execute(() -> closed(1006, "send failed: " + rootMessage(wf.cause())));
            }
        });
    }

    /**
     * Ends the connection from our side: a close frame when possible, and the socket is cut
     * shortly after in any case. The handler is not called.
     */
    void close(int code, String reason) {
        if (ended) {
            return;
        }
        ended = true;
        Channel ch = channel;
        if (ch == null) {
            return;
        }
        if (open) {
            // the close frame, then the TCP end: we do not wait for the server's answering close frame
            ch.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
        } else {
            ch.close();
        }
    }

    /** Cuts the socket at once, without a close frame. The handler is not called. */
    void abort() {
        ended = true;
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
    }

    /** From any thread: the socket or its handshake could not be opened. */
    private void openFailed(Throwable cause) {
        clientThread.execute(() -> closed(1006, "cannot open the WebSocket: " + rootMessage(cause)));
    }

    /** From the event loop: a message ({@code null} for a ping) for the handler, unless ended by then. */
    private void deliver(byte[] frame) {
        clientThread.execute(() -> {
            if (!ended) {
                handler.onFrame(this, frame);
            }
        });
    }

    private void closed(int code, String reason) {
        if (ended) {
            return;
        }
        abort();
        handler.onClosed(this, code, reason);
    }

    /** The pipeline's end: handshake, then frames, all handed to the client thread. */
    private final class Inbound extends SimpleChannelInboundHandler<Object> {
        private final WebSocketClientHandshaker handshaker;
        /** The end was reported (close frame or error), so the TCP end that follows says nothing more. */
        private boolean reported;

        Inbound(WebSocketClientHandshaker handshaker) {
            this.handshaker = handshaker;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
            if (!handshaker.isHandshakeComplete()) {
                if (!(msg instanceof FullHttpResponse)) {
                    return;
                }
                try {
                    handshaker.finishHandshake(ctx.channel(), (FullHttpResponse) msg);
                } catch (RuntimeException e) {
                    ctx.close();
                    openFailed(e);
                    return;
                }
                // fragmented messages arrive whole (finishHandshake removed the HTTP aggregator)
                ctx.pipeline().addBefore(ctx.name(), "ws-aggregator", new WebSocketFrameAggregator(MAX_MESSAGE_BYTES));
                String sub = handshaker.actualSubprotocol();
                clientThread.execute(() -> opened(sub));
                return;
            }
            if (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame) {
                deliver(ByteBufUtil.getBytes(((WebSocketFrame) msg).content()));
            } else if (msg instanceof PingWebSocketFrame) {
                ctx.writeAndFlush(new PongWebSocketFrame(((PingWebSocketFrame) msg).content().retain()));
                deliver(null);
            } else if (msg instanceof CloseWebSocketFrame) {
                CloseWebSocketFrame cf = (CloseWebSocketFrame) msg;
                reported = true;
                int code = cf.statusCode() < 0 ? 1005 : cf.statusCode();
                String reason = cf.reasonText() == null ? "" : cf.reasonText();
                // answer the close frame, then end the TCP connection
                ctx.writeAndFlush(new CloseWebSocketFrame(cf.statusCode() < 0 ? 1000 : cf.statusCode(), ""))
                        .addListener(ChannelFutureListener.CLOSE);
                clientThread.execute(() -> closed(code, reason));
            }
            // pong frames need nothing
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!reported) {
                clientThread.execute(() -> closed(1006, "the connection was closed without a close frame"));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
            if (!reported) {
                reported = true;
                clientThread.execute(() -> closed(1006, rootMessage(cause)));
            }
        }
    }

    private void opened(String subprotocol) {
        if (ended) {
            Channel ch = channel;
            if (ch != null) {
                ch.close();
            }
            return;
        }
        Format negotiated = Format.forSubprotocol(subprotocol);
        // a server that picked no subprotocol speaks JSON
        codec = Codec.forFormat(negotiated == null ? Format.JSON : negotiated);
        open = true;
        handler.onOpen(this);
    }

    static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }
}
