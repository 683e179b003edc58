package dev.chorus.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chorus.core.broker.HistoryQuery;
import dev.chorus.core.config.ChorusConfig;
import dev.chorus.core.config.HttpConfig;
import dev.chorus.core.config.NamespaceConfig;
import dev.chorus.core.hooks.ConnectHandler;
import dev.chorus.protocol.Push;
import dev.chorus.testkit.TestClient;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The HTTP server API under /api/: every method with a good key, 401 with a bad one, 404 when off. */
class HttpApiTest {
    private static final String KEY = "secret-key-1";

    private static ChorusConfig config(Set<String> keys) {
        return ChorusConfig.devDefaults().toBuilder()
                .http(HttpConfig.builder().apiKeys(keys).build())
                .namespace(NamespaceConfig.builder("room").historySize(50).presence(true).joinLeave(true).allowPublish(true).build())
                .namespace(NamespaceConfig.builder("nohist").historySize(0).build())
                .build();
    }

    private static ServerFixture server() {
        // the token names the user, so disconnect/unsubscribe by user can be shown
        return ServerFixture.start(config(Set.of(KEY, "other-key")), b -> b.onConnect(ev ->
                ConnectHandler.ConnectDecision.user(ev.token() == null ? "" : ev.token())));
    }

    private static TestClient user(ServerFixture s, String user) {
        TestClient c = s.rawClient(dev.chorus.protocol.Format.JSON);
        c.request(new dev.chorus.protocol.Request.Connect(0, user, "test", null));
        return c;
    }

    private static long offset(ServerFixture s, String channel) {
        return s.chorus.node().api().history(channel, HistoryQuery.position()).toCompletableFuture().join().position().offset();
    }

    @Test
    void offWithoutKeysAndUnauthorizedWithABadOne() {
        try (ServerFixture off = ServerFixture.start(config(Set.of()), b -> b)) {
            Http.Response r = Http.api(off.chorus.port(), KEY, "publish", "{\"channel\":\"room:1\",\"data\":1}");
            assertThat(r.status()).isEqualTo(404);
            assertThat(offset(off, "room:1")).isZero();
        }
        try (ServerFixture s = server()) {
            int port = s.chorus.port();
            for (String key : new String[] {null, "wrong", "secret-key-", "secret-key-12", ""}) {
                Http.Response r = Http.api(port, key, "publish", "{\"channel\":\"room:1\",\"data\":1}");
                assertThat(r.status()).as("key %s", key).isEqualTo(401);
                assertThat(r.errorCode()).isEqualTo(101);
            }
            Http.Response bearer = Http.post(port, "/api/publish", "{\"channel\":\"room:1\",\"data\":1}", java.util.Map.of("Authorization", "Bearer " + KEY));
            assertThat(bearer.status()).isEqualTo(401);
            assertThat(offset(s, "room:1")).isZero();
            // both configured keys work, the scheme is case-insensitive
            assertThat(Http.api(port, "other-key", "channels", "{}").status()).isEqualTo(200);
            assertThat(Http.post(port, "/api/channels", "{}", java.util.Map.of("Authorization", "ApiKey " + KEY)).status()).isEqualTo(200);
        }
    }

