package dev.chorus.core.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Map;

import static dev.chorus.core.auth.TestKeys.CLOCK;
import static dev.chorus.core.auth.TestKeys.EC;
import static dev.chorus.core.auth.TestKeys.EC_OTHER;
import static dev.chorus.core.auth.TestKeys.RSA;
import static dev.chorus.core.auth.TestKeys.RSA_OTHER;
import static dev.chorus.core.auth.TestKeys.ecSigner;
import static dev.chorus.core.auth.TestKeys.hmacSigner;
import static dev.chorus.core.auth.TestKeys.refusal;
import static dev.chorus.core.auth.TestKeys.rsaSigner;
import static dev.chorus.core.auth.TestKeys.sign;
import static dev.chorus.core.auth.TokenException.Reason.BAD_SIGNATURE;
import static dev.chorus.core.auth.TokenException.Reason.UNKNOWN_KEY;
import static dev.chorus.core.auth.TokenException.Reason.UNSUPPORTED_ALGORITHM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JwksTest {
    private static final String OCT_SECRET = "an-oct-key-of-at-least-32-bytes-for-hs256";
    private static final Map<String, Object> BOB = Map.of("sub", "bob");

    private static RSAKey rsaJwk(KeyPair kp, String kid) {
        return new RSAKey.Builder((RSAPublicKey) kp.getPublic()).keyID(kid).build();
    }

    private static ECKey ecJwk(KeyPair kp, String kid) {
        return new ECKey.Builder(Curve.P_256, (ECPublicKey) kp.getPublic()).keyID(kid).build();
    }

    private static OctetSequenceKey octJwk(String secret, String kid) {
        return new OctetSequenceKey.Builder(secret.getBytes(StandardCharsets.UTF_8)).keyID(kid).build();
    }

    /** Serialized with private/secret members kept (oct keys are secret by nature). */
    private static String jwks(JWK... keys) {
        return new JWKSet(List.of(keys)).toString(false);
    }

    private static JwtTokenVerifier verifier(String json) {
        return JwtTokenVerifier.builder().jwks(json).clock(CLOCK).build();
    }

    private final JwtTokenVerifier several = verifier(jwks(rsaJwk(RSA, "rsa-1"), rsaJwk(RSA_OTHER, "rsa-2"),
            ecJwk(EC, "ec-1"), octJwk(OCT_SECRET, "oct-1")));

    @Test
    void eachKidVerifiesItsOwnTokens() throws Exception {
        assertThat(several.verifyConnect(sign(JWSAlgorithm.RS256, rsaSigner(RSA), "rsa-1", BOB)).user()).isEqualTo("bob");
        assertThat(several.verifyConnect(sign(JWSAlgorithm.RS256, rsaSigner(RSA_OTHER), "rsa-2", BOB)).user()).isEqualTo("bob");
        assertThat(several.verifyConnect(sign(JWSAlgorithm.ES256, ecSigner(EC), "ec-1", BOB)).user()).isEqualTo("bob");
        assertThat(several.verifyConnect(sign(JWSAlgorithm.HS256, hmacSigner(OCT_SECRET), "oct-1", BOB)).user()).isEqualTo("bob");
    }

    @Test
    void aKidSelectsOneKey() {
        // signed by rsa-2's key but naming rsa-1: only rsa-1 is tried
        assertThat(refusal(() -> several.verifyConnect(sign(JWSAlgorithm.RS256, rsaSigner(RSA_OTHER), "rsa-1", BOB))))
                .isEqualTo(BAD_SIGNATURE);
        // an EC kid with an RS256 token: no RS256 key of that kid
        assertThat(refusal(() -> several.verifyConnect(sign(JWSAlgorithm.RS256, rsaSigner(RSA), "ec-1", BOB))))
                .isEqualTo(UNKNOWN_KEY);
    }

    @Test
    void refusesAnUnknownKid() {
        assertThat(refusal(() -> several.verifyConnect(sign(JWSAlgorithm.RS256, rsaSigner(RSA), "rsa-3", BOB))))
                .isEqualTo(UNKNOWN_KEY);
        assertThat(refusal(() -> several.verifyConnect(sign(JWSAlgorithm.ES256, ecSigner(EC_OTHER), "nope", BOB))))
                .isEqualTo(UNKNOWN_KEY);
    }

    @Test
    void withoutKidEveryKeyOfTheAlgorithmIsTried() throws Exception {
        assertThat(several.verifyConnect(sign(JWSAlgorithm.RS256, rsaSigner(RSA_OTHER), null, BOB)).user()).isEqualTo("bob");
        assertThat(several.verifyConnect(sign(JWSAlgorithm.RS256, rsaSigner(RSA), null, BOB)).user()).isEqualTo("bob");
        assertThat(refusal(() -> several.verifyConnect(sign(JWSAlgorithm.ES256, ecSigner(EC_OTHER), null, BOB))))
                .isEqualTo(BAD_SIGNATURE);
    }

    @Test
    void aKeyWithoutKidTakesTokensOfAnyKid() throws Exception {
        JwtTokenVerifier v = verifier(jwks(rsaJwk(RSA, null)));
        assertThat(v.verifyConnect(sign(JWSAlgorithm.RS256, rsaSigner(RSA), "whatever", BOB)).user()).isEqualTo("bob");
    }

    @Test
    void jwksWithPrivateKeysUsesTheirPublicHalf() throws Exception {
        RSAKey full = new RSAKey.Builder((RSAPublicKey) RSA.getPublic()).privateKey((RSAPrivateKey) RSA.getPrivate())
                .keyID("k").build();
        JwtTokenVerifier v = verifier(jwks(full));
        assertThat(v.verifyConnect(sign(JWSAlgorithm.RS256, rsaSigner(RSA), "k", BOB)).user()).isEqualTo("bob");
    }

    @Test
    void skipsEncryptionKeysAndOtherAlgorithms() {
        RSAKey enc = new RSAKey.Builder((RSAPublicKey) RSA_OTHER.getPublic()).keyID("enc").keyUse(KeyUse.ENCRYPTION).build();
        RSAKey rs512 = new RSAKey.Builder((RSAPublicKey) RSA_OTHER.getPublic()).keyID("rs512")
                .algorithm(JWSAlgorithm.RS512).build();
        JwtTokenVerifier v = verifier(jwks(rsaJwk(RSA, "sig"), enc, rs512));
        assertThat(refusal(() -> v.verifyConnect(sign(JWSAlgorithm.RS256, rsaSigner(RSA_OTHER), "enc", BOB))))
                .isEqualTo(UNKNOWN_KEY);
        assertThat(refusal(() -> v.verifyConnect(sign(JWSAlgorithm.RS256, rsaSigner(RSA_OTHER), "rs512", BOB))))
                .isEqualTo(UNKNOWN_KEY);
        // HS256 with no oct key in the set
        assertThat(refusal(() -> v.verifyConnect(sign(JWSAlgorithm.HS256, hmacSigner(OCT_SECRET), "sig", BOB))))
                .isEqualTo(UNSUPPORTED_ALGORITHM);
    }

    @Test
    void readsAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("jwks.json");
        Files.writeString(file, jwks(ecJwk(EC, "file-ec")));
        JwtTokenVerifier v = JwtTokenVerifier.builder().jwksFile(file).clock(CLOCK).build();
        assertThat(v.verifyConnect(sign(JWSAlgorithm.ES256, ecSigner(EC), "file-ec", BOB)).user()).isEqualTo("bob");
        // read once at build time: later changes to the file do not matter
        Files.writeString(file, "garbage");
        assertThat(v.verifyConnect(sign(JWSAlgorithm.ES256, ecSigner(EC), "file-ec", BOB)).user()).isEqualTo("bob");
    }

    @Test
    void refusesUnreadableSets(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> JwtTokenVerifier.builder().jwksFile(dir.resolve("missing.json")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing.json");
        assertThatThrownBy(() -> verifier("{not json")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a valid JWK set");
        assertThatThrownBy(() -> verifier("{\"keys\": []}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no usable signing key");
        KeyPair p384 = TestKeys.generateEc("secp384r1");
        assertThatThrownBy(() -> verifier(jwks(new ECKey.Builder(Curve.P_384, (ECPublicKey) p384.getPublic()).build())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no usable signing key");
        assertThatThrownBy(() -> verifier(jwks(octJwk("too-short", "short"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("short").hasMessageContaining("32");
        KeyPair weak = TestKeys.generate("RSA", 1024);
        assertThatThrownBy(() -> verifier(jwks(rsaJwk(weak, "weak"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1024 bits");
    }
}
