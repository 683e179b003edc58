package dev.chorus.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chorus.core.Chorus;
import dev.chorus.core.config.ChorusConfig;
import dev.chorus.core.config.HttpConfig;
import dev.chorus.core.config.NamespaceConfig;
import dev.chorus.protocol.ClientInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Presence, status transitions and throttled signals against a real server. */
class PresenceTest {
    private static final SubscribeOptions JOIN_LEAVE = SubscribeOptions.builder().joinLeave(true).build();

    @Test
    void statusGoesThroughConnectingConnectedReconnectingAndDisconnected() throws Exception {
        try (Chorus chorus = Servers.dev(); TcpProxy proxy = new TcpProxy(chorus.port());
             ChorusClient client = Servers.client(proxy.port()).build()) {
            StatusRecorder rec = new StatusRecorder();
            client.addListener(rec);
            assertThat(client.status()).isEqualTo(ConnectionStatus.DISCONNECTED);
            ConnectionInfo info = client.connect().get(5, TimeUnit.SECONDS);
            assertThat(info.client()).isNotEmpty();
            assertThat(info.timeout()).isEqualTo(30);
            assertThat(client.connection()).isEqualTo(info);

            proxy.cutAll();
            await().atMost(Duration.ofSeconds(5)).until(() -> rec.connects.size() == 2);
            assertThat(client.connection().client()).isNotEqualTo(info.client());
            assertThat(rec.disconnects.get(0).reconnect()).isTrue();

            client.disconnect().get(5, TimeUnit.SECONDS);
            assertThat(rec.statuses).containsExactly(ConnectionStatus.CONNECTING, ConnectionStatus.CONNECTED,
                    ConnectionStatus.RECONNECTING, ConnectionStatus.CONNECTED, ConnectionStatus.DISCONNECTED);
            assertThat(rec.disconnects.get(1)).isEqualTo(new DisconnectInfo(1000, "the client disconnected", false));
            assertThat(client.connection()).isNull();
            // and it comes back on request
            client.connect().get(5, TimeUnit.SECONDS);
            assertThat(client.status()).isEqualTo(ConnectionStatus.CONNECTED);
        }
    }

    @Test
    void aServerWithAnOriginAllowListAcceptsTheJavaClient() throws Exception {
        // the allow-list is for browser pages; a service's client sends no Origin and is let in
        ChorusConfig config = Servers.devConfig()
                .http(HttpConfig.builder().allowedOrigins(List.of("https://app.example")).build()).build();
        try (Chorus chorus = Servers.start(config, b -> b); ChorusClient client = Servers.client(chorus.port()).build()) {
            assertThat(client.connect().get(5, TimeUnit.SECONDS).client()).isNotEmpty();
        }
    }

    @Test
    void joinsLeavesPresenceStatesAndStatsAreSeenByOthers() throws Exception {
        try (Chorus chorus = Servers.dev(); ChorusClient ann = Servers.client(chorus.port()).build();
             ChorusClient bob = Servers.client(chorus.port()).build()) {
            Recorder annRec = new Recorder();
            ClientSubscription annSub = ann.subscribe("room:1", JOIN_LEAVE, annRec);
            String annId = ann.connect().get(5, TimeUnit.SECONDS).client();
            annSub.ready().get(5, TimeUnit.SECONDS);

            ClientSubscription bobSub = bob.subscribe("room:1", JOIN_LEAVE, new Recorder());
            String bobId = bob.connect().get(5, TimeUnit.SECONDS).client();
            bobSub.ready().get(5, TimeUnit.SECONDS);
            assertThat(bobSub.members()).containsKeys(annId, bobId); // from the subscribe reply

            await().atMost(Duration.ofSeconds(5)).until(() -> annRec.joins.stream().anyMatch(i -> i.client().equals(bobId)));
            assertThat(annSub.members()).containsKey(bobId);

            long clock = bobSub.setPresence(dev.chorus.protocol.Payload.ofJson("{\"cursor\":{\"x\":3,\"y\":9}}")).get(5, TimeUnit.SECONDS);
            assertThat(clock).isPositive();
            await().atMost(Duration.ofSeconds(5)).until(() -> !annRec.presence.isEmpty());
            ClientInfo changed = annRec.presence.get(0);
            assertThat(changed.client()).isEqualTo(bobId);
            assertThat(changed.state().jsonString()).isEqualTo("{\"cursor\":{\"x\":3,\"y\":9}}");
            assertThat(annSub.members().get(bobId).state()).isEqualTo(changed.state());

            Map<String, ClientInfo> present = annSub.presence().get(5, TimeUnit.SECONDS);
            assertThat(present).containsOnlyKeys(annId, bobId);
            assertThat(present.get(bobId).state().jsonString()).isEqualTo("{\"cursor\":{\"x\":3,\"y\":9}}");
            assertThat(annSub.presenceStats().get(5, TimeUnit.SECONDS)).isEqualTo(new PresenceStats(2, 1));

            bobSub.unsubscribe().get(5, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(5)).until(() -> annRec.leaves.stream().anyMatch(i -> i.client().equals(bobId)));
            assertThat(annSub.members()).containsOnlyKeys(annId);
            assertThat(bobSub.state()).isEqualTo(SubscriptionState.UNSUBSCRIBED);
            assertThat(bob.subscription("room:1")).isNull();
        }
    }

