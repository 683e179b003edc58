package dev.chorus.e2e;

import static dev.chorus.e2e.Frames.publish;
import static dev.chorus.e2e.Frames.result;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chorus.core.Chorus;
import dev.chorus.core.config.ChorusConfig;
import dev.chorus.core.hooks.ConnectHandler;
import dev.chorus.core.hooks.HookRejection;
import dev.chorus.protocol.CloseCode;
import dev.chorus.protocol.ErrorCode;
import dev.chorus.protocol.Format;
import dev.chorus.protocol.Payload;
import dev.chorus.protocol.Push;
import dev.chorus.protocol.Reply;
import dev.chorus.protocol.Request;
import dev.chorus.protocol.StreamPosition;
import dev.chorus.testkit.TestClient;
import org.junit.jupiter.api.Test;

/** An application embeds Chorus with hooks and an RPC handler, and uses them over real sockets. */
class EmbeddingTest {

    @Test
    void rpcHandlerConnectHookAndPublishHook() throws Exception {
        ChorusConfig config = ChorusConfig.builder().host("127.0.0.1").port(0).allowAnonymous(false)
                .namespace(dev.chorus.core.config.NamespaceConfig.builder("").historySize(10).allowPublish(true).build())
                .build();
        Chorus.Builder builder = Chorus.builder().config(config)
                .onConnect(e -> {
                    if (!"let-me-in".equals(e.token())) {
                        throw new HookRejection("bad token");
                    }
                    return new ConnectHandler.ConnectDecision("user-" + e.name(), Payload.ofJson("{\"role\":\"editor\"}"), null);
                })
                .rpc("sum", (client, data) -> Payload.ofValue(data.tree().get("a").asInt() + data.tree().get("b").asInt()))
                .rpc("whoami", (client, data) -> Payload.ofValue(client.user()))
                .onPublish((client, channel, data) -> {
                    if (data.tree().path("text").asText().contains("spam")) {
                        throw new HookRejection("no spam");
                    }
                    ObjectNode out = ((ObjectNode) data.tree().deepCopy()).put("by", client.user());
                    return Payload.of(out);
                });
        try (ServerFixture server = ServerFixture.start(config, b -> builder)) {
            TestClient stranger = server.rawClient(Format.JSON);
            Reply refused = stranger.request(new Request.Connect(0, "wrong", "x", "1"));
            assertThat(refused.error().code()).isEqualTo(ErrorCode.UNAUTHORIZED.code());
            assertThat(refused.error().message()).isEqualTo("bad token");
            assertThat(stranger.awaitClose(Frames.WAIT).code()).isEqualTo(CloseCode.UNAUTHORIZED.code());

            TestClient app = server.rawClient(Format.MSGPACK);
            assertThat(result(app.request(new Request.Connect(0, "let-me-in", "ann", "1"))).get("user").asText()).isEqualTo("user-ann");
            assertThat(result(app.request(new Request.Rpc(0, "sum", Payload.ofJson("{\"a\":2,\"b\":40}")))).get("data").asInt()).isEqualTo(42);
            assertThat(result(app.request(new Request.Rpc(0, "whoami", null))).get("data").asText()).isEqualTo("user-ann");
            assertThat(app.request(new Request.Rpc(0, "nope", null)).error().code()).isEqualTo(ErrorCode.METHOD_NOT_FOUND.code());

            app.subscribe("notes");
            Reply spam = publish(app, "notes", "{\"text\":\"buy spam\"}");
            assertThat(spam.error().code()).isEqualTo(ErrorCode.REJECTED.code());
            assertThat(spam.error().message()).isEqualTo("no spam");
            assertThat(publish(app, "notes", "{\"text\":\"hello\"}").error()).isNull();
            Push.Pub pub = Frames.pubs(app, "notes", 1).get(0);
            assertThat(pub.pub().offset()).isEqualTo(1);
            assertThat(pub.pub().data().tree().get("by").asText()).isEqualTo("user-ann");
            assertThat(pub.pub().info().user()).isEqualTo("user-ann");

            // the application publishes from the server side too
            StreamPosition p = server.chorus.publish("notes", Payload.ofJson("{\"text\":\"from server\"}")).toCompletableFuture().get();
            assertThat(p.offset()).isEqualTo(2);
            Push.Pub fromServer = Frames.pubs(app, "notes", 1).get(0);
            assertThat(fromServer.pub().info()).isNull();
        }
    }

    @Test
    void closingTellsClientsToReconnectElsewhere() {
        ServerFixture server = ServerFixture.dev();
        TestClient c = server.client();
        c.subscribe("x");
        server.chorus.close();
        assertThat(c.awaitClose(Frames.WAIT).code()).isEqualTo(CloseCode.SHUTDOWN.code());
    }
}
