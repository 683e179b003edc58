package dev.chorus.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens many WebSocket client connections with Netty, spreading them over source addresses
 * 127.0.0.1 .. 127.0.0.N so the ephemeral ports of one address are not the limit.
 */
final class Connections implements AutoCloseable {
    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> channelType;
    private final int sourceAddresses;
    private final AtomicInteger next = new AtomicInteger();
    private final Semaphore handshakes = new Semaphore(Integer.getInteger("bench.handshakes", 2000));

    Connections(int threads, int sourceAddresses) {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(threads, io);
        this.channelType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        this.sourceAddresses = Math.max(1, Math.min(250, sourceAddresses));
    }

    /** Receives the frames of one connection. */
    interface Listener {
        /** One text frame; the buffer is only valid during the call. */
        void onText(BenchClient client, io.netty.buffer.ByteBuf text);

        /** One binary frame; the buffer is only valid during the call. */
        default void onBinary(BenchClient client, io.netty.buffer.ByteBuf data) {
        }

        void onClosed(BenchClient client);
    }

    /** Opens one connection; completes when the WebSocket handshake is done. */
    CompletableFuture<BenchClient> open(String host, int port, WireProtocol wire, ClientState state, Listener listener) {
        return open(host, port, wire.path(), wire.subprotocol(), new BenchClient(wire, state), listener);
    }

    /** Opens {@code client}'s connection to {@code path} (with its query); completes when the handshake is done. */
    <C extends BenchClient> CompletableFuture<C> open(String host, int port, String path, String subprotocol, C client, Listener listener) {
        CompletableFuture<C> done = new CompletableFuture<>();
        try {
            handshakes.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done.completeExceptionally(e);
            return done;
        }
        done.whenComplete((c, e) -> handshakes.release());
        URI uri = URI.create("ws://" + host + ":" + port + path);
        WebSocketClientProtocolConfig cfg = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri).version(WebSocketVersion.V13).subprotocol(subprotocol)
                .allowExtensions(false).customHeaders(new DefaultHttpHeaders()).maxFramePayloadLength(1 << 24)
                .handshakeTimeoutMillis(30_000).dropPongFrames(true)
                // both servers send valid UTF-8; checking every byte would only slow the generator
                .withUTF8Validator(false).build();
        int source = 1 + (next.getAndIncrement() % sourceAddresses);
        Bootstrap b = new Bootstrap().group(group).channel(channelType)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 16),
                                new WebSocketClientProtocolHandler(cfg),
                                new SimpleChannelInboundHandler<WebSocketFrame>() {
                                    @Override
                                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
                                        if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                                            client.channel = ctx.channel();
                                            done.complete(client);
                                        } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
                                            done.completeExceptionally(new IllegalStateException("handshake timeout"));
                                        }
                                        super.userEventTriggered(ctx, evt);
                                    }

                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame f) {
                                        if (f instanceof TextWebSocketFrame t) {
                                            listener.onText(client, t.content());
                                        } else if (f instanceof BinaryWebSocketFrame bin) {
                                            listener.onBinary(client, bin.content());
                                        }
                                    }

                                    @Override
                                    public void channelInactive(ChannelHandlerContext ctx) {
                                        done.completeExceptionally(new IllegalStateException("closed before handshake"));
                                        listener.onClosed(client);
                                    }

                                    @Override
                                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                        done.completeExceptionally(cause);
                                        ctx.close();
                                    }
                                });
                    }
                });
        b.connect(new InetSocketAddress(host, port), new InetSocketAddress("127.0.0." + source, 0)).addListener(f -> {
            if (!f.isSuccess()) {
                done.completeExceptionally(f.cause());
            }
        });
        return done;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** One generator connection. */
    static class BenchClient {
        final WireProtocol wire;
        final ClientState state;
        volatile Channel channel;
        volatile boolean established;
        final AtomicInteger received = new AtomicInteger();

        BenchClient(WireProtocol wire, ClientState state) {
            this.wire = wire;
            this.state = state;
        }

        void send(String frame) {
            Channel ch = channel;
            if (ch != null && frame != null) {
                ch.writeAndFlush(new TextWebSocketFrame(frame), ch.voidPromise());
            }
        }

        void send(byte[] frame) {
            Channel ch = channel;
            if (ch != null) {
                ch.writeAndFlush(new BinaryWebSocketFrame(io.netty.buffer.Unpooled.wrappedBuffer(frame)), ch.voidPromise());
            }
        }

        void close() {
            Channel ch = channel;
            if (ch != null) {
                ch.close();
            }
        }
    }
}
