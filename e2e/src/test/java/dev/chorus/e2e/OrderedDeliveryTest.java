package dev.chorus.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.protocol.Format;
import dev.chorus.protocol.Payload;
import dev.chorus.protocol.Push;
import dev.chorus.protocol.Reply;
import dev.chorus.testkit.TestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class OrderedDeliveryTest {

    @Test
    void manyPublicationsReachManySubscribersInOffsetOrder() throws Exception {
        int subscribers = 20;
        int publications = 1000;
        try (ServerFixture server = ServerFixture.dev()) {
            List<TestClient> subs = new ArrayList<>();
            for (int i = 0; i < subscribers; i++) {
                TestClient c = server.client(i % 2 == 0 ? Format.JSON : Format.MSGPACK);
                assertThat(c.subscribe("feed").error()).isNull();
                subs.add(c);
            }
            TestClient publisher = server.client();
            List<CompletableFuture<Reply>> replies = new ArrayList<>();
            for (int i = 1; i <= publications; i++) {
                replies.add(publisher.send(new dev.chorus.protocol.Request.Publish(0, "feed", Payload.ofJson("{\"n\":" + i + "}"), null)));
            }
            long lastOffset = 0;
            for (CompletableFuture<Reply> f : replies) {
                Reply r = f.get();
                assertThat(r.error()).isNull();
            }
            for (TestClient c : subs) {
                List<Push.Pub> got = new ArrayList<>();
                for (int i = 0; i < publications; i++) {
                    Push p = c.awaitPush(x -> x instanceof Push.Pub, Duration.ofSeconds(20));
                    got.add((Push.Pub) p);
                }
                lastOffset = 0;
                for (int i = 0; i < publications; i++) {
                    Push.Pub p = got.get(i);
                    assertThat(p.channel()).isEqualTo("feed");
                    assertThat(p.pub().offset()).isEqualTo(lastOffset + 1);
                    lastOffset = p.pub().offset();
                    assertThat(p.pub().data().tree().get("n").asInt()).isEqualTo(i + 1);
                }
            }
        }
    }
}
