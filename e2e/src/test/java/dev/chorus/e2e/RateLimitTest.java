package dev.chorus.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chorus.core.config.ChorusConfig;
import dev.chorus.core.config.Limits;
import dev.chorus.protocol.ErrorCode;
import dev.chorus.protocol.Reply;
import dev.chorus.protocol.Request;
import dev.chorus.testkit.TestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The per-connection token bucket: trips with 115, is reported in the metrics, and recovers. */
class RateLimitTest {

    @Test
    void aFloodIsRefusedWith115CountedAndTheClientRecovers() throws Exception {
        ChorusConfig config = ChorusConfig.devDefaults().toBuilder()
                .limits(Limits.builder().messageRate(20).messageBurst(10).build()).build();
        try (ServerFixture server = ServerFixture.start(config, b -> b)) {
            TestClient flooder = server.client(); // the connect took one token
            TestClient calm = server.client();
            List<CompletableFuture<Reply>> replies = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                replies.add(flooder.send(new Request.Ping(0)));
            }
            int ok = 0;
            int limited = 0;
            for (CompletableFuture<Reply> f : replies) {
                Reply r = f.get();
                if (r.error() == null) {
                    ok++;
                } else {
                    assertThat(r.error().code()).isEqualTo(ErrorCode.TOO_MANY_REQUESTS.code());
                    limited++;
                }
            }
            // 9 tokens were left of the burst, plus the few that refilled while the pings went out
            assertThat(ok).isBetween(9, 20);
            assertThat(limited).isEqualTo(60 - ok);
            assertThat(server.chorus.node().metrics().registry().get("chorus.rate.limited").counter().count()).isEqualTo(limited);

            // another client is not affected
            assertThat(calm.request(new Request.Ping(0)).error()).isNull();
            // after a pause the bucket has refilled
            await().pollDelay(Duration.ofMillis(600)).atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(flooder.request(new Request.Ping(0)).error()).isNull());
            assertThat(flooder.isClosed()).isFalse();
        }
    }
}
