package dev.chorus.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.core.config.ChorusConfig;
import dev.chorus.core.config.HttpConfig;
import dev.chorus.yjs.Doc;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code GET} / {@code POST /api/documents/<name>}: JSON, a whole-document update, applying an update. */
class YjsDocumentApiTest {
    private static final String KEY = "doc-api-key";
    private final HttpClient http = HttpClient.newHttpClient();

    private static ServerFixture start() {
        return ServerFixture.start(ChorusConfig.devDefaults().toBuilder().http(HttpConfig.builder().apiKeys(Set.of(KEY)).build()).build(), b -> b);
    }

    private HttpResponse<byte[]> send(ServerFixture s, String method, String name, String accept, String type, byte[] body, String key)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.chorus.port() + "/api/documents/" + name))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (key != null) {
            b.header("Authorization", "apikey " + key);
        }
        if (accept != null) {
            b.header("Accept", accept);
        }
        if (type != null) {
            b.header("Content-Type", type);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void documentsReadAsJsonAndAsAnUpdateAndWrittenWithAnUpdate() throws Exception {
        try (ServerFixture s = start()) {
            s.chorus.documents().edit("api-doc", d -> d.getText("text").insert(0, "from java")).toCompletableFuture().get(10, TimeUnit.SECONDS);

            HttpResponse<byte[]> json = send(s, "GET", "api-doc", null, null, null, KEY);
            assertThat(json.statusCode()).isEqualTo(200);
            assertThat(json.headers().firstValue("content-type")).hasValue("application/json");
            assertThat(new String(json.body())).isEqualTo("{\"text\":\"from java\"}");

            HttpResponse<byte[]> update = send(s, "GET", "api-doc", "application/octet-stream", null, null, KEY);
            assertThat(update.statusCode()).isEqualTo(200);
            assertThat(update.headers().firstValue("content-type")).hasValue("application/octet-stream");
            Doc replica = new Doc();
            replica.applyUpdate(update.body());
            assertThat(replica.getText("text").toString()).isEqualTo("from java");

            Doc client = new Doc();
            client.applyUpdate(update.body());
            byte[] before = client.encodeStateVector();
            client.getMap("map").set("via", "http");
            byte[] diff = client.encodeStateAsUpdate(before);
            HttpResponse<byte[]> posted = send(s, "POST", "api-doc", null, "application/octet-stream", diff, KEY);
            assertThat(posted.statusCode()).isEqualTo(200);
            Map<String, Object> now = s.chorus.documents().json("api-doc").toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(now).containsEntry("text", "from java").containsEntry("map", Map.of("via", "http"));
        }
    }

    @Test
    void refusalsChangeNothing() throws Exception {
        try (ServerFixture s = start()) {
            s.chorus.documents().edit("api-bad", d -> d.getText("text").insert(0, "kept")).toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(send(s, "GET", "api-bad", null, null, null, null).statusCode()).isEqualTo(401);
            assertThat(send(s, "GET", "api-bad", null, null, null, "wrong").statusCode()).isEqualTo(401);
            assertThat(send(s, "POST", "api-bad", null, "application/octet-stream", new byte[] {1, 9, 9, 9, 9}, null).statusCode()).isEqualTo(401);
            HttpResponse<byte[]> malformed = send(s, "POST", "api-bad", null, "application/octet-stream", new byte[] {1, 9, 9, 9, 9}, KEY);
            assertThat(malformed.statusCode()).isEqualTo(400);
            assertThat(new String(malformed.body())).contains("\"code\":107");
            assertThat(send(s, "POST", "api-bad", null, "application/json", "{}".getBytes(), KEY).statusCode()).isEqualTo(415);
            assertThat(send(s, "POST", "api-bad", null, "application/octet-stream", new byte[0], KEY).statusCode()).isEqualTo(400);
            assertThat(send(s, "DELETE", "api-bad", null, null, null, KEY).statusCode()).isEqualTo(405);
            assertThat(s.chorus.documents().json("api-bad").toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo(Map.of("text", "kept"));
        }
        try (ServerFixture off = ServerFixture.dev()) {
            // no API key configured: the document API does not exist, like the rest of /api/
            assertThat(send(off, "GET", "x", null, null, null, KEY).statusCode()).isEqualTo(404);
        }
    }
}
