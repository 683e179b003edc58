package dev.chorus.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.chorus.core.auth.AuthConfig;
import dev.chorus.core.config.ChorusConfig;
import dev.chorus.core.config.NamespaceConfig;
import dev.chorus.protocol.CloseCode;
import dev.chorus.protocol.ErrorCode;
import dev.chorus.protocol.Format;
import dev.chorus.protocol.Payload;
import dev.chorus.protocol.Push;
import dev.chorus.protocol.Reply;
import dev.chorus.protocol.Request;
import dev.chorus.testkit.TestClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** JWT connection and subscription tokens, channel permissions, refresh and expiry, over real sockets. */
class AuthTest {

    static ChorusConfig config() {
        return ChorusConfig.builder().host("127.0.0.1").port(0)
                .auth(AuthConfig.builder().hmacSecret(Tokens.SECRET).build())
                .namespace(NamespaceConfig.builder("").historySize(10).build())
                .namespace(NamespaceConfig.builder("chat").historySize(10).presence(true).allowPublish(true).build())
                .namespace(NamespaceConfig.builder("news").historySize(10).build())
                .namespace(NamespaceConfig.builder("secret").historySize(10).privateChannels(true).build())
                .build();
    }

    private static TestClient connected(ServerFixture server, String token) {
        TestClient c = server.rawClient(Format.JSON);
        Reply r = c.connect(token);
        assertThat(r.error()).as("connect").isNull();
        return c;
    }

    @Test
    void aValidTokenSetsTheUserAndBadTokensAreRefusedWithTheirCodes() {
        try (ServerFixture server = ServerFixture.start(config(), b -> b)) {
            TestClient ann = server.rawClient(Format.JSON);
            Reply ok = ann.connect(Tokens.connect("ann"));
            assertThat(Frames.result(ok).get("user").asText()).isEqualTo("ann");
            assertThat(Frames.result(ok).get("expires").asLong()).isBetween(3500L, 3600L);

            // signed with another secret
            TestClient forged = server.rawClient(Format.JSON);
            String wrongKey = Tokens.sign(new JWTClaimsSet.Builder().subject("ann").build(), "another-secret-of-at-least-32-bytes!!");
            assertThat(forged.connect(wrongKey).error().code()).isEqualTo(ErrorCode.UNAUTHORIZED.code());
            assertThat(forged.awaitClose(Duration.ofSeconds(5)).code()).isEqualTo(CloseCode.UNAUTHORIZED.code());

            // expired
            TestClient late = server.rawClient(Format.JSON);
            String expired = Tokens.sign(new JWTClaimsSet.Builder().subject("ann")
                    .expirationTime(Date.from(Instant.now().minusSeconds(3600))).build(), Tokens.SECRET);
            assertThat(late.connect(expired).error().code()).isEqualTo(ErrorCode.TOKEN_EXPIRED.code());
            assertThat(late.awaitClose(Duration.ofSeconds(5)).code()).isEqualTo(CloseCode.TOKEN_EXPIRED.code());

            // garbage, and no token at all where anonymous access is not configured
            TestClient garbage = server.rawClient(Format.JSON);
            assertThat(garbage.connect("not.a.jwt").error().code()).isEqualTo(ErrorCode.UNAUTHORIZED.code());
            TestClient anonymous = server.rawClient(Format.JSON);
            assertThat(anonymous.request(new Request.Connect(0, null, "x", "1")).error().code()).isEqualTo(ErrorCode.UNAUTHORIZED.code());

            // a subscription token is not a connection token
            TestClient wrongKind = server.rawClient(Format.JSON);
            assertThat(wrongKind.connect(Tokens.subscription("ann", "secret:1")).error().code()).isEqualTo(ErrorCode.UNAUTHORIZED.code());

            // the valid client was not disturbed
            assertThat(ann.subscribe("chat:1").error()).isNull();
        }
    }

