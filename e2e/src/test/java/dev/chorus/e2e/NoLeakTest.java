package dev.chorus.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.core.auth.AuthConfig;
import dev.chorus.core.config.ChorusConfig;
import dev.chorus.core.config.HttpConfig;
import dev.chorus.core.config.NamespaceConfig;
import dev.chorus.core.hooks.HookRejection;
import dev.chorus.protocol.ErrorCode;
import dev.chorus.protocol.Format;
import dev.chorus.protocol.Payload;
import dev.chorus.protocol.Push;
import dev.chorus.protocol.Reply;
import dev.chorus.protocol.Request;
import dev.chorus.testkit.TestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A client without permission tries every operation on a channel (WebSocket, SSE, HTTP publish,
 * HTTP server API); every attempt is refused, and nothing reaches or changes the channel.
 */
class NoLeakTest {
    private static final String CH = "locked:vault";
    private static final String API_KEY = "api-key-for-no-leak-test";

    @Test
    void everyOperationWithoutPermissionIsRefusedAndNothingLeaks() throws Exception {
        ChorusConfig config = ChorusConfig.builder().host("127.0.0.1").port(0)
                .auth(AuthConfig.builder().hmacSecret(Tokens.SECRET).build())
                .http(HttpConfig.builder().apiKey(API_KEY).build())
                .namespace(NamespaceConfig.builder("locked").historySize(10).presence(true).joinLeave(true)
                        .allowSubscribe(false).allowPublish(false).allowPresence(false).allowSignal(false).build())
                .build();
        AtomicInteger adminCalls = new AtomicInteger();
        try (ServerFixture server = ServerFixture.start(config, b -> b.rpc("admin", (ctx, data) -> {
            if (!ctx.user().equals("ann")) {
                throw new HookRejection(ErrorCode.PERMISSION_DENIED, "admins only");
            }
            adminCalls.incrementAndGet();
            return Payload.ofJson("true");
        }))) {
            // ann is granted the channel by her token
            TestClient ann = server.rawClient(Format.JSON);
            assertThat(ann.connect(Tokens.connect("ann", Duration.ofHours(1), Map.of("subscribe", List.of("locked:*"),
                    "publish", List.of("locked:*"), "presence", List.of("locked:*")))).error()).isNull();
            assertThat(ann.request(new Request.Subscribe(0, CH, null, true, true)).error()).isNull();
            assertThat(ann.publish(CH, Frames.json("{\"secret\":\"s3cr3t-1\"}")).error()).isNull();
            ann.awaitPush(p -> p instanceof Push.Pub, Frames.WAIT);

            // mallory has a valid token with no grants
            TestClient mallory = server.rawClient(Format.JSON);
            assertThat(mallory.connect(Tokens.connect("mallory")).error()).isNull();
            int denied = ErrorCode.PERMISSION_DENIED.code();
            int notSubscribed = ErrorCode.NOT_SUBSCRIBED.code();
            assertThat(code(mallory.subscribe(CH))).isEqualTo(denied);
            assertThat(code(mallory.request(new Request.Subscribe(0, CH, new dev.chorus.protocol.StreamPosition(0, "x"), true, true))))
                    .isEqualTo(denied);
            assertThat(code(mallory.publish(CH, Frames.json("{\"forged\":1}")))).isEqualTo(denied);
            assertThat(code(mallory.request(new Request.History(0, CH, null, -1, false)))).isEqualTo(notSubscribed);
            assertThat(code(mallory.request(new Request.Presence(0, CH)))).isEqualTo(denied);
            assertThat(code(mallory.request(new Request.PresenceStats(0, CH)))).isEqualTo(denied);
            assertThat(code(mallory.request(new Request.PresenceUpdate(0, CH, Frames.json("{\"forged\":1}"))))).isEqualTo(notSubscribed);
            assertThat(code(mallory.request(new Request.Signal(0, CH, "cursor", Frames.json("{\"x\":1}"))))).isEqualTo(denied);
            assertThat(code(mallory.request(new Request.Rpc(0, "admin", Payload.NULL)))).isEqualTo(denied);
            // a subscription token of ann's does not help mallory
            assertThat(code(mallory.request(new Request.Subscribe(0, CH, null, false, false, Tokens.subscription("ann", CH)))))
                    .isEqualTo(denied);

            String base = "http://127.0.0.1:" + server.chorus.port();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            // SSE with mallory's token: refused, and no publication of the channel in what comes back
            HttpResponse<String> sse = http.send(HttpRequest.newBuilder(URI.create(base + "/sse?channel=" + CH
                    + "&token=" + Tokens.connect("mallory"))).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(sse.statusCode()).isEqualTo(403);
            assertThat(sse.body()).doesNotContain("s3cr3t");
            // HTTP publish with mallory's token
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(base + "/publish"))
                    .header("Authorization", "Bearer " + Tokens.connect("mallory")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"channel\":\"" + CH + "\",\"data\":{\"forged\":2}}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(403);
            // the server API without the key, and with a wrong one
            for (String auth : new String[] {null, "apikey wrong-key", "Bearer " + Tokens.connect("ann")}) {
                HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + "/api/publish")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"channel\":\"" + CH + "\",\"data\":{\"forged\":3}}"));
                if (auth != null) {
                    r.header("Authorization", auth);
                }
                assertThat(http.send(r.build(), HttpResponse.BodyHandlers.ofString()).statusCode()).as("api with %s", auth).isEqualTo(401);
                HttpRequest.Builder h = HttpRequest.newBuilder(URI.create(base + "/api/history")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"channel\":\"" + CH + "\"}"));
                if (auth != null) {
                    h.header("Authorization", auth);
                }
                HttpResponse<String> hist = http.send(h.build(), HttpResponse.BodyHandlers.ofString());
                assertThat(hist.statusCode()).isEqualTo(401);
                assertThat(hist.body()).doesNotContain("s3cr3t");
            }

            // nothing changed: ann's channel holds only her publication, only her presence, no admin call;
            // ann got no push from mallory, and mallory got no push at all
            Thread.sleep(300); // let anything that leaked arrive
            var history = Frames.result(ann.request(new Request.History(0, CH, null, -1, false))).get("publications");
            assertThat(history.size()).isEqualTo(1);
            assertThat(history.get(0).get("data").get("secret").asText()).isEqualTo("s3cr3t-1");
            var presence = Frames.result(ann.request(new Request.Presence(0, CH))).get("clients");
            assertThat(presence.size()).isEqualTo(1);
            assertThat(presence.elements().next().get("user").asText()).isEqualTo("ann");
            assertThat(adminCalls).hasValue(0);
            assertThat(ann.pushes()).as("pushes ann got besides her own publication")
                    .filteredOn(p -> !(p instanceof Push.Pub)).isEmpty();
            assertThat(ann.pushes()).filteredOn(p -> p instanceof Push.Pub).hasSize(1);
            assertThat(mallory.pushes()).isEmpty();
            // and the allowed path still works: the same RPC for ann
            assertThat(ann.request(new Request.Rpc(0, "admin", Payload.NULL)).error()).isNull();
            assertThat(adminCalls).hasValue(1);
        }
    }

    private static int code(Reply r) {
        assertThat(r.error()).as("expected an error reply").isNotNull();
        return r.error().code();
    }
}
