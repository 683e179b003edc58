package dev.chorus.core.auth;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Map;

import static dev.chorus.core.auth.TestKeys.CLOCK;
import static dev.chorus.core.auth.TestKeys.EC;
import static dev.chorus.core.auth.TestKeys.EC_OTHER;
import static dev.chorus.core.auth.TestKeys.RSA;
import static dev.chorus.core.auth.TestKeys.RSA_OTHER;
import static dev.chorus.core.auth.TestKeys.SECRET;
import static dev.chorus.core.auth.TestKeys.ecSigner;
import static dev.chorus.core.auth.TestKeys.hmacSigner;
import static dev.chorus.core.auth.TestKeys.pem;
import static dev.chorus.core.auth.TestKeys.raw;
import static dev.chorus.core.auth.TestKeys.refusal;
import static dev.chorus.core.auth.TestKeys.rsaSigner;
import static dev.chorus.core.auth.TestKeys.sign;
import static dev.chorus.core.auth.TokenException.Reason.BAD_SIGNATURE;
import static dev.chorus.core.auth.TokenException.Reason.MALFORMED;
import static dev.chorus.core.auth.TokenException.Reason.UNSUPPORTED_ALGORITHM;
import static org.assertj.core.api.Assertions.assertThat;

class JwtAlgorithmsTest {
    private static final Map<String, Object> ALICE = Map.of("sub", "alice");

    private final JwtTokenVerifier hmac = TestKeys.hmacVerifier();
    private final JwtTokenVerifier rsa = JwtTokenVerifier.builder().rsaPublicKeyPem(pem(RSA.getPublic())).clock(CLOCK).build();
    private final JwtTokenVerifier ec = JwtTokenVerifier.builder().ecPublicKeyPem(pem(EC.getPublic())).clock(CLOCK).build();

    @Test
    void acceptsHs256() throws Exception {
        assertThat(hmac.verifyConnect(sign(JWSAlgorithm.HS256, hmacSigner(SECRET), null, ALICE)).user()).isEqualTo("alice");
    }

    @Test
    void acceptsRs256() throws Exception {
        assertThat(rsa.verifyConnect(sign(JWSAlgorithm.RS256, rsaSigner(RSA), null, ALICE)).user()).isEqualTo("alice");
    }

    @Test
    void acceptsEs256() throws Exception {
        assertThat(ec.verifyConnect(sign(JWSAlgorithm.ES256, ecSigner(EC), null, ALICE)).user()).isEqualTo("alice");
    }

    @Test
    void refusesSignaturesOfOtherKeys() {
        assertThat(refusal(() -> hmac.verifyConnect(
                sign(JWSAlgorithm.HS256, hmacSigner(SECRET + "x"), null, ALICE)))).isEqualTo(BAD_SIGNATURE);
        assertThat(refusal(() -> rsa.verifyConnect(
                sign(JWSAlgorithm.RS256, rsaSigner(RSA_OTHER), null, ALICE)))).isEqualTo(BAD_SIGNATURE);
        assertThat(refusal(() -> ec.verifyConnect(
                sign(JWSAlgorithm.ES256, ecSigner(EC_OTHER), null, ALICE)))).isEqualTo(BAD_SIGNATURE);
    }

    @Test
    void refusesATamperedPayload() {
        for (JwtTokenVerifier v : new JwtTokenVerifier[] {hmac, rsa, ec}) {
            String good = v == hmac ? sign(JWSAlgorithm.HS256, hmacSigner(SECRET), null, ALICE)
                    : v == rsa ? sign(JWSAlgorithm.RS256, rsaSigner(RSA), null, ALICE)
                    : sign(JWSAlgorithm.ES256, ecSigner(EC), null, ALICE);
            String[] parts = good.split("\\.");
            String forged = parts[0] + "." + com.nimbusds.jose.util.Base64URL.encode("{\"sub\":\"admin\"}") + "." + parts[2];
            assertThat(refusal(() -> v.verifyConnect(forged))).isEqualTo(BAD_SIGNATURE);
        }
    }

