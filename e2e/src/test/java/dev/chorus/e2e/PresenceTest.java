package dev.chorus.e2e;

import static dev.chorus.e2e.Frames.result;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chorus.core.config.ChorusConfig;
import dev.chorus.protocol.CloseCode;
import dev.chorus.protocol.Payload;
import dev.chorus.protocol.Push;
import dev.chorus.protocol.Request;
import dev.chorus.testkit.TestClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PresenceTest {

    private static Request.Subscribe withJoinLeave(String channel) {
        return new Request.Subscribe(0, channel, null, false, true);
    }

    @Test
    void joinStateUpdateAndLeave() {
        try (ServerFixture server = ServerFixture.dev()) {
            TestClient alice = server.client();
            assertThat(alice.request(withJoinLeave("doc")).error()).isNull();
            TestClient bob = server.client();
            JsonNode bobSub = result(bob.request(new Request.Subscribe(0, "doc", null, true, true)));
            assertThat(bobSub.get("presence").size()).isEqualTo(2);

            Push.Join join = Frames.next(alice, Push.Join.class);
            assertThat(join.channel()).isEqualTo("doc");
            String bobId = join.info().client();

            JsonNode upd = result(bob.request(new Request.PresenceUpdate(0, "doc", Payload.ofJson("{\"cursor\":{\"x\":1,\"y\":2}}"))));
            assertThat(upd.get("clock").asLong()).isEqualTo(2);
            Push.PresenceChange change = Frames.next(alice, Push.PresenceChange.class);
            assertThat(change.info().client()).isEqualTo(bobId);
            assertThat(change.info().state()).isEqualTo(Payload.ofJson("{\"cursor\":{\"x\":1,\"y\":2}}"));
            assertThat(change.info().clock()).isEqualTo(2);

            JsonNode presence = result(alice.request(new Request.Presence(0, "doc")));
            assertThat(presence.get("clients").get(bobId).get("state").get("cursor").get("x").asInt()).isEqualTo(1);
            JsonNode stats = result(alice.request(new Request.PresenceStats(0, "doc")));
            assertThat(stats.get("clients").asInt()).isEqualTo(2);
            assertThat(stats.get("users").asInt()).isEqualTo(1); // both anonymous: one user id ""

            assertThat(bob.request(new Request.Unsubscribe(0, "doc")).error()).isNull();
            Push.Leave leave = Frames.next(alice, Push.Leave.class);
            assertThat(leave.info().client()).isEqualTo(bobId);
            JsonNode after = result(alice.request(new Request.Presence(0, "doc")));
            assertThat(after.get("clients").has(bobId)).isFalse();
        }
    }

    @Test
    void clientThatStopsAnsweringPingsIsRemovedAfterTheTimeout() {
        ChorusConfig config = ChorusConfig.devDefaults().toBuilder()
                .pingInterval(Duration.ofMillis(100)).heartbeatTimeout(Duration.ofMillis(600)).build();
        try (ServerFixture server = ServerFixture.start(config, b -> b)) {
            TestClient watcher = server.client();
            watcher.request(withJoinLeave("room"));
            TestClient silent = server.client();
            silent.autoPong(false);
            silent.request(withJoinLeave("room"));
            String silentId = Frames.next(watcher, Push.Join.class).info().client();

            // the watcher keeps answering pings and stays; the silent client is closed and leaves
            Push.Leave leave = (Push.Leave) watcher.awaitPush(p -> p instanceof Push.Leave, Duration.ofSeconds(5));
            assertThat(leave.info().client()).isEqualTo(silentId);
            assertThat(silent.awaitClose(Duration.ofSeconds(5)).code()).isEqualTo(CloseCode.NO_PONG.code());
            JsonNode presence = result(watcher.request(new Request.Presence(0, "room")));
            assertThat(presence.get("clients").size()).isEqualTo(1);
            assertThat(watcher.request(new Request.Ping(0)).error()).isNull();
        }
    }
}
