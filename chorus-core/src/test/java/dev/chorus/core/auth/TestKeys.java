package dev.chorus.core.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.Base64URL;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Keys and token minting for the auth tests (tokens are signed with nimbus, as an issuer would). */
final class TestKeys {
    static final String SECRET = "0123456789abcdef0123456789abcdef-test-secret";
    static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    /** Generated once: RSA key generation is slow. */
    static final KeyPair RSA = generate("RSA", 2048);
    static final KeyPair RSA_OTHER = generate("RSA", 2048);
    static final KeyPair EC = generateEc("secp256r1");
    static final KeyPair EC_OTHER = generateEc("secp256r1");

    private static final ObjectMapper JSON = new ObjectMapper();

    private TestKeys() {
    }

    static KeyPair generate(String alg, int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(alg);
            g.initialize(bits);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    static KeyPair generateEc(String curve) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec(curve));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    static String pem(PublicKey key) {
        return pem("PUBLIC KEY", key.getEncoded());
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    static JWSSigner hmacSigner(String secret) {
        try {
            return new MACSigner(secret.getBytes(StandardCharsets.UTF_8));
        } catch (JOSEException e) {
            throw new AssertionError(e);
        }
    }

    static JWSSigner hmacSigner(byte[] secret) {
        try {
            return new MACSigner(secret);
        } catch (JOSEException e) {
            throw new AssertionError(e);
        }
    }

    static JWSSigner rsaSigner(KeyPair kp) {
        return new RSASSASigner(kp.getPrivate());
    }

    static JWSSigner ecSigner(KeyPair kp) {
        try {
            return new ECDSASigner((ECPrivateKey) kp.getPrivate());
        } catch (JOSEException e) {
            throw new AssertionError(e);
        }
    }

    /** A token with the given payload (any JSON text, so that tests can send wrong shapes). */
    static String sign(JWSAlgorithm alg, JWSSigner signer, String kid, String payloadJson) {
        JWSHeader header = new JWSHeader.Builder(alg).type(JOSEObjectType.JWT).keyID(kid).build();
        return sign(header, signer, payloadJson);
    }

    static String sign(JWSHeader header, JWSSigner signer, String payloadJson) {
        JWSObject jws = new JWSObject(header, new Payload(payloadJson));
        try {
            jws.sign(signer);
        } catch (JOSEException e) {
            throw new AssertionError(e);
        }
        return jws.serialize();
    }

    static String sign(JWSAlgorithm alg, JWSSigner signer, String kid, Map<String, ?> claims) {
        return sign(alg, signer, kid, json(claims));
    }

    static String hs256(Map<String, ?> claims) {
        return sign(JWSAlgorithm.HS256, hmacSigner(SECRET), null, claims);
    }

    static String hs256(String payloadJson) {
        return sign(JWSAlgorithm.HS256, hmacSigner(SECRET), null, payloadJson);
    }

    static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    /** {@code header.payload.signature} from raw JSON parts, base64url-encoded, unsigned. */
    static String raw(String headerJson, String payloadJson, String signature) {
        return Base64URL.encode(headerJson) + "." + Base64URL.encode(payloadJson) + "." + signature;
    }

    static long epoch(Instant i) {
        return i.getEpochSecond();
    }

    interface Call {
        Object call() throws Exception;
    }

    /** The reason a call was refused with; fails the test when it succeeds or throws anything else. */
    static TokenException.Reason refusal(Call c) {
        Object result;
        try {
            result = c.call();
        } catch (TokenException e) {
            return e.reason();
        } catch (Throwable e) {
            throw new AssertionError("expected a TokenException, got " + e, e);
        }
        throw new AssertionError("expected a refusal, but the token was accepted: " + result);
    }

    /** A verifier with the HMAC secret and the fixed clock. */
    static JwtTokenVerifier hmacVerifier() {
        return JwtTokenVerifier.builder().hmacSecret(SECRET).clock(CLOCK).build();
    }
}
