package dev.chorus.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chorus.core.config.ChorusConfig;
import dev.chorus.core.config.Limits;
import dev.chorus.protocol.CloseCode;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketClientCompressionHandler;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** permessage-deflate with a Netty client: negotiated, works, and cannot inflate past the hard limit. */
class CompressionTest {
    private NettyTransport transport;
    private final EchoAcceptor acceptor = new EchoAcceptor();
    private EventLoopGroup group;
    private int port;

    @BeforeEach
    void start() throws Exception {
        ChorusConfig config = ChorusConfig.devDefaults().toBuilder()
                .limits(Limits.builder().maxFrameSize(64 * 1024).hardFrameSize(256 * 1024).build()).build();
        transport = new NettyTransport(config);
        port = transport.start(acceptor).getPort();
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterEach
    void stop() {
        transport.stop(Duration.ofSeconds(1));
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    private final List<String> received = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final CompletableFuture<String> extensions = new CompletableFuture<>();

    private Channel connect() throws Exception {
        WebSocketClientHandshaker hs = WebSocketClientHandshakerFactory.newHandshaker(URI.create("ws://127.0.0.1:" + port + "/ws"),
                WebSocketVersion.V13, "chorus.v1.json", true, new DefaultHttpHeaders(), 1 << 20);
        CompletableFuture<Void> done = new CompletableFuture<>();
        Channel ch = new Bootstrap().group(group).channel(NioSocketChannel.class).handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel c) {
                c.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 16),
                        new io.netty.channel.ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                if (msg instanceof io.netty.handler.codec.http.FullHttpResponse r) {
                                    extensions.complete(String.valueOf(r.headers().get("sec-websocket-extensions")));
                                }
                                ctx.fireChannelRead(msg);
                            }
                        },
                        WebSocketClientCompressionHandler.INSTANCE,
                        new WebSocketClientProtocolHandler(hs, false),
                        new SimpleChannelInboundHandler<WebSocketFrame>() {
                            @Override
                            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                                    done.complete(null);
                                }
                            }

                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame f) {
                                if (f instanceof TextWebSocketFrame t) {
                                    received.add(t.text());
                                } else if (f instanceof CloseWebSocketFrame c) {
                                    closed.complete(c.statusCode());
                                }
                            }

                            @Override
                            public void channelInactive(ChannelHandlerContext ctx) {
                                closed.complete(1006);
                            }
                        });
            }
        }).connect("127.0.0.1", port).sync().channel();
        done.get(5, TimeUnit.SECONDS);
        return ch;
    }

    @Test
    void compressedMessagesWork() throws Exception {
        Channel ch = connect();
        assertThat(extensions.get()).contains("permessage-deflate");
        String msg = "{\"text\":\"" + "hello ".repeat(1000) + "\"}";
        ch.writeAndFlush(new TextWebSocketFrame(msg));
        await().atMost(Duration.ofSeconds(5)).until(() -> received.contains(msg));
        ch.close();
    }

    @Test
    void aCompressedBombCannotInflatePastTheHardLimit() throws Exception {
        Channel ch = connect();
        assertThat(extensions.get()).contains("permessage-deflate");
        // 8 MiB of one letter compresses to a few KiB
        ch.writeAndFlush(new TextWebSocketFrame("a".repeat(8 * 1024 * 1024)));
        assertThat(closed.get(10, TimeUnit.SECONDS)).isEqualTo(CloseCode.MESSAGE_TOO_BIG.code());
        assertThat(received).isEmpty();
    }
}
