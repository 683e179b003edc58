package dev.chorus.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chorus.core.config.ChorusConfig;
import dev.chorus.core.config.HttpConfig;
import dev.chorus.core.config.NamespaceConfig;
import dev.chorus.core.hooks.ConnectHandler;
import dev.chorus.core.hooks.HookRejection;
import dev.chorus.protocol.ErrorCode;
import dev.chorus.protocol.Payload;
import dev.chorus.testkit.TestClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Server-Sent Events at /sse: resume with Last-Event-ID, resync, heartbeats, refusals, cleanup. */
class SseTest {

    private static ChorusConfig config(Duration heartbeat) {
        return ChorusConfig.devDefaults().toBuilder()
                .http(HttpConfig.builder().sseHeartbeat(heartbeat).build())
                .namespace(NamespaceConfig.builder("room").historySize(50).historyTtl(Duration.ofMinutes(5)).allowPublish(true).build())
                .namespace(NamespaceConfig.builder("small").historySize(3).historyTtl(Duration.ofMinutes(5)).build())
                .namespace(NamespaceConfig.builder("chat").historySize(10).presence(true).joinLeave(true).allowPublish(true).build())
                .namespace(NamespaceConfig.builder("locked").allowSubscribe(false).build())
                .build();
    }

    private static ServerFixture server() {
        return ServerFixture.start(config(Duration.ofSeconds(15)), b -> b);
    }

    private static void publish(ServerFixture s, String channel, String json) {
        s.chorus.publish(channel, Payload.ofJson(json)).toCompletableFuture().join();
    }

