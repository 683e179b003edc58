package dev.chorus.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Behaviour a real server does not show on demand: malformed frames, close codes, silence, expiring tokens. */
class FakeServerTest {

    private static ChorusClient.Builder client(FakeServer server) {
        return ChorusClient.builder(server.uri()).reconnectDelay(Delay.constant(Duration.ofMillis(50)));
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void malformedServerFramesAreReportedAndSkippedAndTheClientKeepsWorking() throws Exception {
        try (FakeServer server = new FakeServer(p -> {
            try {
                p.acceptConnect("");
                JsonNode sub = p.expect("subscribe");
                p.reply(sub, "{\"offset\":0,\"epoch\":\"e1\",\"recovered\":false,\"recovering\":false,\"publications\":[]}");
                p.text("not json at all");
                p.text("[1,2,3]");
                p.text("{\"push\":\"pub\"}");
                p.text("{\"push\":\"no-such-push\"}");
                p.text("{\"push\":\"pub\",\"channel\":\"c\",\"pub\":{\"offset\":\"one\",\"time\":1,\"data\":1}}");
                p.text("{\"id\":987654,\"result\":{}}");
                p.text("{\"push\":\"doc\",\"doc\":\"d\",\"data\":\"%%%\"}");
                p.text("{\"push\":\"pub\",\"channel\":\"c\",\"pub\":{\"offset\":1,\"epoch\":\"e1\",\"time\":1,\"data\":\"ok\"}} trailing");
                p.binary(new byte[] {(byte) 0xc1, 0x00, 0x7f});
                p.text("{\"push\":\"error\",\"error\":{\"code\":107,\"message\":\"you sent garbage\"}}");
                p.text("{\"push\":\"pub\",\"channel\":\"c\",\"pub\":{\"offset\":1,\"epoch\":\"e1\",\"time\":1,\"data\":\"good\"}}");
                JsonNode rpc = p.expect("rpc");
                p.text("{\"id\":" + rpc.get("id").asLong() + ",\"result\":\"not an object\"}");
                JsonNode rpc2 = p.expect("rpc");
                p.reply(rpc2, "{\"data\":{\"n\":2}}");
                sleepQuietly(10_000);
            } catch (Exception e) {
                // connection over
            }
        }); ChorusClient c = client(server).build()) {
            StatusRecorder status = new StatusRecorder();
            c.addListener(status);
            Recorder rec = new Recorder();
            c.subscribe("c", rec);
            c.connect().get(5, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(5)).until(() -> rec.publications.size() == 1);
            assertThat(rec.data()).containsExactly("\"good\"");

            CompletableFuture<?> bad = c.rpc("m", null);
            assertThatThrownBy(() -> bad.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).cause()
                    .isInstanceOfSatisfying(ChorusException.class, e -> assertThat(e.code()).isEqualTo(ChorusException.MALFORMED_FRAME));
            assertThat(c.rpc("m", null).get(5, TimeUnit.SECONDS).jsonString()).isEqualTo("{\"n\":2}");

            assertThat(status.errors).extracting(ChorusException::code).filteredOn(code -> code == ChorusException.MALFORMED_FRAME)
                    .hasSizeGreaterThanOrEqualTo(9);
            assertThat(status.errors).extracting(ChorusException::code).contains(107);
            assertThat(status.statuses).containsExactly(ConnectionStatus.CONNECTING, ConnectionStatus.CONNECTED);
            assertThat(server.peers).hasSize(1);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {4003, 4005, 4007, 1009})
    void closeCodesThatForbidReconnectingEndInDisconnected(int code) throws Exception {
        try (FakeServer server = new FakeServer(p -> {
            try {
                p.acceptConnect("");
                p.expect("publish");
                p.close(code, "go away");
                sleepQuietly(2000);
            } catch (Exception e) {
                // over
            }
        }); ChorusClient c = client(server).build()) {
            StatusRecorder status = new StatusRecorder();
            c.addListener(status);
            c.connect().get(5, TimeUnit.SECONDS);
            CompletableFuture<?> pub = c.publish("ch", 1);
            await().atMost(Duration.ofSeconds(5)).until(() -> c.status() == ConnectionStatus.DISCONNECTED);
            Thread.sleep(300); // a reconnect would come within 50 ms
            assertThat(server.peers).hasSize(1);
            assertThat(status.disconnects).containsExactly(new DisconnectInfo(code, "go away", false));
            assertThatThrownBy(() -> pub.get(5, TimeUnit.SECONDS)).cause()
                    .isInstanceOfSatisfying(ChorusException.class, e -> assertThat(e.code()).isEqualTo(code));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {4000, 4001, 4002, 4004, 4008, 1011})
    void closeCodesThatAllowReconnectingReconnect(int code) throws Exception {
        AtomicInteger n = new AtomicInteger();
        try (FakeServer server = new FakeServer(p -> {
            try {
                p.acceptConnect("");
                if (n.incrementAndGet() == 1) {
                    p.close(code, "bye");
                }
                sleepQuietly(2000);
            } catch (Exception e) {
                // over
            }
        }); ChorusClient c = client(server).build()) {
            StatusRecorder status = new StatusRecorder();
            c.addListener(status);
            c.connect().get(5, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(5)).until(() -> status.connects.size() == 2);
            assertThat(status.disconnects).containsExactly(new DisconnectInfo(code, "bye", true));
            assertThat(status.statuses).containsExactly(ConnectionStatus.CONNECTING, ConnectionStatus.CONNECTED,
                    ConnectionStatus.RECONNECTING, ConnectionStatus.CONNECTED);
        }
    }

    @Test
    void aTcpEndRightAfterAMessageIsNoticedEveryTime() throws Exception {
        // the JDK's WebSocket client missed this now and then (the socket sat in CLOSE-WAIT)
        int drops = 30;
        AtomicInteger n = new AtomicInteger();
        try (FakeServer server = new FakeServer(p -> {
            try {
                p.acceptConnect("");
                if (n.incrementAndGet() <= drops) {
                    p.drop(); // FIN right behind the connect reply, no close frame
                } else {
                    sleepQuietly(5000);
                }
            } catch (Exception e) {
                // over
            }
        }); ChorusClient c = ChorusClient.builder(server.uri()).reconnectDelay(Delay.constant(Duration.ofMillis(5))).build()) {
            StatusRecorder status = new StatusRecorder();
            c.addListener(status);
            c.connect().get(5, TimeUnit.SECONDS);
            // each end must be seen at once; waiting for the heartbeat watchdog (30 s) would take far longer
            await().atMost(Duration.ofSeconds(15)).until(() -> status.connects.size() == drops + 1);
            assertThat(status.disconnects).hasSize(drops).allSatisfy(d -> {
                assertThat(d.code()).isEqualTo(1006);
                assertThat(d.reconnect()).isTrue();
            });
            assertThat(c.status()).isEqualTo(ConnectionStatus.CONNECTED);
        }
    }

    @Test
    void anExpiredTokenCloseFetchesAFreshTokenBeforeReconnecting() throws Exception {
        List<String> tokens = new CopyOnWriteArrayList<>();
        try (FakeServer server = new FakeServer(p -> {
            try {
                JsonNode connect = p.expect("connect");
                tokens.add(connect.path("token").asText());
                if (tokens.size() == 1) {
                    p.text("{\"id\":" + connect.get("id").asLong() + ",\"error\":{\"code\":109,\"message\":\"token expired\"}}");
                    p.close(4006, "token expired");
                } else {
                    p.reply(connect, "{\"client\":\"c2\",\"user\":\"u\",\"ping\":10,\"timeout\":30}");
                }
                sleepQuietly(2000);
            } catch (Exception e) {
                // over
            }
        })) {
            AtomicInteger asked = new AtomicInteger();
            try (ChorusClient c = client(server).token(() -> CompletableFuture.completedFuture("t" + asked.incrementAndGet())).build()) {
                ConnectionInfo info = c.connect().get(5, TimeUnit.SECONDS);
                assertThat(info.user()).isEqualTo("u");
                assertThat(tokens).containsExactly("t1", "t2");
            }
        }
    }

    @Test
    void aRefusedTokenEndsTheConnectAttempt() throws Exception {
        try (FakeServer server = new FakeServer(p -> {
            try {
                JsonNode connect = p.expect("connect");
                p.text("{\"id\":" + connect.get("id").asLong() + ",\"error\":{\"code\":101,\"message\":\"bad signature\"}}");
                p.close(4005, "unauthorized");
                sleepQuietly(2000);
            } catch (Exception e) {
                // over
            }
        }); ChorusClient c = client(server).token("bad").build()) {
            assertThatThrownBy(() -> c.connect().get(5, TimeUnit.SECONDS)).cause()
                    .isInstanceOfSatisfying(ChorusException.class, e -> assertThat(e.code()).isEqualTo(4005));
            Thread.sleep(300);
            assertThat(server.peers).hasSize(1);
            assertThat(c.status()).isEqualTo(ConnectionStatus.DISCONNECTED);
        }
    }

    @Test
    void pingsAreAnsweredAndTheTokenIsRefreshedBeforeItExpires() throws Exception {
        List<JsonNode> seen = new CopyOnWriteArrayList<>();
        try (FakeServer server = new FakeServer(p -> {
            try {
                p.acceptConnect("\"expires\":1");
                p.text("{\"push\":\"ping\"}");
                seen.add(p.next());
                JsonNode refresh = p.expect("refresh");
                seen.add(refresh);
                p.reply(refresh, "{\"expires\":3600}");
                sleepQuietly(3000);
            } catch (Exception e) {
                // over
            }
        })) {
            AtomicInteger asked = new AtomicInteger();
            try (ChorusClient c = client(server).token(() -> CompletableFuture.completedFuture("t" + asked.incrementAndGet())).build()) {
                c.connect().get(5, TimeUnit.SECONDS);
                await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 2);
                assertThat(seen.get(0).toString()).isEqualTo("{\"op\":\"pong\"}");
                assertThat(seen.get(1).get("token").asText()).isEqualTo("t2");
                await().atMost(Duration.ofSeconds(2)).until(() -> c.connection() != null && c.connection().expires() == 3600);
                assertThat(server.peers).hasSize(1);
            }
        }
    }

    @Test
    void aSilentServerIsTakenForDeadAfterTheTimeoutOfItsConnectReply() throws Exception {
        try (FakeServer server = new FakeServer(p -> {
            try {
                JsonNode c = p.expect("connect");
                p.reply(c, "{\"client\":\"q\",\"user\":\"\",\"ping\":1,\"timeout\":1}");
                sleepQuietly(5000); // and never a frame again
            } catch (Exception e) {
                // over
            }
        }); ChorusClient c = client(server).build()) {
            StatusRecorder status = new StatusRecorder();
            c.addListener(status);
            long start = System.nanoTime();
            c.connect().get(5, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(5)).until(() -> status.connects.size() == 2);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(ms).isGreaterThanOrEqualTo(1000);
            assertThat(status.disconnects.get(0).code()).isEqualTo(1006);
            assertThat(status.disconnects.get(0).reason()).contains("nothing received");
            assertThat(server.peers).hasSize(2);
        }
    }

    @Test
    void duplicatesAreDroppedGapsResyncAndTheResubscribeCarriesTheLastPosition() throws Exception {
        List<JsonNode> subscribes = new CopyOnWriteArrayList<>();
        try (FakeServer server = new FakeServer(p -> {
            try {
                p.acceptConnect("");
                JsonNode sub = p.expect("subscribe");
                subscribes.add(sub);
                if (subscribes.size() == 1) {
                    p.reply(sub, "{\"offset\":2,\"epoch\":\"e\",\"recovered\":true,\"recovering\":true,\"publications\":["
                            + "{\"offset\":1,\"epoch\":\"e\",\"time\":1,\"data\":1},{\"offset\":2,\"epoch\":\"e\",\"time\":1,\"data\":2}]}");
                    p.text("{\"push\":\"pub\",\"channel\":\"c\",\"pub\":{\"offset\":2,\"epoch\":\"e\",\"time\":1,\"data\":2}}");
                    p.text("{\"push\":\"pub\",\"channel\":\"c\",\"pub\":{\"offset\":3,\"epoch\":\"e\",\"time\":1,\"data\":3}}");
                    p.text("{\"push\":\"pub\",\"channel\":\"c\",\"pub\":{\"offset\":1,\"epoch\":\"e\",\"time\":1,\"data\":1}}");
                    p.text("{\"push\":\"pub\",\"channel\":\"c\",\"pub\":{\"offset\":6,\"epoch\":\"e\",\"time\":1,\"data\":6}}");
                    p.text("{\"push\":\"pub\",\"channel\":\"c\",\"pub\":{\"offset\":1,\"epoch\":\"f\",\"time\":1,\"data\":\"f1\"}}");
                    sleepQuietly(200);
                    p.drop();
                } else {
                    p.reply(sub, "{\"offset\":1,\"epoch\":\"f\",\"recovered\":true,\"recovering\":true,\"publications\":[]}");
                    sleepQuietly(2000);
                }
            } catch (Exception e) {
                // over
            }
        }); ChorusClient c = client(server).build()) {
            Recorder rec = new Recorder();
            c.subscribe("c", SubscribeOptions.builder().since(new dev.chorus.protocol.StreamPosition(0, "e")).build(), rec);
            c.connect().get(5, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(5)).until(() -> subscribes.size() == 2 && rec.subscribed.size() == 2);
            assertThat(rec.order).containsExactly("pub:1", "pub:2", "pub:3", "resync", "pub:6", "resync", "pub:\"f1\"");
            assertThat(subscribes.get(0).get("since").toString()).isEqualTo("{\"offset\":0,\"epoch\":\"e\"}");
            assertThat(subscribes.get(1).get("since").toString()).isEqualTo("{\"offset\":1,\"epoch\":\"f\"}");
            assertThat(c.subscription("c").position()).isEqualTo(new dev.chorus.protocol.StreamPosition(1, "f"));
        }
    }

    @Test
    void anUnsubPushWithResubscribeSubscribesAgainFromThePositionAndAServerEndedOneStaysEnded() throws Exception {
        List<JsonNode> subscribes = new CopyOnWriteArrayList<>();
        try (FakeServer server = new FakeServer(p -> {
            try {
                p.acceptConnect("");
                JsonNode sub = p.expect("subscribe");
                subscribes.add(sub);
                p.reply(sub, "{\"offset\":4,\"epoch\":\"old\",\"recovered\":false,\"recovering\":false,\"publications\":[]}");
                p.text("{\"push\":\"unsub\",\"channel\":\"c\",\"code\":4102,\"reason\":\"epoch changed\",\"resubscribe\":true}");
                JsonNode again = p.expect("subscribe");
                subscribes.add(again);
                p.reply(again, "{\"offset\":0,\"epoch\":\"new\",\"recovered\":false,\"recovering\":true,\"publications\":[]}");
                p.text("{\"push\":\"unsub\",\"channel\":\"c\",\"code\":4101,\"reason\":\"kicked\",\"resubscribe\":false}");
                sleepQuietly(2000);
            } catch (Exception e) {
                // over
            }
        }); ChorusClient c = client(server).build()) {
            List<String> ended = new CopyOnWriteArrayList<>();
            Recorder rec = new Recorder() {
                @Override
                public void onUnsubscribed(int code, String reason) {
                    ended.add(code + " " + reason);
                }
            };
            ClientSubscription sub = c.subscribe("c", rec);
            c.connect().get(5, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(5)).until(() -> ended.size() == 1);
            assertThat(subscribes.get(1).get("since").toString()).isEqualTo("{\"offset\":4,\"epoch\":\"old\"}");
            assertThat(rec.resyncs).containsExactly(new dev.chorus.protocol.StreamPosition(0, "new"));
            assertThat(ended).containsExactly("4101 kicked");
            assertThat(sub.state()).isEqualTo(SubscriptionState.UNSUBSCRIBED);
            assertThat(c.subscription("c")).isNull();
        }
    }
}
