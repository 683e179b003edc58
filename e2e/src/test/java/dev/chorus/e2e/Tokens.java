package dev.chorus.e2e;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

/** Mints HS256 tokens for the tests, as an application's auth service would. */
final class Tokens {
    static final String SECRET = "test-secret-of-at-least-32-bytes-length!";

    private Tokens() {
    }

    /** A connection token for {@code user} valid for {@code ttl}, with optional channel permissions. */
    static String connect(String user, Duration ttl, Map<String, List<String>> channels) {
        JWTClaimsSet.Builder c = new JWTClaimsSet.Builder().subject(user).expirationTime(Date.from(Instant.now().plus(ttl)));
        if (channels != null) {
            c.claim("channels", channels);
        }
        return sign(c.build(), SECRET);
    }

    static String connect(String user) {
        return connect(user, Duration.ofHours(1), null);
    }

    /** A subscription token for {@code user} and {@code channel}. */
    static String subscription(String user, String channel) {
        return sign(new JWTClaimsSet.Builder().subject(user).claim("channel", channel)
                .expirationTime(Date.from(Instant.now().plus(Duration.ofHours(1)))).build(), SECRET);
    }

    static String sign(JWTClaimsSet claims, String secret) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
