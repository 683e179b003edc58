package dev.chorus.e2e;

import static dev.chorus.e2e.Frames.publish;
import static dev.chorus.e2e.Frames.result;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.core.config.ChorusConfig;
import dev.chorus.core.config.NamespaceConfig;
import dev.chorus.protocol.ErrorCode;
import dev.chorus.protocol.Push;
import dev.chorus.protocol.Reply;
import dev.chorus.protocol.Request;
import dev.chorus.testkit.TestClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SchemaTest {
    private static final String SCHEMA = """
            {"type":"object","required":["text"],"properties":{"text":{"type":"string","maxLength":20},
             "author":{"type":"object","properties":{"id":{"type":"integer"}}}}}""";

    @Test
    void violationsAreRefusedWithThePathAndNothingIsPublished() {
        ChorusConfig config = ChorusConfig.devDefaults().toBuilder()
                .namespace(NamespaceConfig.builder("chat").historySize(10).allowPublish(true).schema(SCHEMA).build())
                .build();
        try (ServerFixture server = ServerFixture.start(config, b -> b)) {
            TestClient sub = server.client();
            sub.subscribe("chat:a");
            TestClient pub = server.client();

            Reply wrongType = publish(pub, "chat:a", "{\"text\":42}");
            assertThat(wrongType.error().code()).isEqualTo(ErrorCode.SCHEMA_VIOLATION.code());
            assertThat(wrongType.error().message()).contains("text");

            Reply nested = publish(pub, "chat:a", "{\"text\":\"ok\",\"author\":{\"id\":\"x\"}}");
            assertThat(nested.error().code()).isEqualTo(ErrorCode.SCHEMA_VIOLATION.code());
            assertThat(nested.error().message()).contains("author").contains("id");

            Reply missing = publish(pub, "chat:a", "{\"other\":1}");
            assertThat(missing.error().code()).isEqualTo(ErrorCode.SCHEMA_VIOLATION.code());

            Reply ok = publish(pub, "chat:a", "{\"text\":\"hello\"}");
            assertThat(result(ok).get("offset").asLong()).isEqualTo(1);

            // the only publication anyone sees is the valid one
            Push.Pub first = Frames.pubs(sub, "chat:a", 1).get(0);
            assertThat(first.pub().offset()).isEqualTo(1);
            assertThat(first.pub().data().tree().get("text").asText()).isEqualTo("hello");
            assertThat(result(sub.request(new Request.History(0, "chat:a", null, -1, false))).get("publications")).hasSize(1);
        }
    }

    @Test
    void anInvalidSchemaIsRefusedAtStart() {
        ChorusConfig config = ChorusConfig.devDefaults().toBuilder()
                .namespace(NamespaceConfig.builder("bad").schema("{\"type\": 12}").build())
                .build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ServerFixture.start(config, b -> b))
                .hasMessageContaining("bad");
    }
}