    /** The positions in an SSE id, as {channel: [offset, epoch]}. */
    static JsonNode positions(String id) {
        try {
            return SseClient.JSON.readTree(Base64.getUrlDecoder().decode(id));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static String id(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> pairs(List<SseClient.Event> events) {
        List<String> out = new ArrayList<>();
        for (SseClient.Event e : events) {
            JsonNode d = e.json();
            out.add(d.get("channel").asText() + "#" + d.get("offset").asLong() + "=" + d.get("data").get("n").asInt());
        }
        return out;
    }

    @Test
    void reconnectWithLastEventIdReceivesTheGapOfBothChannelsInOrderOnce() {
        try (ServerFixture server = server()) {
            int port = server.chorus.port();
            String url = "/sse?channel=room:a&channel=room:b";
            SseClient sse = SseClient.open(port, url);
            assertThat(sse.status).isEqualTo(200);
            assertThat(sse.headers.get("content-type")).startsWith("text/event-stream");
            SseClient.Event ready = sse.next();
            assertThat(ready.name()).isEqualTo("ready");
            assertThat(ready.hadId()).isTrue();
            assertThat(ready.json().get("channels")).hasSize(2);
            assertThat(sse.retry).isEqualTo(2000);
            JsonNode start = positions(ready.lastId());
            assertThat(start.get("room:a").get(0).asLong()).isZero();
            assertThat(start.get("room:b").get(0).asLong()).isZero();

            publish(server, "room:a", "{\"n\":1}");
            publish(server, "room:b", "{\"n\":1}");
            publish(server, "room:a", "{\"n\":2}");
            List<SseClient.Event> live = sse.messages(3);
            assertThat(pairs(live)).containsExactly("room:a#1=1", "room:b#1=1", "room:a#2=2");
            JsonNode p = positions(live.get(2).lastId());
            assertThat(p.get("room:a").get(0).asLong()).isEqualTo(2);
            assertThat(p.get("room:b").get(0).asLong()).isEqualTo(1);
            assertThat(live.get(0).json().get("epoch").asText()).isNotEmpty();
            assertThat(live.get(0).json().has("time")).isTrue();

            // the browser loses the stream; the server cleans up the session
            sse.close();
            await().atMost(Duration.ofSeconds(5)).until(() -> server.chorus.node().sessionCount() == 0);

            publish(server, "room:a", "{\"n\":3}");
            publish(server, "room:b", "{\"n\":2}");
            publish(server, "room:a", "{\"n\":4}");
            publish(server, "room:b", "{\"n\":3}");
            publish(server, "room:a", "{\"n\":5}");

            SseClient back = sse.reconnect(port, url);
            assertThat(back.status).isEqualTo(200);
            assertThat(back.next().name()).isEqualTo("ready");
            List<SseClient.Event> gap = back.messages(5);
            List<String> got = pairs(gap);
            assertThat(got).containsExactlyInAnyOrder("room:a#3=3", "room:a#4=4", "room:a#5=5", "room:b#2=2", "room:b#3=3");
            assertThat(got.stream().filter(s -> s.startsWith("room:a"))).containsExactly("room:a#3=3", "room:a#4=4", "room:a#5=5");
            assertThat(got.stream().filter(s -> s.startsWith("room:b"))).containsExactly("room:b#2=2", "room:b#3=3");
            // nothing twice, nothing more
            assertThat(back.poll(Duration.ofMillis(300))).isNull();
            publish(server, "room:b", "{\"n\":4}");
            assertThat(pairs(back.messages(1))).containsExactly("room:b#4=4");

            // every id is a resume point: from the id after the second missed event, exactly the rest follows
            String middle = gap.get(1).lastId();
            back.close();
            SseClient again = SseClient.open(port, url, Map.of("Last-Event-ID", middle));
            assertThat(again.next().name()).isEqualTo("ready");
            List<String> rest = pairs(again.messages(4));
            List<String> expected = new ArrayList<>(got.subList(2, 5));
            expected.add("room:b#4=4");
            assertThat(rest).containsExactlyElementsOf(expected);
            assertThat(again.poll(Duration.ofMillis(300))).isNull();
            again.close();
        }
    }

    @Test
    void positionBeyondHistoryGetsResyncWithTheNewPositionAndTheOtherChannelRecovers() {
        try (ServerFixture server = server()) {
            int port = server.chorus.port();
            String url = "/sse?channel=small:x&channel=room:y";
            SseClient sse = SseClient.open(port, url);
            assertThat(sse.next().name()).isEqualTo("ready");
            sse.close();
            for (int i = 1; i <= 10; i++) {
                publish(server, "small:x", "{\"n\":" + i + "}");
            }
            publish(server, "room:y", "{\"n\":1}");

            SseClient back = sse.reconnect(port, url);
            List<SseClient.Event> events = back.until("message");
            assertThat(events).extracting(SseClient.Event::name).containsExactly("ready", "resync", "message");
            JsonNode resync = events.get(1).json();
            assertThat(resync.get("channel").asText()).isEqualTo("small:x");
            assertThat(resync.get("offset").asLong()).isEqualTo(10);
            assertThat(resync.get("epoch").asText()).isNotEmpty();
            // the ready event still holds the old position: a stream cut before the resync resyncs again
            assertThat(positions(events.get(0).lastId()).get("small:x").get(0).asLong()).isZero();
            assertThat(positions(events.get(1).lastId()).get("small:x").get(0).asLong()).isEqualTo(10);
            assertThat(pairs(events.subList(2, 3))).containsExactly("room:y#1=1");
            assertThat(back.poll(Duration.ofMillis(300))).isNull();

            // from the resync's position on, everything is recoverable again: no second resync
            SseClient third = back.reconnect(port, url);
            assertThat(third.next().name()).isEqualTo("ready");
            assertThat(third.poll(Duration.ofMillis(300))).isNull();
            third.close();
        }
    }

    @Test
    void wrongEpochGetsResync() {
        try (ServerFixture server = server()) {
            int port = server.chorus.port();
            publish(server, "room:z", "{\"n\":1}");
            SseClient sse = SseClient.open(port, "/sse?channel=room:z", Map.of("Last-Event-ID", id("{\"room:z\":[1,\"notmine\"]}")));
            assertThat(sse.status).isEqualTo(200);
            List<SseClient.Event> events = List.of(sse.next(), sse.next());
            assertThat(events).extracting(SseClient.Event::name).containsExactly("ready", "resync");
            assertThat(events.get(1).json().get("offset").asLong()).isEqualTo(1);
            assertThat(events.get(1).json().get("epoch").asText()).isNotEqualTo("notmine");
            // the stale publication is not replayed
            assertThat(sse.poll(Duration.ofMillis(300))).isNull();
            sse.close();
        }
    }

    @Test
    void heartbeatCommentsArriveAtTheConfiguredInterval() {
        try (ServerFixture server = ServerFixture.start(config(Duration.ofMillis(150)), b -> b)) {
            SseClient sse = SseClient.open(server.chorus.port(), "/sse?channel=room:h");
            assertThat(sse.next().name()).isEqualTo("ready");
            await().atMost(Duration.ofSeconds(5)).until(() -> sse.heartbeats.get() >= 3);
            assertThat(sse.comments).allMatch(c -> c.equals(": ping"));
            assertThat(sse.ended).isFalse();
            sse.close();
        }
    }

    @Test
    void defaultHeartbeatIsNotSentWithinAShortWhile() {
        try (ServerFixture server = server()) {
            SseClient sse = SseClient.open(server.chorus.port(), "/sse?channel=room:h");
            assertThat(sse.next().name()).isEqualTo("ready");
            assertThat(sse.poll(Duration.ofMillis(500))).isNull();
            assertThat(sse.heartbeats.get()).isZero();
            sse.close();
        }
    }

    private static UnaryOperator<dev.chorus.core.Chorus.Builder> tokenHook() {
        return b -> b.onConnect(ev -> {
            if ("good".equals(ev.token())) {
                return ConnectHandler.ConnectDecision.user("ann");
            }
            throw new HookRejection(ErrorCode.UNAUTHORIZED, "bad token");
        });
    }

    @Test
    void refusalsGetAnHttpStatusAndChangeNothing() {
        try (ServerFixture server = ServerFixture.start(config(Duration.ofSeconds(15)), tokenHook())) {
            int port = server.chorus.port();
            SseClient noToken = SseClient.open(port, "/sse?channel=room:a");
            assertThat(noToken.status).isEqualTo(401);
            assertThat(noToken.errorJson().get("error").get("code").asInt()).isEqualTo(101);

            SseClient denied = SseClient.open(port, "/sse?token=good&channel=room:a&channel=locked:1");
            assertThat(denied.status).isEqualTo(403);
            assertThat(denied.errorJson().get("error").get("code").asInt()).isEqualTo(103);

            SseClient badName = SseClient.open(port, "/sse?token=good&channel=bad%20name");
            assertThat(badName.status).isEqualTo(400);
            assertThat(badName.errorJson().get("error").get("code").asInt()).isEqualTo(111);

            SseClient none = SseClient.open(port, "/sse?token=good");
            assertThat(none.status).isEqualTo(400);
            SseClient twice = SseClient.open(port, "/sse?token=good&channel=room:a&channel=room:a");
            assertThat(twice.status).isEqualTo(400);
            SseClient garbage = SseClient.open(port, "/sse?token=good&channel=room:a", Map.of("Last-Event-ID", "%%%not-base64"));
            assertThat(garbage.status).isEqualTo(400);
            assertThat(garbage.errorJson().get("error").get("message").asText()).contains("Last-Event-ID");
            SseClient badPos = SseClient.open(port, "/sse?token=good&channel=room:a", Map.of("Last-Event-ID", id("{\"room:a\":[-1,\"e\"]}")));
            assertThat(badPos.status).isEqualTo(400);

            // the refused streams left no session and no subscription behind
            await().atMost(Duration.ofSeconds(5)).until(() -> server.chorus.node().sessionCount() == 0);
            assertThat(server.chorus.node().channelCount()).isZero();

            // the token as a cookie, as a browser sends it along with EventSource
            SseClient cookie = SseClient.open(port, "/sse?channel=room:a", Map.of("Cookie", "other=1; chorus_token=good"));
            assertThat(cookie.status).isEqualTo(200);
            assertThat(cookie.next().json().get("user").asText()).isEqualTo("ann");
            cookie.close();
            for (SseClient c : List.of(noToken, denied, badName, none, twice, garbage, badPos)) {
                c.close();
            }
        }
    }

    @Test
    void publicationsCarryPublisherInfoAndPresencePushesAreNamedEvents() {
        try (ServerFixture server = server()) {
            int port = server.chorus.port();
            SseClient sse = SseClient.open(port, "/sse?channel=chat:1&joinLeave=true");
            assertThat(sse.status).isEqualTo(200);
            assertThat(sse.next().name()).isEqualTo("ready");
            TestClient ws = server.client();
            ws.subscribe("chat:1");
            SseClient.Event join = sse.next();
            assertThat(join.name()).isEqualTo("join");
            assertThat(join.json().get("channel").asText()).isEqualTo("chat:1");
            assertThat(join.json().get("info").get("client").asText()).isNotEmpty();
            Frames.publish(ws, "chat:1", "{\"n\":7}");
            SseClient.Event pub = sse.next();
            assertThat(pub.name()).isEqualTo("message");
            assertThat(pub.json().get("data").get("n").asInt()).isEqualTo(7);
            assertThat(pub.json().get("info").get("client").asText()).isEqualTo(join.json().get("info").get("client").asText());
            ws.close();
            SseClient.Event leave = sse.next();
            assertThat(leave.name()).isEqualTo("leave");
            sse.close();
        }
    }

    @Test
    void closingTheStreamEndsTheSessionAndItsSubscriptions() {
        try (ServerFixture server = server()) {
            SseClient sse = SseClient.open(server.chorus.port(), "/sse?channel=room:c&channel=room:d");
            assertThat(sse.next().name()).isEqualTo("ready");
            assertThat(server.chorus.node().sessionCount()).isEqualTo(1);
            assertThat(server.chorus.node().channelCount()).isEqualTo(2);
            sse.close();
            await().atMost(Duration.ofSeconds(5)).until(() -> server.chorus.node().sessionCount() == 0
                    && server.chorus.node().channelCount() == 0);
        }
    }

    @Test
    void serverDisconnectBecomesADisconnectEventAndEndsTheStream() {
        try (ServerFixture server = ServerFixture.start(config(Duration.ofSeconds(15)), tokenHook())) {
            SseClient sse = SseClient.open(server.chorus.port(), "/sse?token=good&channel=room:e");
            assertThat(sse.next().name()).isEqualTo("ready");
            assertThat(server.chorus.node().api().disconnectUser("ann", "bye").toCompletableFuture().join()).isEqualTo(1);
            SseClient.Event d = sse.next();
            assertThat(d.name()).isEqualTo("disconnect");
            assertThat(d.json().get("code").asInt()).isEqualTo(4007);
            assertThat(d.json().get("reconnect").asBoolean()).isFalse();
            assertThat(sse.isClosedByServer(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void aStreamThatIsNotReadIsClosedAsASlowConsumerWithoutHurtingOthers() throws Exception {
        ChorusConfig cfg = config(Duration.ofSeconds(15)).toBuilder()
                .limits(dev.chorus.core.config.Limits.builder().maxOutboundBytes(1024 * 1024).build())
                .build();
        try (ServerFixture server = ServerFixture.start(cfg, b -> b)) {
            int port = server.chorus.port();
            java.net.Socket stuck = new java.net.Socket();
            stuck.setReceiveBufferSize(4096);
            stuck.connect(new java.net.InetSocketAddress("127.0.0.1", port));
            stuck.getOutputStream().write("GET /sse?channel=room:s HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            SseClient reader = SseClient.open(port, "/sse?channel=room:s");
            assertThat(reader.next().name()).isEqualTo("ready");
            await().atMost(Duration.ofSeconds(5)).until(() -> server.chorus.node().sessionCount() == 2);
            String big = "{\"n\":1,\"pad\":\"" + "x".repeat(16 * 1024) + "\"}";
            // paced by the reader: it keeps up, the stuck one falls behind by everything
            for (int i = 0; i < 2000 && server.chorus.node().sessionCount() == 2; i++) {
                publish(server, "room:s", big);
                assertThat(reader.next().name()).isEqualTo("message");
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> server.chorus.node().sessionCount() == 1);
            // the reader is still served
            assertThat(reader.ended).isFalse();
            publish(server, "room:s", "{\"n\":2}");
            assertThat(reader.next().json().get("data").get("n").asInt()).isEqualTo(2);
            stuck.close();
            reader.close();
        }
    }
}
