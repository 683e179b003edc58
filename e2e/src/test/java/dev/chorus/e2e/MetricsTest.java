package dev.chorus.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.protocol.Push;
import dev.chorus.protocol.Request;
import dev.chorus.testkit.TestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A scrape of {@code /metrics} after known traffic holds the counters with the right values. */
class MetricsTest {

    private static double value(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(scrape);
        if (!m.find()) {
            throw new AssertionError("no series " + series + " in\n" + scrape);
        }
        return Double.parseDouble(m.group(1));
    }

    @Test
    void countersAfterTraffic() throws Exception {
        try (ServerFixture server = ServerFixture.dev()) {
            TestClient a = server.client();
            TestClient b = server.client();
            TestClient c = server.client();
            a.subscribe("m:1");
            b.subscribe("m:1");
            for (int i = 0; i < 5; i++) {
                assertThat(c.publish("m:1", Frames.json("{\"i\":" + i + "}")).error()).isNull();
            }
            Frames.pubs(a, "m:1", 5);
            Frames.pubs(b, "m:1", 5);
            // two errors of known codes: an unknown op (104) and a bad channel name (111)
            c.sendRaw("{\"id\":99,\"op\":\"nope\"}");
            c.awaitReply(99, Frames.WAIT);
            assertThat(c.request(new Request.Subscribe(0, "bad channel", null, false, false)).error().code()).isEqualTo(111);

            HttpResponse<String> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.chorus.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(res.statusCode()).isEqualTo(200);
            assertThat(res.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
            String s = res.body();
            assertThat(value(s, "chorus_connections")).isEqualTo(3);
            assertThat(value(s, "chorus_subscriptions")).isEqualTo(2);
            assertThat(value(s, "chorus_connects_total")).isEqualTo(3);
            assertThat(value(s, "chorus_messages_in_total{op=\"publish\"}")).isEqualTo(5);
            assertThat(value(s, "chorus_messages_in_total{op=\"connect\"}")).isEqualTo(3);
            assertThat(value(s, "chorus_messages_in_total{op=\"invalid\"}")).isEqualTo(1);
            assertThat(value(s, "chorus_messages_out_total{kind=\"pub\"}")).isEqualTo(10);
            assertThat(value(s, "chorus_errors_total{code=\"104\"}")).isEqualTo(1);
            assertThat(value(s, "chorus_errors_total{code=\"111\"}")).isEqualTo(1);
            assertThat(value(s, "chorus_publish_deliver_latency_seconds_count")).isEqualTo(5);
            assertThat(value(s, "chorus_bytes_out_total")).isPositive();
            assertThat(value(s, "chorus_bytes_in_total")).isPositive();
            assertThat(value(s, "chorus_slow_consumer_closes_total")).isZero();
        }
    }
}
