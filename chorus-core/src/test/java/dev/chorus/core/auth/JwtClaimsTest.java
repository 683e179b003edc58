package dev.chorus.core.auth;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.chorus.core.auth.TestKeys.CLOCK;
import static dev.chorus.core.auth.TestKeys.NOW;
import static dev.chorus.core.auth.TestKeys.SECRET;
import static dev.chorus.core.auth.TestKeys.epoch;
import static dev.chorus.core.auth.TestKeys.hs256;
import static dev.chorus.core.auth.TestKeys.refusal;
import static dev.chorus.core.auth.TokenException.Reason.BAD_CLAIM;
import static dev.chorus.core.auth.TokenException.Reason.EXPIRED;
import static dev.chorus.core.auth.TokenException.Reason.MALFORMED;
import static dev.chorus.core.auth.TokenException.Reason.MISSING_CLAIM;
import static dev.chorus.core.auth.TokenException.Reason.NOT_YET_VALID;
import static dev.chorus.core.auth.TokenException.Reason.WRONG_AUDIENCE;
import static dev.chorus.core.auth.TokenException.Reason.WRONG_ISSUER;
import static org.assertj.core.api.Assertions.assertThat;

class JwtClaimsTest {
    private final JwtTokenVerifier v = TestKeys.hmacVerifier();