    @Test
    void publishAndHistory() {
        try (ServerFixture s = server()) {
            int port = s.chorus.port();
            TestClient ws = s.client();
            ws.subscribe("room:h");
            Http.Response p1 = Http.api(port, KEY, "publish", "{\"channel\":\"room:h\",\"data\":{\"n\":1}}");
            assertThat(p1.status()).isEqualTo(200);
            assertThat(p1.json().get("offset").asLong()).isEqualTo(1);
            Http.Response p2 = Http.api(port, KEY, "publish", "{\"channel\":\"room:h\",\"data\":{\"n\":2},\"key\":\"k\"}");
            Http.Response p2again = Http.api(port, KEY, "publish", "{\"channel\":\"room:h\",\"data\":{\"n\":2},\"key\":\"k\"}");
            assertThat(p2again.json().get("offset").asLong()).isEqualTo(p2.json().get("offset").asLong()).isEqualTo(2);
            assertThat(Frames.pubs(ws, "room:h", 2)).extracting(x -> x.pub().data().tree().get("n").asInt()).containsExactly(1, 2);

            JsonNode all = Http.api(port, KEY, "history", "{\"channel\":\"room:h\"}").json();
            assertThat(all.get("offset").asLong()).isEqualTo(2);
            assertThat(all.get("publications")).hasSize(2);
            assertThat(all.get("publications").get(0).get("data").get("n").asInt()).isEqualTo(1);
            assertThat(all.get("publications").get(0).has("info")).isFalse();
            String epoch = all.get("epoch").asText();
            JsonNode since = Http.api(port, KEY, "history", "{\"channel\":\"room:h\",\"since\":{\"offset\":1,\"epoch\":\"" + epoch + "\"}}").json();
            assertThat(since.get("publications")).hasSize(1);
            JsonNode rev = Http.api(port, KEY, "history", "{\"channel\":\"room:h\",\"limit\":1,\"reverse\":true}").json();
            assertThat(rev.get("publications")).hasSize(1);
            assertThat(rev.get("publications").get(0).get("offset").asLong()).isEqualTo(2);

            Http.Response noHist = Http.api(port, KEY, "history", "{\"channel\":\"nohist:1\"}");
            assertThat(noHist.status()).isEqualTo(400);
            assertThat(noHist.errorCode()).isEqualTo(108);
            Http.Response badLimit = Http.api(port, KEY, "history", "{\"channel\":\"room:h\",\"limit\":-5}");
            assertThat(badLimit.status()).isEqualTo(400);
            assertThat(badLimit.errorCode()).isEqualTo(107);
        }
    }

    @Test
    void batchPublishReportsEachItemInOrderAndABadItemDoesNotStopTheOthers() {
        try (ServerFixture s = server()) {
            int port = s.chorus.port();
            Http.Response r = Http.api(port, KEY, "batch_publish", "{\"publications\":["
                    + "{\"channel\":\"room:b\",\"data\":1},"
                    + "{\"channel\":\"bad name\",\"data\":2},"
                    + "{\"channel\":\"room:b\"},"
                    + "{\"channel\":\"room:b\",\"data\":3}]}");
            assertThat(r.status()).isEqualTo(200);
            JsonNode results = r.json().get("results");
            assertThat(results).hasSize(4);
            assertThat(results.get(0).get("offset").asLong()).isEqualTo(1);
            assertThat(results.get(1).get("error").get("code").asInt()).isEqualTo(111);
            assertThat(results.get(2).get("error").get("code").asInt()).isEqualTo(107);
            assertThat(results.get(3).get("offset").asLong()).isEqualTo(2);
            JsonNode h = Http.api(port, KEY, "history", "{\"channel\":\"room:b\"}").json();
            assertThat(h.get("publications")).extracting(p -> p.get("data").asInt()).containsExactly(1, 3);

            Http.Response notArray = Http.api(port, KEY, "batch_publish", "{\"publications\":{}}");
            assertThat(notArray.status()).isEqualTo(400);
        }
    }

    @Test
    void presenceStatsAndChannels() {
        try (ServerFixture s = server()) {
            int port = s.chorus.port();
            TestClient ann = user(s, "ann");
            TestClient ann2 = user(s, "ann");
            TestClient bob = user(s, "bob");
            ann.subscribe("room:p");
            ann2.subscribe("room:p");
            bob.subscribe("room:p");
            bob.subscribe("room:q");
            JsonNode presence = Http.api(port, KEY, "presence", "{\"channel\":\"room:p\"}").json();
            assertThat(presence.get("clients")).hasSize(3);
            JsonNode stats = Http.api(port, KEY, "presence_stats", "{\"channel\":\"room:p\"}").json();
            assertThat(stats.get("clients").asInt()).isEqualTo(3);
            assertThat(stats.get("users").asInt()).isEqualTo(2);
            JsonNode channels = Http.api(port, KEY, "channels", "").json().get("channels");
            assertThat(channels).extracting(c -> c.get("channel").asText() + "=" + c.get("subscribers").asInt())
                    .containsExactly("room:p=3", "room:q=1");
            JsonNode filtered = Http.api(port, KEY, "channels", "{\"prefix\":\"room:q\"}").json().get("channels");
            assertThat(filtered).hasSize(1);
            Http.Response noPresence = Http.api(port, KEY, "presence", "{\"channel\":\"nohist:1\"}");
            assertThat(noPresence.errorCode()).isEqualTo(108);
        }
    }

