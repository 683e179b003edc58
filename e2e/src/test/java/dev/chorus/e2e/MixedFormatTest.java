package dev.chorus.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.protocol.Format;
import dev.chorus.protocol.Payload;
import dev.chorus.protocol.Push;
import dev.chorus.protocol.Request;
import dev.chorus.testkit.TestClient;
import java.util.List;
import org.junit.jupiter.api.Test;

class MixedFormatTest {

    @Test
    void jsonAndMessagePackClientsSeeTheSameData() {
        try (ServerFixture server = ServerFixture.dev()) {
            TestClient json = server.client(Format.JSON);
            TestClient msgpack = server.client(Format.MSGPACK);
            json.subscribe("mixed");
            msgpack.subscribe("mixed");
            Payload a = Payload.ofJson("{\"from\":\"json\",\"n\":1.5,\"list\":[true,null,\"ü\"],\"big\":9007199254740991}");
            Payload b = Payload.ofJson("{\"from\":\"msgpack\",\"nested\":{\"x\":-3,\"y\":[]}}");
            assertThat(json.request(new Request.Publish(0, "mixed", a, null)).error()).isNull();
            assertThat(msgpack.request(new Request.Publish(0, "mixed", b, null)).error()).isNull();

            List<Push.Pub> viaJson = Frames.pubs(json, "mixed", 2);
            List<Push.Pub> viaMsgpack = Frames.pubs(msgpack, "mixed", 2);
            assertThat(viaJson).extracting(p -> p.pub().data()).containsExactly(a, b);
            assertThat(viaMsgpack).extracting(p -> p.pub().data()).containsExactly(a, b);
            assertThat(viaJson).extracting(p -> p.pub().offset()).containsExactly(1L, 2L);
            assertThat(viaMsgpack).extracting(p -> p.pub().offset()).containsExactly(1L, 2L);
            assertThat(viaJson.get(0).pub().info().client()).isEqualTo(viaMsgpack.get(0).pub().info().client());
        }
    }
}