    private static Map<String, Object> claims(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static JwtTokenVerifier at(Instant now, Duration skew) {
        return JwtTokenVerifier.builder().hmacSecret(SECRET).clockSkew(skew).clock(Clock.fixed(now, ZoneOffset.UTC)).build();
    }

    @Test
    void returnsTheClaims() throws Exception {
        ConnectClaims c = v.verifyConnect(hs256(claims("sub", "alice", "exp", epoch(NOW) + 3600,
                "info", claims("name", "Alice", "color", "#f00", "n", 3, "tags", List.of("a", "b")),
                "channels", claims("subscribe", List.of("chat:*"), "publish", List.of("chat:lobby")))));
        assertThat(c.user()).isEqualTo("alice");
        assertThat(c.expiresAt()).isEqualTo(NOW.plusSeconds(3600));
        assertThat(c.infoJson()).isEqualTo("{\"name\":\"Alice\",\"color\":\"#f00\",\"n\":3,\"tags\":[\"a\",\"b\"]}");
        assertThat(c.permissions().subscribe("chat:x")).isTrue();
        assertThat(c.permissions().subscribe("news:x")).isFalse();
        assertThat(c.permissions().publish("chat:lobby")).isTrue();
        assertThat(c.permissions().publish("chat:x")).isFalse();
        assertThat(c.permissions().presence("chat:x")).isNull();
    }

    @Test
    void optionalClaimsMayBeAbsent() throws Exception {
        ConnectClaims c = v.verifyConnect(hs256(claims("sub", "alice")));
        assertThat(c).isEqualTo(new ConnectClaims("alice", null, null, null));
    }

    @Test
    void expiry() throws Exception {
        JwtTokenVerifier noSkew = at(NOW, Duration.ZERO);
        assertThat(refusal(() -> noSkew.verifyConnect(hs256(claims("sub", "a", "exp", epoch(NOW) - 1))))).isEqualTo(EXPIRED);
        // exp is the first instant at which the token is no longer valid
        assertThat(refusal(() -> noSkew.verifyConnect(hs256(claims("sub", "a", "exp", epoch(NOW)))))).isEqualTo(EXPIRED);
        assertThat(noSkew.verifyConnect(hs256(claims("sub", "a", "exp", epoch(NOW) + 1))).user()).isEqualTo("a");
        // the same token, later on the clock
        String token = hs256(claims("sub", "a", "exp", epoch(NOW) + 60));
        assertThat(at(NOW.plusSeconds(59), Duration.ZERO).verifyConnect(token).expiresAt()).isEqualTo(NOW.plusSeconds(60));
        assertThat(refusal(() -> at(NOW.plusSeconds(61), Duration.ZERO).verifyConnect(token))).isEqualTo(EXPIRED);
    }

    @Test
    void expiryWithSkew() throws Exception {
        String expired10sAgo = hs256(claims("sub", "a", "exp", epoch(NOW) - 10));
        assertThat(v.verifyConnect(expired10sAgo).user()).isEqualTo("a"); // default skew 30 s
        assertThat(at(NOW, Duration.ofSeconds(11)).verifyConnect(expired10sAgo).user()).isEqualTo("a");
        assertThat(refusal(() -> at(NOW, Duration.ofSeconds(10)).verifyConnect(expired10sAgo))).isEqualTo(EXPIRED);
        assertThat(refusal(() -> v.verifyConnect(hs256(claims("sub", "a", "exp", epoch(NOW) - 31))))).isEqualTo(EXPIRED);
    }

    @Test
    void notBefore() throws Exception {
        assertThat(refusal(() -> v.verifyConnect(hs256(claims("sub", "a", "nbf", epoch(NOW) + 31))))).isEqualTo(NOT_YET_VALID);
        assertThat(v.verifyConnect(hs256(claims("sub", "a", "nbf", epoch(NOW) + 29))).user()).isEqualTo("a");
        assertThat(refusal(() -> at(NOW, Duration.ZERO).verifyConnect(hs256(claims("sub", "a", "nbf", epoch(NOW) + 1)))))
                .isEqualTo(NOT_YET_VALID);
        assertThat(at(NOW, Duration.ZERO).verifyConnect(hs256(claims("sub", "a", "nbf", epoch(NOW)))).user()).isEqualTo("a");
    }

    @Test
    void fractionalTimes() throws Exception {
        ConnectClaims c = at(NOW, Duration.ZERO).verifyConnect(hs256(claims("sub", "a", "exp", epoch(NOW) + 0.5)));
        assertThat(c.expiresAt()).isEqualTo(NOW.plusMillis(500));
        assertThat(refusal(() -> at(NOW, Duration.ZERO).verifyConnect(hs256(claims("sub", "a", "exp", epoch(NOW) - 0.5)))))
                .isEqualTo(EXPIRED);
    }

    @Test
    void badTimeClaims() {
        assertThat(refusal(() -> v.verifyConnect(hs256(claims("sub", "a", "exp", "tomorrow"))))).isEqualTo(BAD_CLAIM);
        assertThat(refusal(() -> v.verifyConnect(hs256(claims("sub", "a", "exp", null))))).isEqualTo(BAD_CLAIM);
        assertThat(refusal(() -> v.verifyConnect(hs256("{\"sub\":\"a\",\"exp\":1e300}")))).isEqualTo(BAD_CLAIM);
        assertThat(refusal(() -> v.verifyConnect(hs256(claims("sub", "a", "exp", Long.MAX_VALUE))))).isEqualTo(BAD_CLAIM);
        assertThat(refusal(() -> v.verifyConnect(hs256(claims("sub", "a", "nbf", List.of(1)))))).isEqualTo(BAD_CLAIM);
    }

    @Test
    void subject() throws Exception {
        assertThat(refusal(() -> v.verifyConnect(hs256(claims("name", "a"))))).isEqualTo(MISSING_CLAIM);
        assertThat(refusal(() -> v.verifyConnect(hs256(claims("sub", ""))))).isEqualTo(MISSING_CLAIM);
        assertThat(refusal(() -> v.verifyConnect(hs256(claims("sub", "   "))))).isEqualTo(MISSING_CLAIM);
        assertThat(refusal(() -> v.verifyConnect(hs256(claims("sub", null))))).isEqualTo(BAD_CLAIM);
        assertThat(refusal(() -> v.verifyConnect(hs256(claims("sub", 42))))).isEqualTo(BAD_CLAIM);
        assertThat(refusal(() -> v.verifyConnect(hs256(claims("sub", List.of("a")))))).isEqualTo(BAD_CLAIM);
        assertThat(refusal(() -> v.verifyConnect(hs256(claims("sub", "a".repeat(256)))))).isEqualTo(BAD_CLAIM);
        assertThat(refusal(() -> v.verifyConnect(hs256(claims("sub", "alice\nadmin"))))).isEqualTo(BAD_CLAIM);
        assertThat(v.verifyConnect(hs256(claims("sub", "a".repeat(255)))).user()).hasSize(255);
        assertThat(v.verifyConnect(hs256(claims("sub", "Zoë 🎉"))).user()).isEqualTo("Zoë 🎉");
    }

    @Test
    void issuer() throws Exception {
        JwtTokenVerifier withIss = JwtTokenVerifier.builder().hmacSecret(SECRET).issuer("https://auth.example").clock(CLOCK).build();
        assertThat(withIss.verifyConnect(hs256(claims("sub", "a", "iss", "https://auth.example"))).user()).isEqualTo("a");
        assertThat(refusal(() -> withIss.verifyConnect(hs256(claims("sub", "a", "iss", "https://evil.example")))))
                .isEqualTo(WRONG_ISSUER);
        assertThat(refusal(() -> withIss.verifyConnect(hs256(claims("sub", "a"))))).isEqualTo(WRONG_ISSUER);
        assertThat(refusal(() -> withIss.verifyConnect(hs256(claims("sub", "a", "iss", List.of("https://auth.example"))))))
                .isEqualTo(WRONG_ISSUER);
        // without a configured issuer any iss is fine
        assertThat(v.verifyConnect(hs256(claims("sub", "a", "iss", "anyone"))).user()).isEqualTo("a");
    }

    @Test
    void audience() throws Exception {
        JwtTokenVerifier withAud = JwtTokenVerifier.builder().hmacSecret(SECRET).audience("chorus").clock(CLOCK).build();
        assertThat(withAud.verifyConnect(hs256(claims("sub", "a", "aud", "chorus"))).user()).isEqualTo("a");
        assertThat(withAud.verifyConnect(hs256(claims("sub", "a", "aud", List.of("api", "chorus")))).user()).isEqualTo("a");
        assertThat(refusal(() -> withAud.verifyConnect(hs256(claims("sub", "a", "aud", "api"))))).isEqualTo(WRONG_AUDIENCE);
        assertThat(refusal(() -> withAud.verifyConnect(hs256(claims("sub", "a", "aud", List.of("api")))))).isEqualTo(WRONG_AUDIENCE);
        assertThat(refusal(() -> withAud.verifyConnect(hs256(claims("sub", "a"))))).isEqualTo(WRONG_AUDIENCE);
        assertThat(refusal(() -> withAud.verifyConnect(hs256(claims("sub", "a", "aud", 7))))).isEqualTo(BAD_CLAIM);
        assertThat(v.verifyConnect(hs256(claims("sub", "a", "aud", "api"))).user()).isEqualTo("a");
    }

    @Test
    void info() {
        assertThat(refusal(() -> v.verifyConnect(hs256(claims("sub", "a", "info", "Alice"))))).isEqualTo(BAD_CLAIM);
        assertThat(refusal(() -> v.verifyConnect(hs256(claims("sub", "a", "info", List.of()))))).isEqualTo(BAD_CLAIM);
        assertThat(refusal(() -> v.verifyConnect(hs256(claims("sub", "a", "info", null))))).isEqualTo(BAD_CLAIM);
    }

    @Test
    void infoIsReEncodedCompactlyAndSafely() throws Exception {
        ConnectClaims c = v.verifyConnect(hs256("{ \"sub\" : \"a\", \"info\" : { \"html\" : \"<b>&</b>\", \"nested\" : {\"x\" : [1, 2.5, true, null]} } }"));
        assertThat(c.infoJson()).isEqualTo("{\"html\":\"<b>&</b>\",\"nested\":{\"x\":[1,2.5,true,null]}}");
    }

    @Test
    void channelsShape() throws Exception {
        String[] bad = {
            "\"chat:*\"",
            "[\"chat:*\"]",
            "null",
            "{\"subscribe\": \"chat:*\"}",
            "{\"subscribe\": [1]}",
            "{\"subscribe\": [null]}",
            "{\"subscribe\": null}",
            "{\"subscribe\": [\"\"]}",
            "{\"subscribe\": [\"" + "a".repeat(ChannelPattern.MAX_LENGTH + 1) + "\"]}",
            "{\"subscribe\": [\"chat:*\"], \"publsh\": [\"chat:*\"]}",
            "{\"publish\": {\"chat:*\": true}}",
        };
        for (String shape : bad) {
            String token = hs256("{\"sub\":\"a\",\"channels\":" + shape + "}");
            assertThat(refusal(() -> v.verifyConnect(token))).as(shape).isEqualTo(BAD_CLAIM);
        }
        ConnectClaims empty = v.verifyConnect(hs256("{\"sub\":\"a\",\"channels\":{}}"));
        assertThat(empty.permissions()).isNotNull();
        assertThat(empty.permissions().subscribe("x")).isNull();
        ConnectClaims presenceOnly = v.verifyConnect(hs256("{\"sub\":\"a\",\"channels\":{\"presence\":[]}}"));
        assertThat(presenceOnly.permissions().presence("x")).isFalse();
        assertThat(presenceOnly.permissions().publish("x")).isNull();
    }

    @Test
    void aSubscriptionTokenCannotConnect() {
        assertThat(refusal(() -> v.verifyConnect(hs256(claims("sub", "a", "channel", "private:room"))))).isEqualTo(BAD_CLAIM);
        assertThat(refusal(() -> v.verifyConnect(hs256(claims("sub", "a", "channel", null))))).isEqualTo(BAD_CLAIM);
    }

    @Test
    void duplicateClaimsAreRefused() {
        assertThat(refusal(() -> v.verifyConnect(hs256("{\"sub\":\"alice\",\"sub\":\"admin\"}")))).isEqualTo(MALFORMED);
    }

    @Test
    void payloadMustBeAJsonObject() {
        for (String payload : new String[] {"[]", "[{\"sub\":\"a\"}]", "\"sub\"", "42", "null", "", "not json", "{\"sub\":", "{\"sub\":\"a\"} x"}) {
            assertThat(refusal(() -> v.verifyConnect(hs256(payload)))).as(payload).isEqualTo(MALFORMED);
        }
    }
}