    @Test
    void refusesAnEmptySignature() {
        String good = sign(JWSAlgorithm.HS256, hmacSigner(SECRET), null, ALICE);
        String stripped = good.substring(0, good.lastIndexOf('.') + 1);
        assertThat(refusal(() -> hmac.verifyConnect(stripped))).isIn(BAD_SIGNATURE, MALFORMED);
    }

    @Test
    void refusesAlgNone() {
        String payload = "{\"sub\":\"alice\"}";
        String plain = new PlainJWT(new JWTClaimsSet.Builder().subject("alice").build()).serialize();
        for (JwtTokenVerifier v : new JwtTokenVerifier[] {hmac, rsa, ec}) {
            assertThat(refusal(() -> v.verifyConnect(plain))).isEqualTo(UNSUPPORTED_ALGORITHM);
            assertThat(refusal(() -> v.verifyConnect(raw("{\"alg\":\"none\"}", payload, "")))).isEqualTo(UNSUPPORTED_ALGORITHM);
            assertThat(refusal(() -> v.verifyConnect(raw("{\"alg\":\"none\"}", payload, "c2ln")))).isIn(UNSUPPORTED_ALGORITHM, MALFORMED);
            assertThat(refusal(() -> v.verifyConnect(raw("{\"alg\":\"None\"}", payload, "")))).isIn(UNSUPPORTED_ALGORITHM, MALFORMED);
            assertThat(refusal(() -> v.verifyConnect(raw("{\"alg\":\"NONE\"}", payload, "c2ln")))).isIn(UNSUPPORTED_ALGORITHM, MALFORMED);
        }
    }

    @Test
    void refusesOtherAlgorithmsEvenWithTheRightKey() throws Exception {
        byte[] long64 = (SECRET + SECRET).getBytes(StandardCharsets.UTF_8);
        JwtTokenVerifier longHmac = JwtTokenVerifier.builder().hmacSecret(SECRET + SECRET).clock(CLOCK).build();
        assertThat(refusal(() -> longHmac.verifyConnect(sign(JWSAlgorithm.HS384, new MACSigner(long64), null, ALICE))))
                .isEqualTo(UNSUPPORTED_ALGORITHM);
        assertThat(refusal(() -> longHmac.verifyConnect(sign(JWSAlgorithm.HS512, new MACSigner(long64), null, ALICE))))
                .isEqualTo(UNSUPPORTED_ALGORITHM);
        assertThat(refusal(() -> rsa.verifyConnect(sign(JWSAlgorithm.RS512, rsaSigner(RSA), null, ALICE))))
                .isEqualTo(UNSUPPORTED_ALGORITHM);
        assertThat(refusal(() -> rsa.verifyConnect(sign(JWSAlgorithm.PS256, rsaSigner(RSA), null, ALICE))))
                .isEqualTo(UNSUPPORTED_ALGORITHM);
        KeyPair p384 = TestKeys.generateEc("secp384r1");
        assertThat(refusal(() -> ec.verifyConnect(sign(JWSAlgorithm.ES384,
                new ECDSASigner((ECPrivateKey) p384.getPrivate()), null, ALICE)))).isEqualTo(UNSUPPORTED_ALGORITHM);
        // and the same verifier still takes its own algorithm, so the refusals above are about alg
        assertThat(longHmac.verifyConnect(sign(JWSAlgorithm.HS256, new MACSigner(long64), null, ALICE)).user())
                .isEqualTo("alice");
    }

