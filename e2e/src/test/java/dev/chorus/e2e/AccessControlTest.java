package dev.chorus.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chorus.core.config.ChorusConfig;
import dev.chorus.core.config.HttpConfig;
import dev.chorus.core.config.NamespaceConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Origin allow-list (403) and open connections per IP (429, recovering) on /ws, /sse and /publish. */
class AccessControlTest {

    private static ChorusConfig config(HttpConfig http) {
        return ChorusConfig.devDefaults().toBuilder().http(http)
                .namespace(NamespaceConfig.builder("room").historySize(10).allowPublish(true).build())
                .build();
    }

    /** A raw WebSocket upgrade; returns the status line's code. The socket is left open when 101. */
    private static Socket upgrade(int port, String origin, int[] status) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(5000);
        String req = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + (origin == null ? "" : "Origin: " + origin + "\r\n") + "\r\n";
        s.getOutputStream().write(req.getBytes(StandardCharsets.US_ASCII));
        InputStream in = s.getInputStream();
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            line.append((char) c);
        }
        status[0] = Integer.parseInt(line.toString().split(" ")[1]);
        return s;
    }

    private static int upgradeStatus(int port, String origin) throws IOException {
        int[] st = new int[1];
        try (Socket s = upgrade(port, origin, st)) {
            return st[0];
        }
    }

    @Test
    void originsOutsideTheAllowListAreRefusedBeforeAnythingHappens() throws IOException {
        HttpConfig http = HttpConfig.builder().allowedOrigins(List.of("https://app.example", "http://localhost:3000")).build();
        try (ServerFixture server = ServerFixture.start(config(http), b -> b)) {
            int port = server.chorus.port();
            assertThat(upgradeStatus(port, "https://evil.example")).isEqualTo(403);
            assertThat(upgradeStatus(port, "https://app.example")).isEqualTo(101);
            assertThat(upgradeStatus(port, "HTTP://LOCALHOST:3000")).isEqualTo(101);
            assertThat(upgradeStatus(port, null)).isEqualTo(101);

            SseClient evil = SseClient.open(port, "/sse?channel=room:a", Map.of("Origin", "https://evil.example"));
            assertThat(evil.status).isEqualTo(403);
            assertThat(evil.errorJson().get("error").get("code").asInt()).isEqualTo(103);
            SseClient good = SseClient.open(port, "/sse?channel=room:a", Map.of("Origin", "https://app.example"));
            assertThat(good.status).isEqualTo(200);
            assertThat(good.headers.get("access-control-allow-origin")).isEqualTo("https://app.example");
            assertThat(good.headers.get("access-control-allow-credentials")).isEqualTo("true");
            assertThat(good.next().name()).isEqualTo("ready");

            Http.Response refused = Http.post(port, "/publish", "{\"channel\":\"room:a\",\"data\":1}", Map.of("Origin", "https://evil.example"));
            assertThat(refused.status()).isEqualTo(403);
            assertThat(good.poll(Duration.ofMillis(300))).isNull();
            Http.Response ok = Http.post(port, "/publish", "{\"channel\":\"room:a\",\"data\":2}", Map.of("Origin", "https://app.example"));
            assertThat(ok.status()).isEqualTo(200);
            assertThat(good.next().json().get("data").asInt()).isEqualTo(2);
            good.close();
            evil.close();
            assertThat(server.chorus.node().metrics().registry().get("chorus.http.refused").tag("reason", "origin")
                    .counter().count()).isEqualTo(3);
        }
    }

    @Test
    void connectionsPerIpTripWith429AndRecoverWhenOneCloses() throws IOException {
        HttpConfig http = HttpConfig.builder().maxConnectionsPerIp(2).build();
        try (ServerFixture server = ServerFixture.start(config(http), b -> b)) {
            int port = server.chorus.port();
            SseClient one = SseClient.open(port, "/sse?channel=room:a");
            assertThat(one.status).isEqualTo(200);
            int[] st = new int[1];
            Socket ws = upgrade(port, null, st);
            assertThat(st[0]).isEqualTo(101);

            SseClient third = SseClient.open(port, "/sse?channel=room:a");
            assertThat(third.status).isEqualTo(429);
            assertThat(third.errorJson().get("error").get("message").asText()).contains("too many open connections");
            assertThat(upgradeStatus(port, null)).isEqualTo(429);
            // reported: both refusals are counted in the metrics
            assertThat(server.chorus.node().metrics().registry().get("chorus.http.refused").tag("reason", "connections_per_ip")
                    .counter().count()).isEqualTo(2);
            // short requests are not counted
            assertThat(Http.post(port, "/publish", "{\"channel\":\"room:a\",\"data\":1}", Map.of()).status()).isEqualTo(200);
            assertThat(Http.get(port, "/health").status()).isEqualTo(200);
            // refused streams left no session behind
            assertThat(server.chorus.node().sessionCount()).isEqualTo(2);

            one.close();
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                SseClient again = SseClient.open(port, "/sse?channel=room:a");
                again.close();
                return again.status == 200;
            });
            ws.close();
            await().atMost(Duration.ofSeconds(5)).until(() -> upgradeStatus(port, null) == 101);
            third.close();
        }
    }

    @Test
    void noLimitByDefault() throws IOException {
        try (ServerFixture server = ServerFixture.start(config(HttpConfig.defaults()), b -> b)) {
            int port = server.chorus.port();
            List<SseClient> open = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) {
                SseClient c = SseClient.open(port, "/sse?channel=room:n");
                assertThat(c.status).isEqualTo(200);
                open.add(c);
            }
            open.forEach(SseClient::close);
        }
    }
}
