package dev.chorus.e2e;

import static dev.chorus.e2e.Frames.position;
import static dev.chorus.e2e.Frames.publish;
import static dev.chorus.e2e.Frames.result;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chorus.core.broker.MemoryBroker;
import dev.chorus.core.config.ChorusConfig;
import dev.chorus.core.config.NamespaceConfig;
import dev.chorus.protocol.Push;
import dev.chorus.protocol.Reply;
import dev.chorus.protocol.StreamPosition;
import dev.chorus.testkit.TestClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecoveryTest {

    private static ChorusConfig config() {
        return ChorusConfig.devDefaults().toBuilder()
                .namespace(NamespaceConfig.builder("room").historySize(50).historyTtl(Duration.ofMinutes(5)).allowPublish(true).build())
                .build();
    }

    @Test
    void resubscribingWithLastPositionReturnsExactlyTheMissedPublicationsInOrder() {
        try (ServerFixture server = ServerFixture.start(config(), b -> b)) {
            TestClient publisher = server.client();
            TestClient sub = server.client();
            Reply subscribed = sub.subscribe("room:1");
            StreamPosition start = position(subscribed);
            assertThat(start.offset()).isZero();
            for (int i = 1; i <= 5; i++) {
                publish(publisher, "room:1", "{\"n\":" + i + "}");
            }
            List<Push.Pub> seen = Frames.pubs(sub, "room:1", 5);
            StreamPosition last = seen.get(4).pub().position();
            sub.close();

            int missed = 20;
            for (int i = 6; i < 6 + missed; i++) {
                publish(publisher, "room:1", "{\"n\":" + i + "}");
            }
            TestClient back = server.client();
            Reply again = back.subscribe("room:1", last);
            JsonNode res = result(again);
            assertThat(res.get("recovered").asBoolean()).isTrue();
            assertThat(res.get("recovering").asBoolean()).isTrue();
            JsonNode pubs = res.get("publications");
            assertThat(pubs).hasSize(missed);
            for (int i = 0; i < missed; i++) {
                assertThat(pubs.get(i).get("offset").asLong()).isEqualTo(last.offset() + 1 + i);
                assertThat(pubs.get(i).get("data").get("n").asInt()).isEqualTo(6 + i);
            }
            assertThat(res.get("offset").asLong()).isEqualTo(last.offset() + missed);

            // and the live stream continues right after, without a duplicate
            publish(publisher, "room:1", "{\"n\":999}");
            Push.Pub next = Frames.pubs(back, "room:1", 1).get(0);
            assertThat(next.pub().offset()).isEqualTo(last.offset() + missed + 1);
        }
    }

    @Test
    void gapBeyondHistoryIsNotRecovered() {
        try (ServerFixture server = ServerFixture.start(config(), b -> b)) {
            TestClient publisher = server.client();
            StreamPosition first = position(publish(publisher, "room:2", "{\"n\":1}"));
            for (int i = 2; i <= 80; i++) {
                publish(publisher, "room:2", "{\"n\":" + i + "}");
            }
            TestClient back = server.client();
            JsonNode res = result(back.subscribe("room:2", first));
            assertThat(res.get("recovered").asBoolean()).isFalse();
            assertThat(res.get("publications")).isEmpty();
            assertThat(res.get("offset").asLong()).isEqualTo(80);
        }
    }

    @Test
    void unknownEpochIsNotRecovered() {
        MemoryBroker broker = new MemoryBroker();
        try (ServerFixture server = ServerFixture.start(config(), b -> b.broker(broker))) {
            TestClient publisher = server.client();
            StreamPosition p = position(publish(publisher, "room:3", "{\"n\":1}"));
            publish(publisher, "room:3", "{\"n\":2}");
            // the stream is lost (as when a broker restarts without persistence): new epoch
            broker.removeHistory("room:3").toCompletableFuture().join();
            publish(publisher, "room:3", "{\"n\":3}");

            TestClient back = server.client();
            JsonNode res = result(back.subscribe("room:3", p));
            assertThat(res.get("recovered").asBoolean()).isFalse();
            assertThat(res.get("epoch").asText()).isNotEqualTo(p.epoch());

            TestClient other = server.client();
            JsonNode res2 = result(other.subscribe("room:3", new StreamPosition(1, "no-such-epoch")));
            assertThat(res2.get("recovered").asBoolean()).isFalse();
        }
    }

    @Test
    void withoutHistoryARecoveringSubscribeIsNeverRecovered() {
        ChorusConfig config = ChorusConfig.devDefaults().toBuilder()
                .namespace(NamespaceConfig.builder("live").allowPublish(true).build()).build();
        try (ServerFixture server = ServerFixture.start(config, b -> b)) {
            TestClient sub = server.client();
            JsonNode first = result(sub.subscribe("live:1"));
            StreamPosition at = new StreamPosition(first.get("offset").asLong(), first.get("epoch").asText());
            sub.unsubscribe("live:1");
            // a publication the client misses: nothing kept it, so the server cannot say "nothing missed"
            publish(server.client(), "live:1", "{\"n\":1}");
            JsonNode again = result(sub.subscribe("live:1", at));
            assertThat(again.get("recovering").asBoolean()).isTrue();
            assertThat(again.get("recovered").asBoolean()).isFalse();
        }
    }

    @Test
    void aLiveSubscriberOfALostStreamIsToldToResubscribeAndThenResyncs() {
        MemoryBroker broker = new MemoryBroker();
        try (ServerFixture server = ServerFixture.start(config(), b -> b.broker(broker))) {
            TestClient sub = server.client();
            sub.subscribe("room:lost");
            TestClient publisher = server.client();
            publish(publisher, "room:lost", "{\"n\":1}");
            publish(publisher, "room:lost", "{\"n\":2}");
            Push.Pub second = Frames.pubs(sub, "room:lost", 2).get(1);
            broker.removeHistory("room:lost").toCompletableFuture().join();
            publish(publisher, "room:lost", "{\"n\":3}");
            // offsets start again under a new epoch: not delivered as if nothing happened
            Push.Unsubscribed unsub = (Push.Unsubscribed) sub.awaitPush(p -> p instanceof Push.Unsubscribed, Frames.WAIT);
            assertThat(unsub.code()).isEqualTo(4102);
            assertThat(unsub.resubscribe()).isTrue();
            JsonNode again = result(sub.subscribe("room:lost", new StreamPosition(second.pub().offset(), second.pub().epoch())));
            assertThat(again.get("recovered").asBoolean()).isFalse();
            assertThat(again.get("epoch").asText()).isNotEqualTo(second.pub().epoch());
            assertThat(sub.pushes()).filteredOn(p -> p instanceof Push.Pub).hasSize(2);
        }
    }

    @Test
    void idempotentRetryIsStoredOnceWithTheSameOffset() {
        try (ServerFixture server = ServerFixture.start(config(), b -> b)) {
            TestClient publisher = server.client();
            TestClient sub = server.client();
            sub.subscribe("room:4");
            StreamPosition a = position(publish(publisher, "room:4", "{\"text\":\"hi\"}", "msg-1"));
            StreamPosition b = position(publish(publisher, "room:4", "{\"text\":\"hi\"}", "msg-1"));
            StreamPosition c = position(publish(publisher, "room:4", "{\"text\":\"other\"}", "msg-2"));
            assertThat(b).isEqualTo(a);
            assertThat(c.offset()).isEqualTo(a.offset() + 1);

            List<Push.Pub> got = Frames.pubs(sub, "room:4", 2);
            assertThat(got).extracting(p -> p.pub().offset()).containsExactly(a.offset(), c.offset());
            JsonNode history = result(sub.request(new dev.chorus.protocol.Request.History(0, "room:4", null, -1, false)));
            assertThat(history.get("publications")).hasSize(2);
        }
    }
}
