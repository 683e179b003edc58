package dev.chorus.core.auth;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.chorus.core.auth.TestKeys.NOW;
import static dev.chorus.core.auth.TestKeys.epoch;
import static dev.chorus.core.auth.TestKeys.hs256;
import static dev.chorus.core.auth.TestKeys.refusal;
import static dev.chorus.core.auth.TokenException.Reason.BAD_CLAIM;
import static dev.chorus.core.auth.TokenException.Reason.BAD_SIGNATURE;
import static dev.chorus.core.auth.TokenException.Reason.EXPIRED;
import static dev.chorus.core.auth.TokenException.Reason.MISSING_CLAIM;
import static dev.chorus.core.auth.TokenException.Reason.WRONG_CHANNEL;
import static dev.chorus.core.auth.TokenException.Reason.WRONG_USER;
import static org.assertj.core.api.Assertions.assertThat;

class SubscriptionTokenTest {
    private final JwtTokenVerifier v = TestKeys.hmacVerifier();

    @Test
    void acceptsTheRightUserAndChannel() throws Exception {
        String token = hs256(Map.of("sub", "alice", "channel", "private:room-1", "exp", epoch(NOW) + 60,
                "info", Map.of("role", "editor")));
        SubscriptionClaims c = v.verifySubscription(token, "private:room-1", "alice");
        assertThat(c).isEqualTo(new SubscriptionClaims("alice", "private:room-1", NOW.plusSeconds(60), "{\"role\":\"editor\"}"));
    }

    @Test
    void refusesAnotherUsersToken() {
        String token = hs256(Map.of("sub", "bob", "channel", "private:room-1"));
        assertThat(refusal(() -> v.verifySubscription(token, "private:room-1", "alice"))).isEqualTo(WRONG_USER);
        assertThat(refusal(() -> v.verifySubscription(token, "private:room-1", "Bob"))).isEqualTo(WRONG_USER);
        assertThat(refusal(() -> v.verifySubscription(token, "private:room-1", null))).isEqualTo(WRONG_USER);
    }

    @Test
    void refusesATokenForAnotherChannel() {
        String token = hs256(Map.of("sub", "alice", "channel", "private:room-1"));
        assertThat(refusal(() -> v.verifySubscription(token, "private:room-2", "alice"))).isEqualTo(WRONG_CHANNEL);
        assertThat(refusal(() -> v.verifySubscription(token, "private:room-10", "alice"))).isEqualTo(WRONG_CHANNEL);
        // the channel claim is a name, not a pattern
        String star = hs256(Map.of("sub", "alice", "channel", "private:*"));
        assertThat(refusal(() -> v.verifySubscription(star, "private:room-1", "alice"))).isEqualTo(WRONG_CHANNEL);
    }

    @Test
    void refusesAConnectionTokenAsSubscriptionToken() {
        String connect = hs256(Map.of("sub", "alice", "channels", Map.of("subscribe", java.util.List.of("*"))));
        assertThat(refusal(() -> v.verifySubscription(connect, "private:room-1", "alice"))).isEqualTo(MISSING_CLAIM);
    }

    @Test
    void claimShapes() {
        assertThat(refusal(() -> v.verifySubscription(hs256(Map.of("sub", "alice", "channel", 1)), "1", "alice")))
                .isEqualTo(BAD_CLAIM);
        assertThat(refusal(() -> v.verifySubscription(hs256(Map.of("channel", "c")), "c", "alice")))
                .isEqualTo(MISSING_CLAIM);
        assertThat(refusal(() -> v.verifySubscription(hs256(Map.of("sub", "alice", "channel", "c", "info", "x")), "c", "alice")))
                .isEqualTo(BAD_CLAIM);
    }

    @Test
    void expiredAndForged() {
        assertThat(refusal(() -> v.verifySubscription(
                hs256(Map.of("sub", "alice", "channel", "c", "exp", epoch(NOW) - 31)), "c", "alice"))).isEqualTo(EXPIRED);
        String forged = TestKeys.sign(com.nimbusds.jose.JWSAlgorithm.HS256,
                TestKeys.hmacSigner(TestKeys.SECRET.toUpperCase()), null, Map.of("sub", "alice", "channel", "c"));
        assertThat(refusal(() -> v.verifySubscription(forged, "c", "alice"))).isEqualTo(BAD_SIGNATURE);
    }
}
