package dev.chorus.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chorus.core.Chorus;
import dev.chorus.core.config.ChorusConfig;
import dev.chorus.protocol.Payload;
import dev.chorus.protocol.StreamPosition;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Recovery of missed publications after a cut connection, and the resync path after a restart. */
class RecoveryTest {

    private static void serverPublish(Chorus chorus, String channel, int from, int to) {
        for (int i = from; i <= to; i++) {
            chorus.publish(channel, Payload.ofValue(i)).toCompletableFuture().join();
        }
    }

    private static List<String> numbers(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(Integer::toString).toList();
    }

    @Test
    void afterTheConnectionIsCutEveryPublicationMadeMeanwhileArrivesOnceAndInOrder() throws Exception {
        try (Chorus chorus = Servers.dev(); TcpProxy proxy = new TcpProxy(chorus.port());
             ChorusClient client = Servers.client(proxy.port()).build()) {
            StatusRecorder status = new StatusRecorder();
            client.addListener(status);
            Recorder rec = new Recorder();
            ClientSubscription sub = client.subscribe("chat:recovery", rec);
            client.connect().get(5, java.util.concurrent.TimeUnit.SECONDS);
            sub.ready().get(5, java.util.concurrent.TimeUnit.SECONDS);

            serverPublish(chorus, "chat:recovery", 1, 3);
            await().atMost(Duration.ofSeconds(5)).until(() -> rec.publications.size() == 3);

            // two outages in a row, each with publications the client cannot see while it is away
            for (int round = 0; round < 2; round++) {
                int reconnectsBefore = status.connects.size();
                proxy.refuse(true);
                proxy.cutAll();
                await().atMost(Duration.ofSeconds(5)).until(() -> client.status() == ConnectionStatus.RECONNECTING);
                int from = 4 + round * 5;
                serverPublish(chorus, "chat:recovery", from, from + 4);
                proxy.refuse(false);
                await().atMost(Duration.ofSeconds(5)).until(() -> status.connects.size() == reconnectsBefore + 1);
                await().atMost(Duration.ofSeconds(5)).until(() -> rec.publications.size() == from + 4);
            }
            // and live delivery goes on after the recovery
            serverPublish(chorus, "chat:recovery", 14, 15);
            await().atMost(Duration.ofSeconds(5)).until(() -> rec.publications.size() >= 15);
            Thread.sleep(200); // a duplicate would arrive by now

            assertThat(rec.data()).containsExactlyElementsOf(numbers(1, 15));
            assertThat(rec.publications).extracting(p -> p.offset()).containsExactlyElementsOf(
                    IntStream.rangeClosed(1, 15).mapToObj(i -> (long) i).toList());
            assertThat(rec.resyncs).isEmpty();
            assertThat(rec.subscribed).hasSize(3);
            assertThat(rec.subscribed.subList(1, 3)).allSatisfy(e -> {
                assertThat(e.recovering()).isTrue();
                assertThat(e.recovered()).isTrue();
            });
            assertThat(sub.position().offset()).isEqualTo(15);
            assertThat(proxy.accepted()).isEqualTo(3);
        }
    }

    @Test
    void afterARestartWithHistoryGoneTheSubscriptionResyncsAndGoesOn() throws Exception {
        ChorusConfig config = Servers.devConfig().build();
        Chorus first = Servers.start(config, b -> b);
        int port = first.port();
        Chorus second = null;
        try (ChorusClient client = Servers.client(port).build()) {
            StatusRecorder status = new StatusRecorder();
            client.addListener(status);
            Recorder rec = new Recorder();
            ClientSubscription sub = client.subscribe("news:restart", rec);
            client.connect().get(5, java.util.concurrent.TimeUnit.SECONDS);
            sub.ready().get(5, java.util.concurrent.TimeUnit.SECONDS);
            serverPublish(first, "news:restart", 1, 2);
            await().atMost(Duration.ofSeconds(5)).until(() -> rec.publications.size() == 2);
            StreamPosition before = sub.position();

            first.close();
            await().atMost(Duration.ofSeconds(5)).until(() -> client.status() == ConnectionStatus.RECONNECTING);
            second = Servers.start(config.toBuilder().port(port).build(), b -> b);

            await().atMost(Duration.ofSeconds(10)).until(() -> rec.resyncs.size() == 1);
            StreamPosition after = rec.resyncs.get(0);
            assertThat(after.epoch()).isNotEqualTo(before.epoch());
            assertThat(after.offset()).isZero();
            assertThat(rec.subscribed.get(rec.subscribed.size() - 1).recovered()).isFalse();
            assertThat(status.disconnects.get(0).code()).isIn(4000, 1006);

            // the first publication of the new epoch is not mistaken for a duplicate of offset 1
            serverPublish(second, "news:restart", 100, 100);
            await().atMost(Duration.ofSeconds(5)).until(() -> rec.publications.size() == 3);
            assertThat(rec.order).containsExactly("pub:1", "pub:2", "resync", "pub:100");
            assertThat(sub.position()).isEqualTo(new StreamPosition(1, after.epoch()));
        } finally {
            first.close();
            if (second != null) {
                second.close();
            }
        }
    }
}
