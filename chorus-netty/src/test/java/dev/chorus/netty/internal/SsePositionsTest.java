package dev.chorus.netty.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chorus.protocol.StreamPosition;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SsePositionsTest {

    @Test
    void roundTripsEveryChannelAndIsUrlSafe() {
        Map<String, StreamPosition> p = new LinkedHashMap<>();
        p.put("chat:a/b+c", new StreamPosition(42, "9f3a1c2e"));
        p.put("news", new StreamPosition(0, ""));
        String id = SsePositions.encode(p);
        assertThat(id).matches("[A-Za-z0-9_-]+");
        assertThat(SsePositions.decode(id)).containsExactlyEntriesOf(p);
        assertThat(new String(Base64.getUrlDecoder().decode(id), StandardCharsets.UTF_8))
                .isEqualTo("{\"chat:a/b+c\":[42,\"9f3a1c2e\"],\"news\":[0,\"\"]}");
    }

    @Test
    void refusesIdsItDidNotWrite() {
        for (String bad : new String[] {"%%%", "bm90IGpzb24", enc("[1,2]"), enc("{\"a\":[1]}"), enc("{\"a\":[-1,\"e\"]}"),
                enc("{\"a\":[1.5,\"e\"]}"), enc("{\"a\":[1,2]}"), enc("{\"a\":\"x\"}"), "a".repeat(SsePositions.MAX_ENCODED + 1)}) {
            assertThatThrownBy(() -> SsePositions.decode(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static String enc(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
