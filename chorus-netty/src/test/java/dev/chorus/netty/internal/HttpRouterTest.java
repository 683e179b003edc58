package dev.chorus.netty.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chorus.core.config.ChorusConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The router and its table on an {@link EmbeddedChannel}, fed raw HTTP as a client sends it. */
class HttpRouterTest {
    private final RecordingAcceptor acceptor = new RecordingAcceptor();
    private EmbeddedChannel ch;

    private EmbeddedChannel channel(ChorusConfig config) {
        ch = new EmbeddedChannel(new HttpServerCodec(), new HttpObjectAggregator(ChorusChannelInitializer.MAX_HTTP_REQUEST),
                new HttpRouter(ChorusChannelInitializer.routes(config, acceptor)));
        return ch;
    }

    private EmbeddedChannel channel() {
        return channel(ChorusConfig.devDefaults());
    }

    @AfterEach
    void release() {
        if (ch != null) {
            ch.finishAndReleaseAll();
        }
    }

    /** Sends raw bytes and returns everything the server wrote back, as text. */
    static String exchange(EmbeddedChannel ch, String raw) {
        ch.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.ISO_8859_1));
        ch.runPendingTasks();
        StringBuilder out = new StringBuilder();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            out.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        return out.toString();
    }

    static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: test\r\n\r\n";
    }

    private static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    @Test
    void healthAndReadyAnswerOkWhileTheEngineIsReady() {
        channel();
        for (String path : new String[] {"/health", "/ready", "/health?probe=1"}) {
            String res = exchange(ch, get(path));
            assertThat(res).startsWith("HTTP/1.1 200 OK\r\n").containsIgnoringCase("content-type: application/json");
            assertThat(body(res)).isEqualTo("{\"status\":\"ok\"}");
        }
        // keep-alive: one connection served all three
        assertThat(ch.isActive()).isTrue();
    }

    @Test
    void healthAnswers503StartingWhileTheEngineIsNotReady() {
        channel();
        acceptor.ready = false;
        String res = exchange(ch, get("/health"));
        assertThat(res).startsWith("HTTP/1.1 503 Service Unavailable\r\n");
        assertThat(body(res)).isEqualTo("{\"status\":\"starting\"}");
        assertThat(exchange(ch, get("/ready"))).startsWith("HTTP/1.1 503 ");
        acceptor.ready = true;
        assertThat(exchange(ch, get("/ready"))).startsWith("HTTP/1.1 200 ");
    }

    @Test
    void headGetsTheHeadersWithoutABody() {
        channel();
        String res = exchange(ch, "HEAD /health HTTP/1.1\r\nHost: test\r\n\r\n");
        assertThat(res).startsWith("HTTP/1.1 200 OK\r\n").containsIgnoringCase("content-length: 15\r\n");
        assertThat(body(res)).isEmpty();
        // the next response on the connection is intact
        assertThat(body(exchange(ch, get("/health")))).isEqualTo("{\"status\":\"ok\"}");
    }

    @Test
    void unknownPathsGet404() {
        channel();
        assertThat(exchange(ch, get("/nope"))).startsWith("HTTP/1.1 404 Not Found\r\n");
        assertThat(exchange(ch, get("/health/x"))).startsWith("HTTP/1.1 404 ");
        assertThat(exchange(ch, get("/"))).startsWith("HTTP/1.1 404 ");
        assertThat(acceptor.connections).isEmpty();
    }

    @Test
    void wrongMethodsGet405WithAllow() {
        channel();
        String res = exchange(ch, "POST /health HTTP/1.1\r\nHost: test\r\nContent-Length: 2\r\n\r\n{}");
        assertThat(res).startsWith("HTTP/1.1 405 Method Not Allowed\r\n").containsIgnoringCase("allow: GET, HEAD\r\n");
        assertThat(exchange(ch, "DELETE /ws HTTP/1.1\r\nHost: test\r\n\r\n")).startsWith("HTTP/1.1 405 ").containsIgnoringCase("allow: GET\r\n");
        assertThat(ch.isActive()).isTrue();
    }

    @Test
    void badRequestsGet400() {
        channel();
        assertThat(exchange(ch, get("/ws"))).startsWith("HTTP/1.1 400 ").contains("expected a WebSocket upgrade");
        assertThat(exchange(ch, get("/%zz"))).startsWith("HTTP/1.1 400 ").contains("malformed request path");
        assertThat(acceptor.connections).isEmpty();
        // a request line that cannot be parsed: the connection cannot be trusted any more
        String res = exchange(ch, "NOT HTTP AT ALL\r\n\r\n");
        assertThat(res).startsWith("HTTP/1.1 400 ");
        assertThat(ch.isActive()).isFalse();
    }

    @Test
    void http10ConnectionsCloseAfterTheResponse() {
        channel();
        assertThat(exchange(ch, "GET /health HTTP/1.0\r\n\r\n")).startsWith("HTTP/1.1 200 ").containsIgnoringCase("connection: close");
        assertThat(ch.isActive()).isFalse();
    }

    @Test
    void theTablePrefersExactPathsThenTheLongestPrefix() {
        Route a = (ctx, req, path) -> { };
        Route b = (ctx, req, path) -> { };
        Route c = (ctx, req, path) -> { };
        HttpRoutes routes = HttpRoutes.builder()
                .exact("/yjs/special", Set.of(HttpMethod.GET), a)
                .prefix("/yjs/", Set.of(HttpMethod.GET), b)
                .prefix("/yjs/rooms/", Set.of(HttpMethod.GET, HttpMethod.POST), c)
                .build();
        assertThat(routes.match("/yjs/special").route()).isSameAs(a);
        assertThat(routes.match("/yjs/doc-1").route()).isSameAs(b);
        assertThat(routes.match("/yjs/rooms/42").route()).isSameAs(c);
        assertThat(routes.match("/yjs/rooms/42").allow()).isEqualTo("GET, POST");
        assertThat(routes.match("/yjs")).isNull();
        assertThat(routes.match("/other")).isNull();
    }

    @Test
    void theTableRefusesBadRoutes() {
        Route r = (ctx, req, path) -> { };
        assertThatThrownBy(() -> HttpRoutes.builder().exact("health", Set.of(HttpMethod.GET), r))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("starts with '/'");
        assertThatThrownBy(() -> HttpRoutes.builder().exact("/a", Set.of(), r))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one method");
        assertThatThrownBy(() -> HttpRoutes.builder().prefix("/yjs", Set.of(HttpMethod.GET), r))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ends with '/'");
        assertThatThrownBy(() -> HttpRoutes.builder().exact("/a", Set.of(HttpMethod.GET), r).exact("/a", Set.of(HttpMethod.GET), r))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate");
        assertThatThrownBy(() -> HttpRoutes.builder().exact("/a", Set.of(HttpMethod.GET), null))
                .isInstanceOf(NullPointerException.class);
    }
}
