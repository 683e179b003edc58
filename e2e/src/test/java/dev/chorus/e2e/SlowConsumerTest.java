package dev.chorus.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chorus.core.config.ChorusConfig;
import dev.chorus.core.config.Limits;
import dev.chorus.protocol.CloseCode;
import dev.chorus.protocol.Payload;
import dev.chorus.protocol.Push;
import dev.chorus.protocol.Request;
import dev.chorus.testkit.TestClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class SlowConsumerTest {
    private static final long LIMIT = 256 * 1024;
    private static final int N = 2000;

    private static ChorusConfig config(Duration closeTimeout) {
        return ChorusConfig.devDefaults().toBuilder()
                .limits(Limits.builder().maxOutboundBytes(LIMIT).closeTimeout(closeTimeout).build()).build();
    }

    /** 2,000 publications of ~8 KiB: 16 MiB in all, far past a paused client's socket buffers plus its limit. */
    private static void publishFirehose(TestClient publisher) throws Exception {
        String blob = "z".repeat(8 * 1024);
        CompletableFuture<?> last = null;
        for (int i = 1; i <= N; i++) {
            last = publisher.send(new Request.Publish(0, "firehose",
                    Payload.ofJson("{\"i\":" + i + ",\"blob\":\"" + blob + "\"}"), null));
            if (i % 100 == 0) {
                last.get();
            }
        }
        last.get();
    }

    private static void assertReceivesAll(TestClient fast) {
        for (int i = 1; i <= N; i++) {
            Push.Pub p = (Push.Pub) fast.awaitPush(x -> x instanceof Push.Pub, Duration.ofSeconds(20));
            assertThat(p.pub().offset()).isEqualTo(i);
        }
    }

    @Test
    void clientThatStopsReadingIsClosedWithItsCodeWhileAFastClientGetsEverything() throws Exception {
        // a close timeout longer than the test: the close frame waits behind the queued data until read
        try (ServerFixture server = ServerFixture.start(config(Duration.ofSeconds(60)), b -> b)) {
            TestClient fast = server.client();
            TestClient slow = server.client();
            fast.subscribe("firehose");
            slow.subscribe("firehose");
            slow.pauseReading();

            publishFirehose(server.client());
            assertReceivesAll(fast);
            slow.resumeReading();
            assertThat(slow.awaitClose(Duration.ofSeconds(20)).code()).isEqualTo(CloseCode.SLOW_CONSUMER.code());
            // the server still serves everyone else
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(server.chorus.node().sessionCount()).isEqualTo(2));
        }
    }

    @Test
    void clientThatNeverReadsAgainIsCutAndReleased() throws Exception {
        try (ServerFixture server = ServerFixture.start(config(Duration.ofMillis(300)), b -> b)) {
            TestClient fast = server.client();
            TestClient slow = server.client();
            fast.subscribe("firehose");
            slow.subscribe("firehose");
            slow.pauseReading();

            publishFirehose(server.client());
            assertReceivesAll(fast);
            // the stuck client holds no session (and so no queue) on the server any more
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(server.chorus.node().sessionCount()).isEqualTo(2));
            slow.resumeReading();
            assertThat(slow.awaitClose(Duration.ofSeconds(20)).code()).isEqualTo(1006);
        }
    }
}