    @Test
    void aPresenceStateIsSetAgainAfterAReconnect() throws Exception {
        try (Chorus chorus = Servers.dev(); TcpProxy proxy = new TcpProxy(chorus.port());
             ChorusClient ann = Servers.client(chorus.port()).build();
             ChorusClient bob = Servers.client(proxy.port()).build()) {
            ClientSubscription annSub = ann.subscribe("room:2", JOIN_LEAVE, new Recorder());
            ann.connect().get(5, TimeUnit.SECONDS);
            annSub.ready().get(5, TimeUnit.SECONDS);
            ClientSubscription bobSub = bob.subscribe("room:2", JOIN_LEAVE, new Recorder());
            bob.connect().get(5, TimeUnit.SECONDS);
            bobSub.setPresence(Map.of("name", "bob")).get(5, TimeUnit.SECONDS);
            String firstId = bob.connection().client();

            proxy.cutAll();
            await().atMost(Duration.ofSeconds(5)).until(() -> bob.connection() != null && !bob.connection().client().equals(firstId));
            String secondId = bob.connection().client();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                Map<String, ClientInfo> present = annSub.presence().get(5, TimeUnit.SECONDS);
                assertThat(present).containsKey(secondId);
                assertThat(present.get(secondId).state()).isNotNull();
                assertThat(present.get(secondId).state().jsonString()).isEqualTo("{\"name\":\"bob\"}");
            });
        }
    }

    @Test
    void signalsAreThrottledOnTheClientAndTheLastValueIsDelivered() throws Exception {
        // the server would coalesce at 1000/s only: what limits the rate here is the client's 20 Hz
        var config = Servers.devConfig().namespace(NamespaceConfig.permissive("cursor").toBuilder().signalRate(1000).build()).build();
        try (Chorus chorus = Servers.start(config, b -> b); ChorusClient sender = Servers.client(chorus.port()).build();
             ChorusClient receiver = Servers.client(chorus.port()).build()) {
            Recorder got = new Recorder();
            ClientSubscription in = receiver.subscribe("cursor:doc", got);
            receiver.connect().get(5, TimeUnit.SECONDS);
            in.ready().get(5, TimeUnit.SECONDS);
            ClientSubscription out = sender.subscribe("cursor:doc", new Recorder());
            sender.connect().get(5, TimeUnit.SECONDS);
            out.ready().get(5, TimeUnit.SECONDS);

            long start = System.nanoTime();
            for (int i = 1; i <= 100; i++) {
                out.signal("cursor", Map.of("x", i));
                Thread.sleep(3);
            }
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            await().atMost(Duration.ofSeconds(5)).until(() -> !got.signals.isEmpty()
                    && got.signals.get(got.signals.size() - 1).jsonString().equals("{\"x\":100}"));
            Thread.sleep(200);
            List<Integer> xs = got.signals.stream().map(p -> p.tree().get("x").asInt()).toList();
            assertThat(xs).isSorted().doesNotHaveDuplicates();
            assertThat(xs.get(0)).isEqualTo(1); // the leading edge goes out at once
            assertThat(xs.get(xs.size() - 1)).isEqualTo(100); // the trailing edge: the last value
            // at most one per 50 ms interval, plus the leading and trailing ones
            assertThat(xs.size()).isBetween(3, (int) (elapsedMs / 50) + 3);
        }
    }
}
