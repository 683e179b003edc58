package dev.chorus.core.auth;

import com.nimbusds.jose.util.Base64URL;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Random;

import static dev.chorus.core.auth.TestKeys.hs256;
import static dev.chorus.core.auth.TestKeys.raw;
import static dev.chorus.core.auth.TestKeys.refusal;
import static dev.chorus.core.auth.TokenException.Reason.MALFORMED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

class MalformedTokenTest {
    private final JwtTokenVerifier v = TestKeys.hmacVerifier();

    @Test
    void garbageIsMalformed() {
        String[] garbage = {
            null, "", " ", ".", "..", "...", "a", "a.b", "a.b.c", "a.b.c.d", "a.b.c.d.e.f",
            "Bearer " + hs256(Map.of("sub", "a")), "%%%.%%%.%%%", "eyJ.eyJ.sig", "\u0000\u0001",
            "{\"alg\":\"HS256\"}.{\"sub\":\"a\"}.x",
            raw("[]", "{}", "x"), "eyJhbGciOiJIUzI1NiJ9.e30.c2ln\n", "eyJhbGciOiJIUzI1NiJ9.e30.c2ln=", raw("{}", "{}", "x"), raw("{\"alg\":1}", "{}", "x"), raw("not json", "{}", "x"),
            Base64URL.encode("{\"alg\":\"HS256\"}") + "." + "%%%" + ".abc",
        };
        for (String g : garbage) {
            assertThat(refusal(() -> v.verifyConnect(g))).as(String.valueOf(g)).isEqualTo(MALFORMED);
            assertThat(refusal(() -> v.verifySubscription(g, "c", "a"))).as(String.valueOf(g)).isEqualTo(MALFORMED);
        }
    }

    @Test
    void oversizedTokensAreRefusedBeforeParsing() throws Exception {
        // a validly signed token just under the limit passes; the same kind just over it does not
        String small = tokenOfLength(JwtTokenVerifier.MAX_TOKEN_LENGTH);
        assertThat(small).hasSizeLessThanOrEqualTo(JwtTokenVerifier.MAX_TOKEN_LENGTH);
        assertThat(v.verifyConnect(small).user()).isEqualTo("a");
        String big = tokenOfLength(JwtTokenVerifier.MAX_TOKEN_LENGTH + 4);
        assertThat(big).hasSizeGreaterThan(JwtTokenVerifier.MAX_TOKEN_LENGTH);
        assertThat(refusal(() -> v.verifyConnect(big))).isEqualTo(MALFORMED);
        // huge input of junk: refused by length, whatever it holds
        assertThat(refusal(() -> v.verifyConnect("x".repeat(10_000_000)))).isEqualTo(MALFORMED);
    }

    /** The longest validly signed token not over {@code max} characters (binary search on padding). */
    private static String tokenOfLength(int max) {
        int lo = 0;
        int hi = max;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (padded(mid).length() <= max) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        String best = padded(lo);
        if (best.length() > max) {
            fail("no token fits in " + max);
        }
        assertThat(best.length()).isGreaterThan(max - 4);
        return best;
    }

    private static String padded(int pad) {
        return hs256("{\"sub\":\"a\",\"info\":{\"p\":\"" + "x".repeat(pad) + "\"}}");
    }

    @Test
    void deeplyNestedJsonIsRefusedCleanly() {
        String deep = "[".repeat(3000) + "]".repeat(3000);
        assertThat(refusal(() -> v.verifyConnect(raw("{\"alg\":\"HS256\",\"x\":" + deep + "}", "{}", "c2ln"))))
                .isEqualTo(MALFORMED);
        // deep payload, validly signed
        String token = hs256("{\"sub\":\"a\",\"info\":{\"x\":" + deep + "}}");
        assertThat(refusal(() -> v.verifyConnect(token))).isEqualTo(MALFORMED);
    }

    /**
     * Property: random strings and random mutations of a valid token are always refused with a
     * {@link TokenException} (never another exception), unless the mutation left the token's
     * meaning intact (a base64url character whose changed bits are padding), in which case the
     * claims are the original ones. Seeded so that a failure reproduces.
     */
    @Test
    void fuzzNeverThrowsAnythingElseNorAcceptsAForgery() throws Exception {
        Random rnd = new Random(20300101L);
        String valid = hs256(Map.of("sub", "alice", "info", Map.of("n", 1), "channels",
                Map.of("subscribe", java.util.List.of("chat:*"))));
        ConnectClaims original = v.verifyConnect(valid);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ {}\"\\\u00e9\u0000";
        int refused = 0;
        for (int i = 0; i < 5_000; i++) {
            String candidate;
            switch (rnd.nextInt(4)) {
                case 0 -> {
                    StringBuilder b = new StringBuilder();
                    int len = rnd.nextInt(200);
                    for (int j = 0; j < len; j++) {
                        b.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
                    }
                    candidate = b.toString();
                }
                case 1 -> {
                    char[] c = valid.toCharArray();
                    int flips = 1 + rnd.nextInt(3);
                    for (int j = 0; j < flips; j++) {
                        c[rnd.nextInt(c.length)] = alphabet.charAt(rnd.nextInt(alphabet.length()));
                    }
                    candidate = new String(c);
                }
                case 2 -> {
                    int a = rnd.nextInt(valid.length());
                    int b = a + rnd.nextInt(valid.length() - a);
                    candidate = valid.substring(0, a) + valid.substring(b);
                }
                default -> {
                    String[] parts = valid.split("\\.");
                    candidate = parts[rnd.nextInt(3)] + "." + parts[rnd.nextInt(3)] + "." + parts[rnd.nextInt(3)];
                }
            }
            try {
                ConnectClaims c = v.verifyConnect(candidate);
                assertThat(c).as("accepted mutation %s", candidate).isEqualTo(original);
            } catch (TokenException e) {
                refused++;
                assertThat(e.reason()).isNotNull();
                assertThat(e.getMessage()).doesNotContain(valid.substring(valid.lastIndexOf('.') + 1));
            } catch (RuntimeException e) {
                throw new AssertionError("threw " + e + " for " + candidate, e);
            }
        }
        assertThat(refused).isGreaterThan(4_500);
    }
}
