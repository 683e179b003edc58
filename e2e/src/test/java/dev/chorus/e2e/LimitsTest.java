package dev.chorus.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.core.config.ChorusConfig;
import dev.chorus.core.config.Limits;
import dev.chorus.core.config.NamespaceConfig;
import dev.chorus.protocol.ErrorCode;
import dev.chorus.protocol.Payload;
import dev.chorus.protocol.Reply;
import dev.chorus.protocol.Request;
import dev.chorus.testkit.TestClient;
import org.junit.jupiter.api.Test;

/** Each limit and rule answers with its documented error and changes nothing. */
class LimitsTest {

    @Test
    void subscriptionLimitPresenceStateSizeAndNamespaceRules() {
        ChorusConfig config = ChorusConfig.builder().host("127.0.0.1").port(0).allowAnonymous(true)
                .limits(Limits.builder().maxSubscriptions(3).maxPresenceStateSize(64).build())
                .namespace(NamespaceConfig.builder("").build())
                .namespace(NamespaceConfig.builder("doc").presence(true).joinLeave(true).historySize(10).build())
                .namespace(NamespaceConfig.builder("readonly").allowSubscribe(false).build())
                .build();
        try (ServerFixture server = ServerFixture.start(config, b -> b)) {
            TestClient c = server.client();
            assertThat(c.subscribe("doc:1").error()).isNull();
            assertThat(c.subscribe("doc:1").error().code()).isEqualTo(ErrorCode.ALREADY_SUBSCRIBED.code());
            assertThat(c.subscribe("doc:2").error()).isNull();
            assertThat(c.subscribe("plain").error()).isNull();
            Reply fourth = c.subscribe("doc:3");
            assertThat(fourth.error().code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED.code());

            Reply big = c.request(new Request.PresenceUpdate(0, "doc:1", Payload.ofJson("{\"s\":\"" + "x".repeat(100) + "\"}")));
            assertThat(big.error().code()).isEqualTo(ErrorCode.TOO_LARGE.code());
            assertThat(c.request(new Request.PresenceUpdate(0, "doc:1", Payload.ofJson("{\"s\":1}"))).error()).isNull();
            assertThat(c.request(new Request.PresenceUpdate(0, "doc:9", Payload.ofJson("{}"))).error().code())
                    .isEqualTo(ErrorCode.NOT_SUBSCRIBED.code());

            assertThat(c.request(new Request.Publish(0, "plain", Payload.ofJson("1"), null)).error().code())
                    .isEqualTo(ErrorCode.PERMISSION_DENIED.code());
            assertThat(c.request(new Request.History(0, "plain", null, -1, false)).error().code())
                    .isEqualTo(ErrorCode.NOT_AVAILABLE.code());
            assertThat(c.request(new Request.History(0, "doc:9", null, -1, false)).error().code())
                    .isEqualTo(ErrorCode.NOT_SUBSCRIBED.code());
            assertThat(c.request(new Request.Subscribe(0, "nope:1", null, false, false)).error().code())
                    .isEqualTo(ErrorCode.UNKNOWN_NAMESPACE.code());
            assertThat(c.request(new Request.Unsubscribe(0, "plain")).error()).isNull();
            assertThat(c.request(new Request.Subscribe(0, "readonly:x", null, false, false)).error().code())
                    .isEqualTo(ErrorCode.PERMISSION_DENIED.code());
            assertThat(c.request(new Request.Subscribe(0, "plain", null, false, true)).error().code())
                    .isEqualTo(ErrorCode.NOT_AVAILABLE.code());
            assertThat(c.request(new Request.Unsubscribe(0, "plain")).error().code()).isEqualTo(ErrorCode.NOT_SUBSCRIBED.code());
            // after all that, the presence holds exactly one entry with the accepted state
            var presence = Frames.result(c.request(new Request.Presence(0, "doc:1"))).get("clients");
            assertThat(presence.size()).isEqualTo(1);
            assertThat(presence.elements().next().get("state").get("s").asInt()).isEqualTo(1);
        }
    }

    @Test
    void publishesBeyondTheRequestQueueAreRefusedAloudEvenWithoutId() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        ChorusConfig config = ChorusConfig.devDefaults().toBuilder()
                .limits(Limits.builder().maxInflightRequests(2).build()).build();
        // a publish hook that holds the first publish: the ones behind it queue up
        try (ServerFixture server = ServerFixture.start(config, b -> b.onPublish((client, channel, data) -> {
            try {
                release.await(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return data;
        }))) {
            TestClient c = server.client();
            for (int i = 0; i < 6; i++) {
                // fire-and-forget: no id, so no reply would ever say what became of it
                c.sendRaw("{\"op\":\"publish\",\"channel\":\"q:1\",\"data\":{\"i\":" + i + "}}");
            }
            // 1 running + 2 queued; the other 3 are dropped, each with an error push
            for (int i = 0; i < 3; i++) {
                dev.chorus.protocol.Push.Error e = (dev.chorus.protocol.Push.Error) c.awaitPush(
                        p -> p instanceof dev.chorus.protocol.Push.Error, Frames.WAIT);
                assertThat(e.error().code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED.code());
                assertThat(e.error().message()).contains("publish dropped");
            }
            release.countDown();
            // the two queued publishes still fill the request queue for a moment: a subscribe sent
            // then is refused (106) like any request over the limit, so ask until the queue drained
            Reply sub = c.subscribe("q:1");
            for (int tries = 0; sub.error() != null && sub.error().code() == ErrorCode.LIMIT_EXCEEDED.code() && tries < 100; tries++) {
                Thread.sleep(20);
                sub = c.subscribe("q:1");
            }
            assertThat(sub.error()).isNull();
            var history = Frames.result(c.request(new Request.History(0, "q:1", null, -1, false))).get("publications");
            assertThat(history.size()).isEqualTo(3);
        }
    }
}
