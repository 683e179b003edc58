package dev.chorus.e2e;

import dev.chorus.protocol.Payload;
import dev.chorus.protocol.Push;
import dev.chorus.protocol.Reply;
import dev.chorus.protocol.Request;
import dev.chorus.protocol.StreamPosition;
import dev.chorus.testkit.TestClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Small helpers over TestClient for the e2e tests. */
final class Frames {
    static final Duration WAIT = Duration.ofSeconds(10);

    private Frames() {
    }

    /** The next push of a type, skipping others (pings and the like). */
    static <T extends Push> T next(TestClient c, Class<T> type) {
        return type.cast(c.awaitPush(type::isInstance, WAIT));
    }

    /** The next {@code n} publications of a channel. */
    static List<Push.Pub> pubs(TestClient c, String channel, int n) {
        List<Push.Pub> out = new ArrayList<>(n);
        while (out.size() < n) {
            Push.Pub p = (Push.Pub) c.awaitPush(x -> x instanceof Push.Pub pub && pub.channel().equals(channel), WAIT);
            out.add(p);
        }
        return out;
    }

    static Payload json(String text) {
        return Payload.ofJson(text);
    }

    static Reply publish(TestClient c, String channel, String json) {
        return c.request(new Request.Publish(0, channel, Payload.ofJson(json), null));
    }

    static Reply publish(TestClient c, String channel, String json, String key) {
        return c.request(new Request.Publish(0, channel, Payload.ofJson(json), key));
    }

    /** The result object of a successful reply. */
    static JsonNode result(Reply r) {
        if (r.error() != null) {
            throw new AssertionError("expected a result, got error " + r.error());
        }
        return ((dev.chorus.protocol.Result.Raw) r.result()).value().tree();
    }

    static StreamPosition position(Reply r) {
        JsonNode res = result(r);
        return new StreamPosition(res.path("offset").asLong(0), res.path("epoch").asText(""));
    }
}
