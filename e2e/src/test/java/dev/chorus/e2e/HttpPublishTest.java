package dev.chorus.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.core.broker.HistoryQuery;
import dev.chorus.core.config.ChorusConfig;
import dev.chorus.core.config.HttpConfig;
import dev.chorus.core.config.Limits;
import dev.chorus.core.config.NamespaceConfig;
import dev.chorus.core.hooks.ConnectHandler;
import dev.chorus.core.hooks.HookRejection;
import dev.chorus.protocol.ErrorCode;
import dev.chorus.protocol.Push;
import dev.chorus.testkit.TestClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** POST /publish: through the engine (hooks, permissions, schema), with the token as bearer, query or cookie. */
class HttpPublishTest {
    private static final Map<String, String> GOOD = Map.of("Authorization", "Bearer good");
    private ServerFixture server;
    private int port;

    @BeforeEach
    void start() {
        ChorusConfig config = ChorusConfig.devDefaults().toBuilder()
                .limits(Limits.builder().maxFrameSize(2048).build())
                .http(HttpConfig.builder().allowedOrigins(List.of("https://app.example")).build())
                .namespace(NamespaceConfig.builder("room").historySize(50).allowPublish(true).build())
                .namespace(NamespaceConfig.builder("ro").historySize(50).allowPublish(false).build())
                .namespace(NamespaceConfig.builder("typed").historySize(50).allowPublish(true)
                        .schema("{\"type\":\"object\",\"required\":[\"text\"],\"properties\":{\"text\":{\"type\":\"string\"}}}").build())
                .build();
        server = ServerFixture.start(config, b -> b.onConnect(ev -> {
            if ("good".equals(ev.token())) {
                return ConnectHandler.ConnectDecision.user("ann");
            }
            throw new HookRejection(ErrorCode.UNAUTHORIZED, "bad token");
        }));
        port = server.chorus.port();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private long offset(String channel) {
        return server.chorus.node().api().history(channel, HistoryQuery.position()).toCompletableFuture().join().position().offset();
    }

    @Test
    void publishGoesThroughTheEngineAndReachesWebSocketSubscribers() {
        TestClient ws = server.rawClient(dev.chorus.protocol.Format.JSON);
        ws.request(new dev.chorus.protocol.Request.Connect(0, "good", "test", null));
        ws.subscribe("room:1");
        Http.Response r = Http.post(port, "/publish", "{\"channel\":\"room:1\",\"data\":{\"text\":\"hi\"}}", GOOD);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("offset").asLong()).isEqualTo(1);
        assertThat(r.json().get("epoch").asText()).isNotEmpty();
        Push.Pub pub = Frames.pubs(ws, "room:1", 1).get(0);
        assertThat(pub.pub().data().tree().get("text").asText()).isEqualTo("hi");
        assertThat(pub.pub().info().user()).isEqualTo("ann");
        // the engine session of the request is gone
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> server.chorus.node().sessionCount() == 1);
    }

    @Test
    void tokenFromQueryOrCookieAndIdempotencyKey() {
        Http.Response q = Http.post(port, "/publish?token=good", "{\"channel\":\"room:2\",\"data\":1,\"key\":\"k1\"}", Map.of());
        assertThat(q.status()).isEqualTo(200);
        Http.Response c = Http.post(port, "/publish", "{\"channel\":\"room:2\",\"data\":1,\"key\":\"k1\"}", Map.of("Cookie", "chorus_token=good"));
        assertThat(c.status()).isEqualTo(200);
        assertThat(c.json().get("offset").asLong()).isEqualTo(q.json().get("offset").asLong());
        assertThat(offset("room:2")).isEqualTo(1);
    }

    @Test
    void refusalsGetTheirStatusAndPublishNothing() {
        Http.Response noToken = Http.post(port, "/publish", "{\"channel\":\"room:3\",\"data\":1}", Map.of());
        assertThat(noToken.status()).isEqualTo(401);
        assertThat(noToken.errorCode()).isEqualTo(101);
        Http.Response badToken = Http.post(port, "/publish", "{\"channel\":\"room:3\",\"data\":1}", Map.of("Authorization", "Bearer nope"));
        assertThat(badToken.status()).isEqualTo(401);

        Http.Response forbidden = Http.post(port, "/publish", "{\"channel\":\"ro:1\",\"data\":1}", GOOD);
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.errorCode()).isEqualTo(103);
        assertThat(offset("ro:1")).isZero();

        Http.Response schema = Http.post(port, "/publish", "{\"channel\":\"typed:1\",\"data\":{\"text\":5}}", GOOD);
        assertThat(schema.status()).isEqualTo(400);
        assertThat(schema.errorCode()).isEqualTo(113);
        assertThat(offset("typed:1")).isZero();
        assertThat(offset("room:3")).isZero();
    }

    @Test
    void malformedBodiesBadChannelsAndHugeBodiesAreRefusedAndChangeNothing() {
        String[][] cases = {
                {"not json", "400", "107"},
                {"[1,2]", "400", "107"},
                {"{\"channel\":\"room:4\",\"data\":1} trailing", "400", "107"},
                {"{\"channel\":\"room:4\",\"data\":1,\"data\":2}", "400", "107"},
                {"{\"channel\":\"room:4\"}", "400", "107"},
                {"{\"channel\":7,\"data\":1}", "400", "107"},
                {"{\"channel\":\"room:4\",\"data\":1,\"key\":\"\"}", "400", "107"},
                {"{\"channel\":\"bad name\",\"data\":1}", "400", "111"},
                {"{\"channel\":\"\",\"data\":1}", "400", "111"},
                {"", "400", "107"},
                {"{\"channel\":\"room:4\",\"data\":\"" + "x".repeat(3000) + "\"}", "413", "112"},
        };
        for (String[] c : cases) {
            Http.Response r = Http.post(port, "/publish", c[0], GOOD);
            assertThat(r.status()).as(c[0]).isEqualTo(Integer.parseInt(c[1]));
            assertThat(r.errorCode()).as(c[0]).isEqualTo(Integer.parseInt(c[2]));
        }
        // larger than the HTTP request limit: refused by the HTTP layer
        Http.Response huge = Http.post(port, "/publish", "{\"channel\":\"room:4\",\"data\":\"" + "x".repeat(100_000) + "\"}", GOOD);
        assertThat(huge.status()).isEqualTo(413);
        assertThat(offset("room:4")).isZero();
        // and the server still serves
        assertThat(Http.post(port, "/publish", "{\"channel\":\"room:4\",\"data\":1}", GOOD).status()).isEqualTo(200);
    }

    @Test
    void corsPreflightAndOriginCheck() {
        Http.Response pre = Http.options(port, "/publish", Map.of("Origin", "https://app.example",
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization, content-type"));
        assertThat(pre.status()).isEqualTo(204);
        assertThat(pre.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example");
        assertThat(pre.header("Access-Control-Allow-Credentials")).isEqualTo("true");
        assertThat(pre.header("Access-Control-Allow-Methods")).contains("POST");
        assertThat(pre.header("Access-Control-Allow-Headers")).containsIgnoringCase("authorization");

        Http.Response ok = Http.post(port, "/publish", "{\"channel\":\"room:5\",\"data\":1}",
                Map.of("Authorization", "Bearer good", "Origin", "https://app.example"));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example");

        Http.Response evilPre = Http.options(port, "/publish", Map.of("Origin", "https://evil.example", "Access-Control-Request-Method", "POST"));
        assertThat(evilPre.status()).isEqualTo(403);
        Http.Response evil = Http.post(port, "/publish", "{\"channel\":\"room:5\",\"data\":2}",
                Map.of("Authorization", "Bearer good", "Origin", "https://evil.example"));
        assertThat(evil.status()).isEqualTo(403);
        assertThat(evil.header("Access-Control-Allow-Origin")).isNull();
        assertThat(offset("room:5")).isEqualTo(1);
    }

    @Test
    void getIsNotAllowed() {
        assertThat(Http.get(port, "/publish").status()).isEqualTo(405);
    }
}