    @Test
    void channelPatternsInTheTokenDecideWhereTheyApply() {
        try (ServerFixture server = ServerFixture.start(config(), b -> b)) {
            // may subscribe to chat:team-* only, may publish to news:* (which the namespace forbids to others)
            String token = Tokens.connect("bob", Duration.ofHours(1),
                    Map.of("subscribe", List.of("chat:team-*", "news:*"), "publish", List.of("news:*")));
            TestClient bob = connected(server, token);
            assertThat(bob.subscribe("chat:team-red").error()).isNull();
            assertThat(bob.subscribe("chat:lobby").error().code()).isEqualTo(ErrorCode.PERMISSION_DENIED.code());
            assertThat(bob.subscribe("news:today").error()).isNull();
            assertThat(bob.publish("news:today", Payload.ofJson("{\"n\":1}")).error()).isNull();
            // the token's publish list decides for publish: chat:team-red is not in it
            assertThat(bob.publish("chat:team-red", Payload.ofJson("{\"n\":2}")).error().code())
                    .isEqualTo(ErrorCode.PERMISSION_DENIED.code());

            // a plain token: the namespace flags decide
            TestClient carol = connected(server, Tokens.connect("carol"));
            assertThat(carol.subscribe("chat:lobby").error()).isNull();
            assertThat(carol.publish("news:today", Payload.ofJson("{\"n\":3}")).error().code())
                    .isEqualTo(ErrorCode.PERMISSION_DENIED.code());
            assertThat(carol.subscribe("news:today").error()).isNull();
            // only bob's permitted publication is stored
            var history = Frames.result(carol.request(new Request.History(0, "news:today", null, -1, false))).get("publications");
            assertThat(history.size()).isEqualTo(1);
            assertThat(history.get(0).get("data").get("n").asInt()).isEqualTo(1);
        }
    }

    @Test
    void privateChannelsNeedTheUsersOwnSubscriptionToken() {
        try (ServerFixture server = ServerFixture.start(config(), b -> b)) {
            TestClient ann = connected(server, Tokens.connect("ann"));
            Reply none = ann.subscribe("secret:ann");
            assertThat(none.error().code()).isEqualTo(ErrorCode.PERMISSION_DENIED.code());
            Reply others = ann.request(new Request.Subscribe(0, "secret:bob", null, false, false, Tokens.subscription("bob", "secret:bob")));
            assertThat(others.error().code()).as("another user's subscription token").isEqualTo(ErrorCode.PERMISSION_DENIED.code());
            Reply otherChannel = ann.request(new Request.Subscribe(0, "secret:ann", null, false, false, Tokens.subscription("ann", "secret:bob")));
            assertThat(otherChannel.error().code()).as("a token for another channel").isEqualTo(ErrorCode.PERMISSION_DENIED.code());
            Reply own = ann.request(new Request.Subscribe(0, "secret:ann", null, false, false, Tokens.subscription("ann", "secret:ann")));
            assertThat(own.error()).isNull();
        }
    }

    @Test
    void aRefreshedTokenKeepsTheConnectionAndAnUnrefreshedOneClosesItWith4006() {
        try (ServerFixture server = ServerFixture.start(config(), b -> b)) {
            TestClient refreshing = connected(server, Tokens.connect("ann", Duration.ofSeconds(2), null));
            TestClient lapsing = connected(server, Tokens.connect("bob", Duration.ofSeconds(2), null));
            // refresh with a token of another user is refused and changes nothing
            assertThat(refreshing.request(new Request.Refresh(0, Tokens.connect("mallory"))).error().code())
                    .isEqualTo(ErrorCode.PERMISSION_DENIED.code());
            Reply r = refreshing.request(new Request.Refresh(0, Tokens.connect("ann", Duration.ofMinutes(10), null)));
            assertThat(r.error()).isNull();
            assertThat(Frames.result(r).get("expires").asLong()).isBetween(590L, 600L);

            assertThat(lapsing.awaitClose(Duration.ofSeconds(10)).code()).isEqualTo(CloseCode.TOKEN_EXPIRED.code());
            // well past the first token's expiry, the refreshed connection still works
            assertThat(refreshing.isClosed()).isFalse();
            assertThat(refreshing.subscribe("chat:1").error()).isNull();
        }
    }
}