    /**
     * The classic confusion attack: the public key (which is public) used as an HMAC secret, with
     * {@code alg: HS256}, against a server that only has that RSA/EC key.
     */
    @Test
    void refusesAlgorithmConfusion() {
        String rsaPem = pem(RSA.getPublic());
        String ecPem = pem(EC.getPublic());
        for (byte[] secret : new byte[][] {
            rsaPem.getBytes(StandardCharsets.UTF_8), RSA.getPublic().getEncoded(),
            ecPem.getBytes(StandardCharsets.UTF_8), pad(EC.getPublic().getEncoded())}) {
            String forged = sign(JWSAlgorithm.HS256, hmacSigner(secret), null, ALICE);
            assertThat(refusal(() -> rsa.verifyConnect(forged))).isIn(UNSUPPORTED_ALGORITHM, BAD_SIGNATURE);
            assertThat(refusal(() -> ec.verifyConnect(forged))).isIn(UNSUPPORTED_ALGORITHM, BAD_SIGNATURE);
        }
        // RSA-signed token against an EC-only verifier and the reverse
        assertThat(refusal(() -> ec.verifyConnect(sign(JWSAlgorithm.RS256, rsaSigner(RSA), null, ALICE))))
                .isEqualTo(UNSUPPORTED_ALGORITHM);
        assertThat(refusal(() -> rsa.verifyConnect(sign(JWSAlgorithm.ES256, ecSigner(EC), null, ALICE))))
                .isEqualTo(UNSUPPORTED_ALGORITHM);
        // and an HMAC-only verifier does not take asymmetric tokens
        assertThat(refusal(() -> hmac.verifyConnect(sign(JWSAlgorithm.RS256, rsaSigner(RSA), null, ALICE))))
                .isEqualTo(UNSUPPORTED_ALGORITHM);
    }

    /** With both an HMAC secret and an RSA key, the RSA key is still never used as an HMAC secret. */
    @Test
    void refusesConfusionWhenHmacIsAlsoConfigured() {
        JwtTokenVerifier both = JwtTokenVerifier.builder().hmacSecret(SECRET).rsaPublicKeyPem(pem(RSA.getPublic()))
                .clock(CLOCK).build();
        String forged = sign(JWSAlgorithm.HS256, hmacSigner(pem(RSA.getPublic())), null, ALICE);
        assertThat(refusal(() -> both.verifyConnect(forged))).isEqualTo(BAD_SIGNATURE);
    }

    /** A key embedded in the header (jwk) is not trusted: the attacker's own key signs. */
    @Test
    void ignoresKeysEmbeddedInTheHeader() {
        RSAKey attacker = new RSAKey.Builder((RSAPublicKey) RSA_OTHER.getPublic()).build();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).jwk(attacker)
                .jwkURL(java.net.URI.create("http://127.0.0.1:1/jwks.json")).build();
        String forged = sign(header, rsaSigner(RSA_OTHER), "{\"sub\":\"admin\"}");
        assertThat(refusal(() -> rsa.verifyConnect(forged))).isEqualTo(BAD_SIGNATURE);
    }

    @Test
    void refusesCriticalHeaderParameters() {
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.HS256).customParam("exp-crit", 1)
                .criticalParams(java.util.Set.of("exp-crit")).build();
        String token = sign(header, hmacSigner(SECRET), "{\"sub\":\"alice\"}");
        assertThat(refusal(() -> hmac.verifyConnect(token))).isEqualTo(MALFORMED);
    }

    @Test
    void refusesEncryptedTokens() throws JOSEException {
        JWEObject jwe = new JWEObject(new JWEHeader(JWEAlgorithm.DIR, EncryptionMethod.A256GCM),
                new Payload("{\"sub\":\"alice\"}"));
        jwe.encrypt(new DirectEncrypter(SECRET.substring(0, 32).getBytes(StandardCharsets.UTF_8)));
        String token = jwe.serialize();
        assertThat(refusal(() -> hmac.verifyConnect(token))).isEqualTo(UNSUPPORTED_ALGORITHM);
    }

    /** HMAC needs at least 256 bits; EC SPKI DER of P-256 is 91 bytes, fine, but be explicit. */
    private static byte[] pad(byte[] b) {
        return b.length >= 32 ? b : java.util.Arrays.copyOf(b, 32);
    }
}
