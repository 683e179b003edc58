package dev.chorus.core.auth;

import com.nimbusds.jose.JWSAlgorithm;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.chorus.core.auth.TestKeys.CLOCK;
import static dev.chorus.core.auth.TestKeys.EC;
import static dev.chorus.core.auth.TestKeys.RSA;
import static dev.chorus.core.auth.TestKeys.SECRET;
import static dev.chorus.core.auth.TestKeys.pem;
import static org.assertj.core.api.Assertions.assertThat;

/** One verifier shared by several threads gives each token its own answer. */
class VerifierConcurrencyTest {

    @Test
    void sharedVerifierGivesEachTokenItsOwnAnswer() throws Exception {
        JwtTokenVerifier v = JwtTokenVerifier.builder().hmacSecret(SECRET).rsaPublicKeyPem(pem(RSA.getPublic()))
                .ecPublicKeyPem(pem(EC.getPublic())).clock(CLOCK).build();
        List<String> tokens = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String user = "user-" + i;
            Map<String, Object> claims = Map.of("sub", user);
            tokens.add(switch (i % 4) {
                case 0 -> TestKeys.sign(JWSAlgorithm.HS256, TestKeys.hmacSigner(SECRET), null, claims);
                case 1 -> TestKeys.sign(JWSAlgorithm.RS256, TestKeys.rsaSigner(RSA), null, claims);
                case 2 -> TestKeys.sign(JWSAlgorithm.ES256, TestKeys.ecSigner(EC), null, claims);
                default -> TestKeys.sign(JWSAlgorithm.HS256, TestKeys.hmacSigner(SECRET + "!"), null, claims);
            });
            expected.add(i % 4 == 3 ? "BAD_SIGNATURE" : user);
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int offset = t;
                results.add(pool.submit(() -> {
                    List<String> got = new ArrayList<>();
                    for (int round = 0; round < 20; round++) {
                        for (int i = 0; i < tokens.size(); i++) {
                            int k = (i + offset * 7) % tokens.size();
                            String answer;
                            try {
                                answer = v.verifyConnect(tokens.get(k)).user();
                            } catch (TokenException e) {
                                answer = e.reason().name();
                            }
                            if (!answer.equals(expected.get(k))) {
                                got.add(k + ": " + answer);
                            }
                        }
                    }
                    return got;
                }));
            }
            for (Future<List<String>> f : results) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isEmpty();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
