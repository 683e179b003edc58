package dev.chorus.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code @hocuspocus/provider} 4.x (npm, driven by Node) against {@code /hocuspocus}, alone and next to y-websocket. */
class HocuspocusTest {
    private static ServerFixture server;

    @BeforeAll
    static void start() {
        NodeClients.ensureInstalled();
        server = ServerFixture.start(YjsWebsocketTest.config(), b -> b);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void twoDocumentsOnOneSocketTokenAuthReadOnlyScopeSyncStatusAndStateless() throws Exception {
        Map<String, Object> r = NodeClients.scenario("hocuspocus", Map.of("url", YjsWebsocketTest.url(server),
                "doc1", "hp-one", "doc2", "hp-two", "doc3", "hp-three",
                "writeToken", YjsWebsocketTest.writeToken(), "readToken", YjsWebsocketTest.readToken()));
        assertThat((String) r.get("bad")).contains("invalid token");
        Map<String, Object> one = YjsWebsocketTest.serverContent(server, "hp-one");
        assertThat(one.get("text")).isEqualTo("first document");
        assertThat(YjsWebsocketTest.serverContent(server, "hp-two").get("map")).isEqualTo(Map.of("second", "document", "later", 2.0));
        assertThat(YjsWebsocketTest.normalize(r.get("doc1"))).isEqualTo(one);
    }

    @Test
    void aHocuspocusProviderAndAYWebsocketClientInTheSameDocumentConverge() throws Exception {
        Map<String, Object> r = NodeClients.scenario("mixed", Map.of("url", YjsWebsocketTest.url(server), "room", "mixed"));
        Map<String, Object> content = YjsWebsocketTest.serverContent(server, "mixed");
        assertThat(YjsWebsocketTest.normalize(r.get("content"))).isEqualTo(content);
        // each client's last edit is in (the text's inserts land at random places, so the map tells)
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) content.get("map");
        assertThat(((Number) map.get("k0")).intValue()).isEqualTo(19);
        assertThat(((Number) map.get("k1")).intValue()).isEqualTo(19);
    }
}
