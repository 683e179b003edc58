package dev.chorus.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.core.auth.AuthConfig;
import dev.chorus.core.config.ChorusConfig;
import dev.chorus.yjs.Doc;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Stock {@code y-websocket} 3.x clients (npm, driven by Node) against {@code /yjs/<room>}. */
class YjsWebsocketTest {
    private static ServerFixture server;

    @BeforeAll
    static void start() {
        NodeClients.ensureInstalled();
        server = ServerFixture.start(config(), b -> b);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Dev mode (anonymous clients read and write) with token authentication on. */
    static ChorusConfig config() {
        return ChorusConfig.devDefaults().toBuilder().auth(AuthConfig.builder().hmacSecret(Tokens.SECRET).build()).build();
    }

    static String url(ServerFixture s) {
        return "ws://127.0.0.1:" + s.chorus.port();
    }

    static String writeToken() {
        return Tokens.connect("writer", Duration.ofHours(1), Map.of("subscribe", List.of("doc:*"), "publish", List.of("doc:*")));
    }

    static String readToken() {
        return Tokens.connect("reader", Duration.ofHours(1), Map.of("subscribe", List.of("doc:*"), "publish", List.of()));
    }

    static Map<String, Object> serverJson(String room) throws Exception {
        return server.chorus.documents().json(room).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** JSON values with every number as a double: yjs writes integers, Jackson and chorus-yjs read them differently. */
    @SuppressWarnings("unchecked")
    static Object normalize(Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new java.util.TreeMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), normalize(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            return l.stream().map(YjsWebsocketTest::normalize).toList();
        }
        return v;
    }

    /** The scenario's roots as the server holds them, read through a chorus-yjs replica of the server's state. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> serverContent(ServerFixture s, String room) throws Exception {
        byte[] state = s.chorus.documents().stateAsUpdate(room, null).toCompletableFuture().get(10, TimeUnit.SECONDS);
        Doc d = new Doc();
        d.applyUpdate(state);
        return (Map<String, Object>) normalize(Map.of("text", d.getText("text").toString(), "map", d.getMap("map").toJSON(),
                "array", d.getArray("array").toJSON(), "xml", d.getXmlFragment("xml").toString()));
    }

    @Test
    void concurrentEditorsConvergeAnOfflineEditMergesAndAFreshClientLoadsTheSameState() throws Exception {
        Map<String, Object> r = NodeClients.scenario("converge", Map.of("url", url(server), "room", "converge"));
        @SuppressWarnings("unchecked")
        Map<String, Object> content = (Map<String, Object>) normalize(r.get("content"));
        assertThat(normalize(r.get("fresh"))).isEqualTo(content);
        assertThat((String) content.get("text")).startsWith("offline-edit ");
        assertThat(content.get("map")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("k0", 29.0).containsEntry("k1", 29.0).containsEntry("k2", 29.0).containsEntry("offline", true);
        assertThat(serverContent(server, "converge")).isEqualTo(content);
        Map<String, Object> json = serverJson("converge");
        assertThat(json.get("text")).isEqualTo(content.get("text"));
        assertThat(normalize(json.get("map"))).isEqualTo(content.get("map"));
        // the update the fresh client holds applies to a chorus-yjs replica with the same result
        Doc fromNode = new Doc();
        fromNode.applyUpdate(Base64.getDecoder().decode((String) r.get("update")));
        assertThat(fromNode.getText("text").toString()).isEqualTo(content.get("text"));
    }

    @Test
    void awarenessAppearsAtTheOthersAndIsRemovedWhenTheClientGoes() {
        Map<String, Object> r = NodeClients.scenario("awareness", Map.of("url", url(server), "room", "aware"));
        assertThat(r).containsEntry("removed", true).containsEntry("bSeesItself", true);
    }

    @Test
    void readOnlyClientsWritesAreRefusedWithPermissionDeniedAndChangeNothing() throws Exception {
        Map<String, Object> r = NodeClients.scenario("readOnly", Map.of("url", url(server), "room", "ro",
                "writeToken", writeToken(), "readToken", readToken()));
        assertThat((String) r.get("denied")).contains("read-only access to document 'ro'");
        Map<String, Object> content = serverContent(server, "ro");
        assertThat(content.get("text")).isEqualTo("by the writer");
        assertThat(content.get("map")).isEqualTo(Map.of("after", 1.0));
    }

    @Test
    void malformedMessagesCloseOnlyTheSenderAndLeaveTheDocumentUnchanged() throws Exception {
        Map<String, Object> r = NodeClients.scenario("malformed", Map.of("url", url(server), "room", "bad"));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> results = (Map<String, Map<String, Object>>) r.get("results");
        assertThat(results).containsOnlyKeys("badUpdate", "unknownType", "truncated", "badSyncStep", "text");
        results.forEach((name, closed) -> assertThat(closed.get("code")).as(name).isEqualTo(4003));
        assertThat((String) results.get("badUpdate").get("reason")).contains("invalid Yjs update");
        assertThat((String) results.get("unknownType").get("reason")).contains("unknown message type 42");
        assertThat(serverContent(server, "bad").get("text")).isEqualTo("intact and well");
    }

    @Test
    void refusedClientsGetAnHttpErrorInsteadOfAWebSocket() throws Exception {
        ChorusConfig strict = ChorusConfig.builder().host("127.0.0.1").port(0)
                .auth(AuthConfig.builder().hmacSecret(Tokens.SECRET).build()).build();
        try (ServerFixture s = ServerFixture.start(strict, b -> b)) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + s.chorus.port() + "/yjs/room";
            assertThat(upgrade(http, base).statusCode()).isEqualTo(401);
            assertThat(upgrade(http, base + "?token=garbage").statusCode()).isEqualTo(401);
            String noRead = Tokens.connect("x", Duration.ofHours(1), Map.of("subscribe", List.of("chat:*")));
            Answer forbidden = upgrade(http, base + "?token=" + noRead);
            assertThat(forbidden.statusCode()).isEqualTo(403);
            assertThat(forbidden.body()).contains("doc:room");
            assertThat(upgrade(http, "http://127.0.0.1:" + s.chorus.port() + "/yjs/").statusCode()).isEqualTo(404);
        }
    }

    private record Answer(int statusCode, String body) {
    }

    /** Sends a WebSocket upgrade request as a browser would and reads the HTTP answer. */
    private static Answer upgrade(HttpClient unused, String uri) throws Exception {
        URI u = URI.create(uri);
        try (java.net.Socket sock = new java.net.Socket("127.0.0.1", u.getPort())) {
            String target = u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
            String req = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
            sock.getOutputStream().write(req.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            sock.setSoTimeout(5000);
            java.io.InputStream in = sock.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int c = in.read();
                if (c < 0) {
                    break;
                }
                head.append((char) c);
            }
            int length = 0;
            for (String line : head.toString().split("\r\n")) {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            String body = new String(in.readNBytes(length), java.nio.charset.StandardCharsets.UTF_8);
            return new Answer(Integer.parseInt(head.substring(9, 12)), body);
        }
    }
}
