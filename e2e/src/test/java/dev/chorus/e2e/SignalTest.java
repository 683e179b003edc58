package dev.chorus.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.protocol.Payload;
import dev.chorus.protocol.Push;
import dev.chorus.protocol.Request;
import dev.chorus.testkit.TestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignalTest {

    @Test
    void sixtyHertzCursorsArriveAtMostAtTwentyHertzAndEndWithTheLastValue() throws Exception {
        try (ServerFixture server = ServerFixture.dev()) {
            TestClient sender = server.client();
            TestClient receiver = server.client();
            sender.subscribe("board");
            receiver.subscribe("board");

            int sent = 120; // two seconds at 60 Hz
            long start = System.nanoTime();
            for (int i = 1; i <= sent; i++) {
                sender.send(new Request.Signal(0, "board", "cursor", Payload.ofJson("{\"x\":" + i + "}")));
                Thread.sleep(1000 / 60);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            List<Long> arrivals = new ArrayList<>();
            List<Integer> values = new ArrayList<>();
            while (true) {
                Push p;
                try {
                    p = receiver.awaitPush(x -> x instanceof Push.Signal, Duration.ofMillis(600));
                } catch (AssertionError | RuntimeException timeout) {
                    break;
                }
                arrivals.add(System.nanoTime());
                values.add(((Push.Signal) p).data().tree().get("x").asInt());
            }
            assertThat(values).isNotEmpty();
            assertThat(values.get(values.size() - 1)).isEqualTo(sent);
            assertThat(values).isSorted();
            // at most 20 fan-outs per second of input, plus the trailing edge after the last one
            int ceiling = (int) Math.ceil(seconds * 20) + 1;
            assertThat(values.size()).isLessThanOrEqualTo(ceiling).isGreaterThanOrEqualTo(10);
            // the sender itself never gets its own signals back
            assertThat(sender.pushes()).noneMatch(p -> p instanceof Push.Signal);
        }
    }
}
