package dev.chorus.core.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static dev.chorus.core.auth.TestKeys.EC;
import static dev.chorus.core.auth.TestKeys.RSA;
import static dev.chorus.core.auth.TestKeys.SECRET;
import static dev.chorus.core.auth.TestKeys.hs256;
import static dev.chorus.core.auth.TestKeys.pem;
import static dev.chorus.core.auth.TestKeys.refusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuthConfigTest {

    @Test
    void noneIsDisabled() {
        assertThat(AuthConfig.none().enabled()).isFalse();
        assertThat(AuthConfig.builder().issuer("x").audience("y").build().enabled()).isFalse();
        assertThatThrownBy(() -> AuthConfig.none().verifier()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("hmac_secret");
        assertThat(AuthConfig.none().clockSkew()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void anyKeyEnables(@TempDir Path dir) {
        assertThat(AuthConfig.builder().hmacSecret(SECRET).build().enabled()).isTrue();
        assertThat(AuthConfig.builder().rsaPublicKeyPem(pem(RSA.getPublic())).build().enabled()).isTrue();
        assertThat(AuthConfig.builder().ecPublicKeyPem(pem(EC.getPublic())).build().enabled()).isTrue();
        assertThat(AuthConfig.builder().jwksFile(dir.resolve("jwks.json")).build().enabled()).isTrue();
    }

    @Test
    void verifierUsesEverySetting(@TempDir Path dir) throws Exception {
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, new JWKSet(new RSAKey.Builder((RSAPublicKey) RSA.getPublic()).keyID("r").build()).toString());
        AuthConfig config = AuthConfig.builder().hmacSecret(SECRET).ecPublicKeyPem(pem(EC.getPublic())).jwksFile(jwks)
                .issuer("me").audience("chorus").clockSkew(Duration.ZERO).build();
        TokenVerifier v = config.verifier();
        long now = Instant.now().getEpochSecond();
        Map<String, Object> ok = Map.of("sub", "a", "iss", "me", "aud", "chorus", "exp", now + 600);
        assertThat(v.verifyConnect(hs256(ok)).user()).isEqualTo("a");
        assertThat(v.verifyConnect(TestKeys.sign(JWSAlgorithm.ES256, TestKeys.ecSigner(EC), null, ok)).user()).isEqualTo("a");
        assertThat(v.verifyConnect(TestKeys.sign(JWSAlgorithm.RS256, TestKeys.rsaSigner(RSA), "r", ok)).user()).isEqualTo("a");
        assertThat(refusal(() -> v.verifyConnect(hs256(Map.of("sub", "a", "iss", "other", "aud", "chorus")))))
                .isEqualTo(TokenException.Reason.WRONG_ISSUER);
        assertThat(refusal(() -> v.verifyConnect(hs256(Map.of("sub", "a", "iss", "me", "aud", "other")))))
                .isEqualTo(TokenException.Reason.WRONG_AUDIENCE);
        // skew 0: a token expired 5 s ago is refused (it would pass with the default 30 s)
        Map<String, Object> justExpired = Map.of("sub", "a", "iss", "me", "aud", "chorus", "exp", now - 5);
        assertThat(refusal(() -> v.verifyConnect(hs256(justExpired)))).isEqualTo(TokenException.Reason.EXPIRED);
        assertThat(config.toBuilder().clockSkew(Duration.ofSeconds(30)).build().verifier().verifyConnect(hs256(justExpired))
                .user()).isEqualTo("a");
    }

    @Test
    void badKeysFailWhenTheVerifierIsBuilt() {
        AuthConfig config = AuthConfig.builder().hmacSecret("short").build();
        assertThat(config.enabled()).isTrue();
        assertThatThrownBy(config::verifier).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hmac_secret");
        assertThatThrownBy(() -> AuthConfig.builder().rsaPublicKeyPem("nope").build().verifier())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rsa_public_key");
        assertThatThrownBy(() -> AuthConfig.builder().clockSkew(Duration.ofSeconds(-1)).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toBuilderKeepsEverything(@TempDir Path dir) {
        AuthConfig a = AuthConfig.builder().hmacSecret(SECRET).rsaPublicKeyPem("r").ecPublicKeyPem("e")
                .jwksFile(dir).issuer("i").audience("au").clockSkew(Duration.ofSeconds(5)).build();
        AuthConfig b = a.toBuilder().build();
        assertThat(b.hmacSecret()).isEqualTo(SECRET);
        assertThat(b.rsaPublicKeyPem()).isEqualTo("r");
        assertThat(b.ecPublicKeyPem()).isEqualTo("e");
        assertThat(b.jwksFile()).isEqualTo(dir);
        assertThat(b.issuer()).isEqualTo("i");
        assertThat(b.audience()).isEqualTo("au");
        assertThat(b.clockSkew()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void toStringHidesTheSecret() {
        assertThat(AuthConfig.builder().hmacSecret(SECRET).issuer("i").build().toString())
                .doesNotContain(SECRET).contains("hmacSecret=(set)", "issuer=i");
    }
}
