package dev.chorus.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.chorus.core.Chorus;
import dev.chorus.core.config.NamespaceConfig;
import dev.chorus.core.hooks.HookRejection;
import dev.chorus.protocol.Payload;
import dev.chorus.protocol.StreamPosition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Publishing with idempotency keys across reconnects, refusals, and RPC. */
class PublishTest {

    @Test
    void anOptimisticPublishWhoseReplyIsLostIsStoredOnceAndConfirmedOnce() throws Exception {
        try (Chorus chorus = Servers.dev(); TcpProxy proxy = new TcpProxy(chorus.port());
             ChorusClient publisher = Servers.client(proxy.port()).build();
             ChorusClient observer = Servers.client(chorus.port()).build()) {
            Recorder seen = new Recorder();
            ClientSubscription watch = observer.subscribe("chat:once", seen);
            observer.connect().get(5, TimeUnit.SECONDS);
            watch.ready().get(5, TimeUnit.SECONDS);
            publisher.connect().get(5, TimeUnit.SECONDS);

            proxy.holdDownstream(); // the server's reply will not reach the publisher
            List<StreamPosition> confirmations = new CopyOnWriteArrayList<>();
            CompletableFuture<StreamPosition> f = publisher.publish("chat:once", Map.of("text", "exactly once"));
            f.thenAccept(confirmations::add);

            await().atMost(Duration.ofSeconds(5)).until(() -> seen.publications.size() == 1); // stored
            Thread.sleep(100);
            assertThat(f).isNotDone();

            proxy.cutAll(); // the reply is lost with the connection; the client retries with the same key
            StreamPosition confirmed = f.get(5, TimeUnit.SECONDS);
            Thread.sleep(300);

            assertThat(confirmations).containsExactly(confirmed);
            assertThat(confirmed).isEqualTo(seen.publications.get(0).position());
            HistoryResult history = watch.history(HistoryOptions.all()).get(5, TimeUnit.SECONDS);
            assertThat(history.publications()).hasSize(1);
            assertThat(history.publications().get(0).data().jsonString()).isEqualTo("{\"text\":\"exactly once\"}");
            assertThat(seen.publications).hasSize(1);
            assertThat(proxy.accepted()).isEqualTo(2);
        }
    }

    @Test
    void aPublishMadeWhileOfflineGoesOutOnceConnected() throws Exception {
        try (Chorus chorus = Servers.dev(); ChorusClient client = Servers.client(chorus.port()).build()) {
            CompletableFuture<StreamPosition> f = client.publish("chat:later", "hello");
            Thread.sleep(100);
            assertThat(f).isNotDone();
            client.connect();
            assertThat(f.get(5, TimeUnit.SECONDS).offset()).isEqualTo(1);
        }
    }

    @Test
    void aRefusedPublishFailsWithTheServersCode() throws Exception {
        var config = Servers.devConfig().namespace(NamespaceConfig.builder("readonly").historySize(10).build()).build();
        try (Chorus chorus = Servers.start(config, b -> b); ChorusClient client = Servers.client(chorus.port()).build()) {
            client.connect().get(5, TimeUnit.SECONDS);
            CompletableFuture<StreamPosition> f = client.publish("readonly:x", 1);
            assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(ChorusException.class, e -> assertThat(e.code()).isEqualTo(103));
        }
    }

    @Test
    void rpcReachesTheRegisteredMethodAndReportsRefusals() throws Exception {
        try (Chorus chorus = Servers.start(Servers.devConfig().build(), b -> b
                .rpc("sum", (ctx, data) -> Payload.ofValue(data.tree().get("a").asInt() + data.tree().get("b").asInt()))
                .rpc("deny", (ctx, data) -> {
                    throw new HookRejection("not today");
                }));
             ChorusClient client = Servers.client(chorus.port()).build()) {
            client.connect().get(5, TimeUnit.SECONDS);
            assertThat(client.rpc("sum", Map.of("a", 2, "b", 40)).get(5, TimeUnit.SECONDS).jsonString()).isEqualTo("42");
            assertThatThrownBy(() -> client.rpc("deny", null).get(5, TimeUnit.SECONDS)).cause()
                    .isInstanceOfSatisfying(ChorusException.class, e -> {
                        assertThat(e.code()).isEqualTo(117);
                        assertThat(e.getMessage()).contains("not today");
                    });
            assertThatThrownBy(() -> client.rpc("missing", null).get(5, TimeUnit.SECONDS)).cause()
                    .isInstanceOfSatisfying(ChorusException.class, e -> assertThat(e.code()).isEqualTo(114));
        }
    }

    @Test
    void aMessagePackClientAndAJsonClientShareAChannel() throws Exception {
        try (Chorus chorus = Servers.dev();
             ChorusClient packed = Servers.client(chorus.port()).format(dev.chorus.protocol.Format.MSGPACK).build();
             ChorusClient json = Servers.client(chorus.port()).build()) {
            Recorder atPacked = new Recorder();
            ClientSubscription sub = packed.subscribe("mixed:1", atPacked);
            packed.connect().get(5, TimeUnit.SECONDS);
            sub.ready().get(5, TimeUnit.SECONDS);
            json.connect().get(5, TimeUnit.SECONDS);
            json.publish("mixed:1", dev.chorus.protocol.Payload.ofJson("{\"n\":1,\"s\":\"é\"}")).get(5, TimeUnit.SECONDS);
            StreamPosition own = packed.publish("mixed:1", List.of(true, 2.5)).get(5, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(5)).until(() -> atPacked.publications.size() == 2);
            assertThat(atPacked.data()).containsExactly("{\"n\":1,\"s\":\"é\"}", "[true,2.5]");
            assertThat(own.offset()).isEqualTo(2);
        }
    }

    @Test
    void aPublishRefusedTemporarilyIsRetriedUntilItIsStored() throws Exception {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        try (Chorus chorus = Servers.start(Servers.devConfig().build(), b -> b.onPublish((ctx, channel, data) -> {
            if (calls.incrementAndGet() <= 2) {
                throw new HookRejection(dev.chorus.protocol.ErrorCode.INTERNAL, "busy, try again");
            }
            return data;
        })); ChorusClient client = Servers.client(chorus.port()).build()) {
            client.connect().get(5, TimeUnit.SECONDS);
            StreamPosition pos = client.publish("chat:retry", "persistent").get(5, TimeUnit.SECONDS);
            assertThat(calls.get()).isEqualTo(3);
            assertThat(pos.offset()).isEqualTo(1);
        }
    }
}
