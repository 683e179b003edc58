package dev.chorus.netty.internal;

import dev.chorus.core.config.ChorusConfig;
import dev.chorus.core.config.HttpConfig;
import dev.chorus.core.transport.ConnectionAcceptor;
import dev.chorus.protocol.Format;
import dev.chorus.protocol.CloseCode;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The pipeline of a new connection: HTTP first, dispatched by the route table; a WebSocket upgrade
 * replaces the router with the WebSocket handlers, an SSE stream puts its session in front of it.
 * The browser-facing routes ({@code /ws}, {@code /sse}, {@code /publish}) go through the
 * {@link BrowserGuard} (origin allow-list, CORS, connections per IP). New endpoints are added in
 * {@link #routes}.
 */
public final class ChorusChannelInitializer extends ChannelInitializer<SocketChannel> {
    /** Largest HTTP request (headers and body) the router accepts; larger ones get 413. */
    static final int MAX_HTTP_REQUEST = 64 * 1024;
    /** The native protocol's WebSocket endpoint. */
    static final String WS_PATH = "/ws";
    static final String SSE_PATH = "/sse";
    static final String PUBLISH_PATH = "/publish";
    /** Request line limit (Netty's default); SSE channel lists live in it. */
    static final int MAX_INITIAL_LINE = 4096;
    /** Header limit: above Netty's 8 KiB default, since a Last-Event-ID holds a position per channel. */
    static final int MAX_HEADER_SIZE = 16 * 1024;
    private static final String SUBPROTOCOLS = Arrays.stream(Format.values()).map(Format::subprotocol).collect(Collectors.joining(","));

    private final ChannelGroup channels;
    private final HttpRoutes routes;

    public ChorusChannelInitializer(ChorusConfig config, ConnectionAcceptor acceptor, ChannelGroup channels) {
        this.channels = channels;
        this.routes = routes(config, acceptor);
    }

    static HttpRoutes routes(ChorusConfig config, ConnectionAcceptor acceptor) {
        HealthRoute health = new HealthRoute(acceptor);
        LoopBatches batches = new LoopBatches();
        HttpConfig http = config.http();
        ConnectionsPerIp perIp = new ConnectionsPerIp(http.maxConnectionsPerIp());
        Route ws = new WebSocketUpgrade(SUBPROTOCOLS, config.compression(),
                config.limits().hardFrameSize(), () -> new WebSocketSessionHandler(config, acceptor, batches));
        return HttpRoutes.builder()
                .exact("/health", Set.of(HttpMethod.GET, HttpMethod.HEAD), health)
                .exact("/ready", Set.of(HttpMethod.GET, HttpMethod.HEAD), health)
                .exact("/metrics", Set.of(HttpMethod.GET, HttpMethod.HEAD), new MetricsRoute(acceptor))
                .exact(WS_PATH, Set.of(HttpMethod.GET), new BrowserGuard(acceptor, http, perIp, "ws-protocol", "GET", ws))
                .exact(SSE_PATH, Set.of(HttpMethod.GET, HttpMethod.OPTIONS),
                        new BrowserGuard(acceptor, http, perIp, SseSession.NAME, "GET, OPTIONS", new SseRoute(config, acceptor)))
                .exact(PUBLISH_PATH, Set.of(HttpMethod.POST, HttpMethod.OPTIONS),
                        new BrowserGuard(acceptor, http, null, null, "POST, OPTIONS", new HttpPublishRoute(config, acceptor)))
                .prefix(ServerApiRoute.PREFIX, Set.of(HttpMethod.POST), new ServerApiRoute(http, acceptor))
                // collaborative documents: y-websocket, Hocuspocus, and the document API
                .prefix(YjsRoute.PREFIX, Set.of(HttpMethod.GET),
                        new BrowserGuard(acceptor, http, perIp, "ws-protocol", "GET", new YjsRoute(config, acceptor, batches)))
                .exact(HocuspocusRoute.PATH, Set.of(HttpMethod.GET),
                        new BrowserGuard(acceptor, http, perIp, "ws-protocol", "GET", new HocuspocusRoute(config, acceptor, batches)))
                .prefix(DocumentApiRoute.PREFIX, Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST), new DocumentApiRoute(http, acceptor))
                .build();
    }

    /** Set on channels that became WebSocket connections (the transport's shutdown waits for those). */
    public static final io.netty.util.AttributeKey<?> WEBSOCKET = WebSocketConnection.KEY;

    /** Closes a connection the engine left open at shutdown: WebSocket clients are told to reconnect elsewhere. */
    public static void closeForShutdown(Channel ch) {
        WebSocketConnection c = ch.attr(WebSocketConnection.KEY).get();
        SseConnection sse = ch.attr(SseConnection.KEY).get();
        if (c != null) {
            c.close(CloseCode.SHUTDOWN, "server stopping");
        } else if (sse != null && sse.isOpen()) {
            // becomes a disconnect event (code 4000, reconnect) that ends the stream
            sse.close(CloseCode.SHUTDOWN, "server stopping");
        } else {
            ch.close();
        }
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        channels.add(ch);
        ch.pipeline()
                .addLast("http", new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_SIZE, 8192))
                .addLast("aggregator", new HttpObjectAggregator(MAX_HTTP_REQUEST))
                .addLast("gate", new RequestGate())
                .addLast("router", new HttpRouter(routes));
    }
}