    @Test
    void disconnectAndUnsubscribeAUser() {
        try (ServerFixture s = server()) {
            int port = s.chorus.port();
            TestClient ann = user(s, "ann");
            TestClient bob = user(s, "bob");
            ann.subscribe("room:u");
            bob.subscribe("room:u");

            JsonNode unsub = Http.api(port, KEY, "unsubscribe", "{\"user\":\"bob\",\"channel\":\"room:u\"}").json();
            assertThat(unsub.get("unsubscribed").asInt()).isEqualTo(1);
            Push p = bob.awaitPush(x -> x instanceof Push.Unsubscribed, Duration.ofSeconds(5));
            assertThat(((Push.Unsubscribed) p).channel()).isEqualTo("room:u");

            JsonNode disc = Http.api(port, KEY, "disconnect", "{\"user\":\"ann\",\"reason\":\"maintenance\"}").json();
            assertThat(disc.get("disconnected").asInt()).isEqualTo(1);
            assertThat(ann.awaitClose(Duration.ofSeconds(5)).code()).isEqualTo(4007);
            assertThat(bob.isClosed()).isFalse();

            assertThat(Http.api(port, KEY, "disconnect", "{\"user\":\"nobody\"}").json().get("disconnected").asInt()).isZero();
            assertThat(Http.api(port, KEY, "disconnect", "{}").status()).isEqualTo(400);
            assertThat(Http.api(port, KEY, "unsubscribe", "{\"user\":\"bob\",\"channel\":\"bad name\"}").errorCode()).isEqualTo(111);
        }
    }

    @Test
    void malformedUnknownAndHugeRequestsAreRefusedAndChangeNothing() {
        try (ServerFixture s = server()) {
            int port = s.chorus.port();
            String[] bodies = {"{", "[]", "\"x\"", "{\"channel\":\"room:m\",\"data\":1}{}", "{\"channel\":\"room:m\",\"channel\":\"room:n\",\"data\":1}",
                    "{\"channel\":\"room:m\"}", "{\"channel\":null,\"data\":1}", "{\"channel\":\"room:m\",\"data\":NaN}"};
            for (String b : bodies) {
                Http.Response r = Http.api(port, KEY, "publish", b);
                assertThat(r.status()).as(b).isEqualTo(400);
                assertThat(r.errorCode()).as(b).isEqualTo(107);
            }
            Http.Response unknown = Http.api(port, KEY, "explode", "{}");
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.errorCode()).isEqualTo(104);
            assertThat(Http.get(port, "/api/channels").status()).isEqualTo(405);
            Http.Response huge = Http.api(port, KEY, "publish", "{\"channel\":\"room:m\",\"data\":\"" + "x".repeat(100_000) + "\"}");
            assertThat(huge.status()).isEqualTo(413);
            assertThat(offset(s, "room:m")).isZero();
            assertThat(offset(s, "room:n")).isZero();
            await().atMost(Duration.ofSeconds(2)).until(() -> Http.api(port, KEY, "channels", "{}").status() == 200);
        }
    }

    @Test
    void nodesListsThisNodeWithItsFigures() {
        try (ServerFixture s = server()) {
            int port = s.chorus.port();
            TestClient ann = user(s, "ann");
            assertThat(ann.subscribe("room:n").error()).isNull();
            Http.Response r = Http.api(port, KEY, "nodes", "{}");
            assertThat(r.status()).isEqualTo(200);
            var nodes = r.json().get("nodes");
            assertThat(nodes.size()).isEqualTo(1);
            assertThat(nodes.get(0).get("name").asText()).isEqualTo(s.chorus.config().nodeName());
            assertThat(nodes.get(0).get("connections").asInt()).isEqualTo(1);
            assertThat(nodes.get(0).get("subscriptions").asInt()).isEqualTo(1);
            assertThat(nodes.get(0).get("channels").asInt()).isEqualTo(1);
            assertThat(r.json().get("connections").asInt()).isEqualTo(1);
        }
    }
}
