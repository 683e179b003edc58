package dev.chorus.netty;

import dev.chorus.core.config.ChorusConfig;
import dev.chorus.core.transport.ConnectionAcceptor;
import dev.chorus.core.transport.Transport;
import dev.chorus.netty.internal.ChorusChannelInitializer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty transport: one listening socket serving HTTP ({@code /health}, {@code /ready},
 * {@code /metrics}, {@code /publish}, the server API under {@code /api/}), Server-Sent Events
 * ({@code /sse}) and WebSocket ({@code /ws}). Uses native epoll when available, NIO otherwise.
 */
public final class NettyTransport implements Transport {
    private static final Logger log = LoggerFactory.getLogger(NettyTransport.class);

    /** How long connections closed at the end of the grace period get to send their close frame. */
    private static final long FORCE_CLOSE_MILLIS = 1_000;

    private final ChorusConfig config;
    private final ChannelGroup channels = new DefaultChannelGroup("chorus", GlobalEventExecutor.INSTANCE);
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private Channel serverChannel;

    public NettyTransport(ChorusConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** Whether the native epoll transport is used on this machine. */
    public static boolean nativeTransport() {
        return Epoll.isAvailable();
    }

    @Override
    public InetSocketAddress start(ConnectionAcceptor acceptor) throws Exception {
        Objects.requireNonNull(acceptor, "acceptor");
        if (boss != null) {
            throw new IllegalStateException("already started");
        }
        boolean epoll = nativeTransport();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        boss = new MultiThreadIoEventLoopGroup(1, io);
        workers = new MultiThreadIoEventLoopGroup(config.ioThreads(), io);
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChorusChannelInitializer(config, acceptor, channels));
        try {
            serverChannel = b.bind(config.host(), config.port()).sync().channel();
        } catch (Exception e) {
            shutdownGroups(Duration.ZERO);
            boss = null;
            workers = null;
            throw e;
        }
        InetSocketAddress address = (InetSocketAddress) serverChannel.localAddress();
        log.info("listening on {}:{} ({} transport)", address.getHostString(), address.getPort(), epoll ? "epoll" : "nio");
        return address;
    }

    @Override
    public void stop(Duration grace) {
        if (boss == null) {
            return;
        }
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
        // the engine has closed its clients (and let their requests finish) by now; plain HTTP
        // connections, idle between keep-alive requests, would only hold the shutdown up
        for (Channel ch : channels) {
            if (ch.attr(dev.chorus.netty.internal.ChorusChannelInitializer.WEBSOCKET).get() == null) {
                ch.close();
            }
        }
        // give WebSocket clients the grace period to read their close frames and go
        if (!channels.newCloseFuture().awaitUninterruptibly(Math.max(0, grace.toMillis()))) {
            int left = channels.size();
            for (Channel ch : channels) {
                ChorusChannelInitializer.closeForShutdown(ch);
            }
            if (!channels.newCloseFuture().awaitUninterruptibly(FORCE_CLOSE_MILLIS)) {
                channels.close().awaitUninterruptibly(FORCE_CLOSE_MILLIS);
            }
            log.info("closed {} connection(s) still open after the grace period", left);
        }
        shutdownGroups(Duration.ofMillis(100));
        boss = null;
        workers = null;
        serverChannel = null;
    }

    private void shutdownGroups(Duration quiet) {
        if (boss != null) {
            boss.shutdownGracefully(quiet.toMillis(), 2000, TimeUnit.MILLISECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        }
        if (workers != null) {
            workers.shutdownGracefully(quiet.toMillis(), 2000, TimeUnit.MILLISECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        }
    }
}
