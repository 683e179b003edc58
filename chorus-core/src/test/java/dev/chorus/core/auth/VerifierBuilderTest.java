package dev.chorus.core.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSASigner;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import static dev.chorus.core.auth.TestKeys.CLOCK;
import static dev.chorus.core.auth.TestKeys.EC;
import static dev.chorus.core.auth.TestKeys.RSA;
import static dev.chorus.core.auth.TestKeys.pem;
import static dev.chorus.core.auth.TestKeys.rsaSigner;
import static dev.chorus.core.auth.TestKeys.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VerifierBuilderTest {
    private static final Map<String, Object> ALICE = Map.of("sub", "alice");

    @Test
    void needsAKey() {
        assertThatThrownBy(() -> JwtTokenVerifier.builder().build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no token key configured");
        assertThatThrownBy(() -> JwtTokenVerifier.builder().issuer("x").audience("y").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no token key configured");
    }

    @Test
    void hmacSecretNeeds32Bytes() throws Exception {
        assertThatThrownBy(() -> JwtTokenVerifier.builder().hmacSecret("a".repeat(31)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("31 bytes").hasMessageContaining("32");
        assertThatThrownBy(() -> JwtTokenVerifier.builder().hmacSecret("").build())
                .isInstanceOf(IllegalArgumentException.class);
        JwtTokenVerifier v = JwtTokenVerifier.builder().hmacSecret("a".repeat(32)).build();
        assertThat(v.verifyConnect(TestKeys.sign(JWSAlgorithm.HS256, TestKeys.hmacSigner("a".repeat(32)), null, ALICE)).user())
                .isEqualTo("alice");
        // bytes, not characters: 16 two-byte characters are 32 bytes
        String accents = "é".repeat(16);
        JwtTokenVerifier utf8 = JwtTokenVerifier.builder().hmacSecret(accents).build();
        assertThat(utf8.verifyConnect(TestKeys.sign(JWSAlgorithm.HS256,
                TestKeys.hmacSigner(accents.getBytes(StandardCharsets.UTF_8)), null, ALICE)).user()).isEqualTo("alice");
    }

    @Test
    void refusesUnreadablePem() {
        for (String bad : new String[] {"", "not a key", "-----BEGIN PUBLIC KEY-----\n!!!\n-----END PUBLIC KEY-----",
            "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----",
            "-----BEGIN PUBLIC KEY-----\n" + Base64.getEncoder().encodeToString(RSA.getPublic().getEncoded())}) {
            assertThatThrownBy(() -> JwtTokenVerifier.builder().rsaPublicKeyPem(bad).build()).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("rsa_public_key");
            assertThatThrownBy(() -> JwtTokenVerifier.builder().ecPublicKeyPem(bad).build()).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("ec_public_key");
        }
    }

    @Test
    void refusesTheWrongKindOfKey() {
        assertThatThrownBy(() -> JwtTokenVerifier.builder().rsaPublicKeyPem(pem(EC.getPublic())).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("rsa_public_key");
        assertThatThrownBy(() -> JwtTokenVerifier.builder().ecPublicKeyPem(pem(RSA.getPublic())).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("ec_public_key");
        assertThatThrownBy(() -> JwtTokenVerifier.builder().rsaPublicKeyPem(pem("PRIVATE KEY", RSA.getPrivate().getEncoded())).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("private key");
        assertThatThrownBy(() -> JwtTokenVerifier.builder()
                .ecPublicKeyPem(pem(TestKeys.generateEc("secp384r1").getPublic())).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("P-256");
        assertThatThrownBy(() -> JwtTokenVerifier.builder()
                .rsaPublicKeyPem(pem(TestKeys.generate("RSA", 1024).getPublic())).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1024 bits");
    }

    @Test
    void readsPkcs1RsaPublicKeys() throws Exception {
        RSAPublicKey pub = (RSAPublicKey) RSA.getPublic();
        byte[] pkcs1 = der(0x30, concat(derInteger(pub.getModulus()), derInteger(pub.getPublicExponent())));
        JwtTokenVerifier v = JwtTokenVerifier.builder().rsaPublicKeyPem(pem("RSA PUBLIC KEY", pkcs1)).clock(CLOCK).build();
        assertThat(v.verifyConnect(sign(JWSAlgorithm.RS256, rsaSigner(RSA), null, ALICE)).user()).isEqualTo("alice");
        assertThat(TestKeys.refusal(() -> v.verifyConnect(sign(JWSAlgorithm.RS256, rsaSigner(TestKeys.RSA_OTHER), null, ALICE))))
                .isEqualTo(TokenException.Reason.BAD_SIGNATURE);
    }

    /** Fixture made by make-fixtures.sh (openssl): a P-256 key and a self-signed certificate for it. */
    @Test
    void readsTheKeyOfACertificate() throws Exception {
        String cert = resource("ec-p256-cert.pem");
        String keyPem = resource("ec-p256-key.pem");
        byte[] der = Base64.getMimeDecoder().decode(keyPem.replaceAll("-----[A-Z ]+-----", ""));
        ECPrivateKey priv = (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
        JwtTokenVerifier v = JwtTokenVerifier.builder().ecPublicKeyPem(cert).clock(CLOCK).build();
        assertThat(v.verifyConnect(sign(JWSAlgorithm.ES256, new ECDSASigner(priv), null, ALICE)).user()).isEqualTo("alice");
        assertThat(TestKeys.refusal(() -> v.verifyConnect(sign(JWSAlgorithm.ES256, TestKeys.ecSigner(EC), null, ALICE))))
                .isEqualTo(TokenException.Reason.BAD_SIGNATURE);
    }

    @Test
    void pemMayHaveSurroundingText() throws Exception {
        String pem = "# issued by auth-service\n" + pem(RSA.getPublic()).replace("\n", "\r\n") + "\ntrailer\n";
        JwtTokenVerifier v = JwtTokenVerifier.builder().rsaPublicKeyPem(pem).clock(CLOCK).build();
        assertThat(v.verifyConnect(sign(JWSAlgorithm.RS256, rsaSigner(RSA), null, ALICE)).user()).isEqualTo("alice");
    }

    @Test
    void validatesSettings() {
        assertThatThrownBy(() -> JwtTokenVerifier.builder().hmacSecret(TestKeys.SECRET).clockSkew(Duration.ofSeconds(-1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clockSkew");
        assertThatThrownBy(() -> JwtTokenVerifier.builder().hmacSecret(TestKeys.SECRET).clockSkew(Duration.ofDays(2)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clockSkew");
        assertThatThrownBy(() -> JwtTokenVerifier.builder().hmacSecret(TestKeys.SECRET).issuer("").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("issuer");
        assertThatThrownBy(() -> JwtTokenVerifier.builder().hmacSecret(TestKeys.SECRET).audience("").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("audience");
    }

    @Test
    void toStringNamesKeysButNoSecret() {
        JwtTokenVerifier v = JwtTokenVerifier.builder().hmacSecret(TestKeys.SECRET).ecPublicKeyPem(pem(EC.getPublic()))
                .issuer("iss-x").build();
        assertThat(v.toString()).contains("HS256", "ES256", "iss-x").doesNotContain(TestKeys.SECRET);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = VerifierBuilderTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private static byte[] derInteger(BigInteger i) {
        return der(0x02, i.toByteArray());
    }

    private static byte[] der(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int len = content.length;
        if (len < 0x80) {
            out.write(len);
        } else if (len < 0x100) {
            out.write(0x81);
            out.write(len);
        } else {
            out.write(0x82);
            out.write(len >> 8);
            out.write(len & 0xff);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
