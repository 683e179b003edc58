package dev.chorus.core.auth;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import static dev.chorus.core.auth.TokenException.Reason.BAD_CLAIM;
import static dev.chorus.core.auth.TokenException.Reason.BAD_SIGNATURE;
import static dev.chorus.core.auth.TokenException.Reason.EXPIRED;
import static dev.chorus.core.auth.TokenException.Reason.MALFORMED;
import static dev.chorus.core.auth.TokenException.Reason.MISSING_CLAIM;
import static dev.chorus.core.auth.TokenException.Reason.NOT_YET_VALID;
import static dev.chorus.core.auth.TokenException.Reason.UNKNOWN_KEY;
import static dev.chorus.core.auth.TokenException.Reason.UNSUPPORTED_ALGORITHM;
import static dev.chorus.core.auth.TokenException.Reason.WRONG_AUDIENCE;
import static dev.chorus.core.auth.TokenException.Reason.WRONG_CHANNEL;
import static dev.chorus.core.auth.TokenException.Reason.WRONG_ISSUER;
import static dev.chorus.core.auth.TokenException.Reason.WRONG_USER;

/**
 * A {@link TokenVerifier} for JWTs (compact JWS) signed with HS256, RS256 or ES256, with keys given
 * as an HMAC secret, PEM public keys and/or a JWKS. The token format is described in the
 * {@linkplain dev.chorus.core.auth package documentation}.
 *
 * <p>The algorithm is never taken on trust: a token's {@code alg} only selects among the keys
 * configured for that algorithm, so an HS256 token is refused when only RSA/EC keys are configured
 * (no "public key as HMAC secret" confusion), and {@code none} is always refused. A token's
 * {@code kid} selects the JWKS key of that id; keys configured without an id (the PEM keys, the
 * HMAC secret, JWKS entries without {@code kid}) are tried for any token of their algorithm. Header
 * parameters that point at keys ({@code jku}, {@code jwk}, {@code x5u}, {@code x5c}) are ignored.
 *
 * <p>Immutable and thread-safe; verification does no I/O.
 */
public final class JwtTokenVerifier implements TokenVerifier {
    /** Longest token looked at, in characters; longer ones are {@link TokenException.Reason#MALFORMED}. */
    public static final int MAX_TOKEN_LENGTH = 8 * 1024;
    /** Longest {@code sub}, in characters. */
    public static final int MAX_USER_LENGTH = 255;
    /** Shortest HMAC secret, in bytes (HS256 needs 256 bits). */
    public static final int MIN_HMAC_SECRET_BYTES = 32;
    /** Largest clock skew accepted by the builder. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofDays(1);

    private static final long MAX_JWKS_FILE_BYTES = 1 << 20;
    /** Past this (year ~318,000,000) a numeric date is refused rather than risk Instant overflow. */
    private static final double MAX_NUMERIC_DATE = 1e16;
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.HS256, JWSAlgorithm.RS256,
            JWSAlgorithm.ES256);
    private static final Set<String> CHANNELS_KEYS = Set.of("subscribe", "publish", "presence");
    /**
     * Strict: a duplicated claim or text after the object is refused, rather than read differently
     * from how the issuer's parser would.
     */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** One usable key. {@code kid} may be null (matches any token of its algorithm). */
    private record KeyEntry(String kid, JWSAlgorithm alg, JWSVerifier verifier, String source) {
    }

    private final List<KeyEntry> keys;
    private final String issuer;
    private final String audience;
    private final Duration clockSkew;
    private final Clock clock;

    private JwtTokenVerifier(List<KeyEntry> keys, Builder b) {
        this.keys = List.copyOf(keys);
        this.issuer = b.issuer;
        this.audience = b.audience;
        this.clockSkew = b.clockSkew;
        this.clock = b.clock;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public ConnectClaims verifyConnect(String token) throws TokenException {
        try {
            ObjectNode claims = verifiedClaims(token);
            Instant expiresAt = checkTimes(claims);
            if (claims.has("channel")) {
                throw new TokenException(BAD_CLAIM,
                        "a connection token must not have a channel claim (is this a subscription token?)");
            }
            String user = user(claims);
            return new ConnectClaims(user, expiresAt, permissions(claims), info(claims));
        } catch (RuntimeException e) {
            throw unexpected(e);
        }
    }

    @Override
    public SubscriptionClaims verifySubscription(String token, String channel, String user) throws TokenException {
        try {
            ObjectNode claims = verifiedClaims(token);
            Instant expiresAt = checkTimes(claims);
            JsonNode c = claims.get("channel");
            if (c == null) {
                throw new TokenException(MISSING_CLAIM, "a subscription token must have a channel claim");
            }
            if (!c.isTextual()) {
                throw new TokenException(BAD_CLAIM, "channel must be a string");
            }
            String tokenChannel = c.textValue();
            String tokenUser = user(claims);
            if (!tokenUser.equals(user)) {
                throw new TokenException(WRONG_USER, "the subscription token is for another user");
            }
            if (!tokenChannel.equals(channel)) {
                throw new TokenException(WRONG_CHANNEL, "the subscription token is for another channel");
            }
            return new SubscriptionClaims(tokenUser, tokenChannel, expiresAt, info(claims));
        } catch (RuntimeException e) {
            throw unexpected(e);
        }
    }

    /** Parses, checks the algorithm and signature, issuer and audience; returns the payload. */
    private ObjectNode verifiedClaims(String token) throws TokenException {
        if (token == null || token.isEmpty()) {
            throw new TokenException(MALFORMED, "no token");
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw new TokenException(MALFORMED, "the token is longer than " + MAX_TOKEN_LENGTH + " characters");
        }
        for (int i = 0; i < token.length(); i++) {
            char ch = token.charAt(i);
            if (!(ch >= 'A' && ch <= 'Z' || ch >= 'a' && ch <= 'z' || ch >= '0' && ch <= '9'
                    || ch == '-' || ch == '_' || ch == '.')) {
                throw new TokenException(MALFORMED, "not a JWT: a character outside base64url and '.'");
            }
        }
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (java.text.ParseException | RuntimeException e) {
            throw new TokenException(MALFORMED, "not a JWT: " + e.getMessage());
        }
        if (jwt instanceof PlainJWT) {
            throw new TokenException(UNSUPPORTED_ALGORITHM, "unsigned tokens (alg none) are not accepted");
        }
        if (!(jwt instanceof SignedJWT signed)) {
            throw new TokenException(UNSUPPORTED_ALGORITHM, "encrypted tokens (JWE) are not accepted");
        }
        JWSHeader header = signed.getHeader();
        JWSAlgorithm alg = header.getAlgorithm();
        if (!ALGORITHMS.contains(alg)) {
            throw new TokenException(UNSUPPORTED_ALGORITHM,
                    "alg " + alg + " is not accepted (only HS256, RS256 and ES256)");
        }
        if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
            throw new TokenException(MALFORMED, "critical header parameters are not supported: "
                    + header.getCriticalParams());
        }
        List<KeyEntry> candidates = candidates(alg, header.getKeyID());
        boolean verified = false;
        for (KeyEntry k : candidates) {
            try {
                if (k.verifier.verify(header, signed.getSigningInput(), signed.getSignature())) {
                    verified = true;
                    break;
                }
            } catch (JOSEException e) {
                // a signature of the wrong shape for this key: not verified by it
            }
        }
        if (!verified) {
            throw new TokenException(BAD_SIGNATURE, "the signature does not verify");
        }
        JsonNode payload;
        try {
            payload = JSON.readTree(signed.getPayload().toBytes());
        } catch (IOException | RuntimeException e) {
            throw new TokenException(MALFORMED, "the payload is not valid JSON");
        }
        if (!(payload instanceof ObjectNode claims)) {
            throw new TokenException(MALFORMED, "the payload is not a JSON object");
        }
        checkIssuerAndAudience(claims);
        return claims;
    }

    private List<KeyEntry> candidates(JWSAlgorithm alg, String kid) throws TokenException {
        List<KeyEntry> ofAlg = new ArrayList<>();
        for (KeyEntry k : keys) {
            if (k.alg.equals(alg)) {
                ofAlg.add(k);
            }
        }
        if (ofAlg.isEmpty()) {
            throw new TokenException(UNSUPPORTED_ALGORITHM, "alg " + alg + " is not accepted: no "
                    + (alg.equals(JWSAlgorithm.HS256) ? "HMAC" : alg.equals(JWSAlgorithm.RS256) ? "RSA" : "EC")
                    + " key is configured");
        }
        if (kid == null) {
            return ofAlg;
        }
        List<KeyEntry> byKid = new ArrayList<>();
        List<KeyEntry> anonymous = new ArrayList<>();
        for (KeyEntry k : ofAlg) {
            if (kid.equals(k.kid)) {
                byKid.add(k);
            } else if (k.kid == null) {
                anonymous.add(k);
            }
        }
        if (!byKid.isEmpty()) {
            return byKid;
        }
        if (!anonymous.isEmpty()) {
            return anonymous;
        }
        throw new TokenException(UNKNOWN_KEY, "no " + alg + " key with kid '" + printable(kid) + "'");
    }

    private void checkIssuerAndAudience(ObjectNode claims) throws TokenException {
        if (issuer != null) {
            JsonNode iss = claims.get("iss");
            if (iss == null) {
                throw new TokenException(WRONG_ISSUER, "the token has no iss; '" + issuer + "' is required");
            }
            if (!iss.isTextual() || !iss.textValue().equals(issuer)) {
                throw new TokenException(WRONG_ISSUER, "iss is not the configured issuer");
            }
        }
        if (audience != null) {
            JsonNode aud = claims.get("aud");
            if (aud == null) {
                throw new TokenException(WRONG_AUDIENCE, "the token has no aud; '" + audience + "' is required");
            }
            boolean found;
            if (aud.isTextual()) {
                found = aud.textValue().equals(audience);
            } else if (aud.isArray()) {
                found = false;
                for (JsonNode a : aud) {
                    if (!a.isTextual()) {
                        throw new TokenException(BAD_CLAIM, "aud must be a string or an array of strings");
                    }
                    found |= a.textValue().equals(audience);
                }
            } else {
                throw new TokenException(BAD_CLAIM, "aud must be a string or an array of strings");
            }
            if (!found) {
                throw new TokenException(WRONG_AUDIENCE, "aud does not contain '" + audience + "'");
            }
        }
    }

    /** Checks {@code exp} and {@code nbf}; returns {@code exp} or null. */
    private Instant checkTimes(ObjectNode claims) throws TokenException {
        Instant now = clock.instant();
        Instant exp = numericDate(claims, "exp");
        if (exp != null && !now.isBefore(exp.plus(clockSkew))) {
            throw new TokenException(EXPIRED, "the token expired at " + exp);
        }
        Instant nbf = numericDate(claims, "nbf");
        if (nbf != null && now.isBefore(nbf.minus(clockSkew))) {
            throw new TokenException(NOT_YET_VALID, "the token is not valid before " + nbf);
        }
        return exp;
    }

    private static Instant numericDate(ObjectNode claims, String name) throws TokenException {
        JsonNode v = claims.get(name);
        if (v == null) {
            return null;
        }
        if (!v.isNumber()) {
            throw new TokenException(BAD_CLAIM, name + " must be a number (seconds since the epoch)");
        }
        double d = v.doubleValue();
        if (!Double.isFinite(d) || Math.abs(d) > MAX_NUMERIC_DATE) {
            throw new TokenException(BAD_CLAIM, name + " is out of range");
        }
        try {
            if (v.isIntegralNumber()) {
                return Instant.ofEpochSecond(v.longValue());
            }
            long secs = (long) Math.floor(d);
            return Instant.ofEpochSecond(secs, (long) ((d - secs) * 1e9));
        } catch (DateTimeException | ArithmeticException e) {
            throw new TokenException(BAD_CLAIM, name + " is out of range");
        }
    }

    private static String user(ObjectNode claims) throws TokenException {
        JsonNode sub = claims.get("sub");
        if (sub == null) {
            throw new TokenException(MISSING_CLAIM, "the token has no sub (user id)");
        }
        if (!sub.isTextual()) {
            throw new TokenException(BAD_CLAIM, "sub must be a string");
        }
        String s = sub.textValue();
        if (s.isBlank()) {
            throw new TokenException(MISSING_CLAIM, "sub is blank");
        }
        if (s.length() > MAX_USER_LENGTH) {
            throw new TokenException(BAD_CLAIM, "sub is longer than " + MAX_USER_LENGTH + " characters");
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                throw new TokenException(BAD_CLAIM, "sub contains a control character");
            }
        }
        return s;
    }

    private static String info(ObjectNode claims) throws TokenException {
        JsonNode info = claims.get("info");
        if (info == null) {
            return null;
        }
        if (!info.isObject()) {
            throw new TokenException(BAD_CLAIM, "info must be a JSON object");
        }
        try {
            return JSON.writeValueAsString(info);
        } catch (JsonProcessingException e) {
            throw new TokenException(BAD_CLAIM, "info cannot be written as JSON");
        }
    }

    private static ChannelPermissions permissions(ObjectNode claims) throws TokenException {
        JsonNode channels = claims.get("channels");
        if (channels == null) {
            return null;
        }
        if (!channels.isObject()) {
            throw new TokenException(BAD_CLAIM,
                    "channels must be an object {\"subscribe\": [...], \"publish\": [...], \"presence\": [...]}");
        }
        for (Iterator<String> it = channels.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!CHANNELS_KEYS.contains(key)) {
                throw new TokenException(BAD_CLAIM, "channels: unknown key '" + printable(key)
                        + "' (expected subscribe, publish, presence)");
            }
        }
        try {
            return ChannelPermissions.of(patterns(channels, "subscribe"), patterns(channels, "publish"),
                    patterns(channels, "presence"));
        } catch (IllegalArgumentException e) {
            throw new TokenException(BAD_CLAIM, "channels." + e.getMessage());
        }
    }

    private static List<String> patterns(JsonNode channels, String key) throws TokenException {
        JsonNode list = channels.get(key);
        if (list == null) {
            return null;
        }
        if (!list.isArray()) {
            throw new TokenException(BAD_CLAIM, "channels." + key + " must be an array of strings");
        }
        List<String> out = new ArrayList<>(list.size());
        for (JsonNode o : list) {
            if (!o.isTextual()) {
                throw new TokenException(BAD_CLAIM, "channels." + key + " must be an array of strings");
            }
            out.add(o.textValue());
        }
        return out;
    }

    private static TokenException unexpected(RuntimeException e) {
        // The contract allows only TokenException; anything else is a token we could not make sense of.
        return new TokenException(MALFORMED, "the token cannot be read (" + e.getClass().getSimpleName() + ")");
    }

    /** Caps and cleans a token-supplied string before it goes into a message (logs). */
    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 64; i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) ? '?' : c);
        }
        if (s.length() > 64) {
            b.append("...");
        }
        return b.toString();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("JwtTokenVerifier{keys=[");
        for (int i = 0; i < keys.size(); i++) {
            KeyEntry k = keys.get(i);
            b.append(i == 0 ? "" : ", ").append(k.alg).append(' ').append(k.source);
            if (k.kid != null) {
                b.append(" kid=").append(k.kid);
            }
        }
        b.append("], issuer=").append(issuer).append(", audience=").append(audience)
                .append(", clockSkew=").append(clockSkew).append('}');
        return b.toString();
    }

    /** Builds a {@link JwtTokenVerifier}; at least one key is required. */
    public static final class Builder {
        private String hmacSecret;
        private String rsaPublicKeyPem;
        private String ecPublicKeyPem;
        private final List<String> jwksJson = new ArrayList<>();
        private final List<Path> jwksFiles = new ArrayList<>();
        private String issuer;
        private String audience;
        private Duration clockSkew = Duration.ofSeconds(30);
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** An HS256 secret: its UTF-8 bytes are the key; at least 32 bytes. */
        public Builder hmacSecret(String secret) {
            this.hmacSecret = Objects.requireNonNull(secret, "hmacSecret");
            return this;
        }

        /** An RS256 public key in PEM ({@code PUBLIC KEY}, {@code RSA PUBLIC KEY} or {@code CERTIFICATE}); at least 2048 bits. */
        public Builder rsaPublicKeyPem(String pem) {
            this.rsaPublicKeyPem = Objects.requireNonNull(pem, "rsaPublicKeyPem");
            return this;
        }

        /** An ES256 public key (curve P-256) in PEM ({@code PUBLIC KEY} or {@code CERTIFICATE}). */
        public Builder ecPublicKeyPem(String pem) {
            this.ecPublicKeyPem = Objects.requireNonNull(pem, "ecPublicKeyPem");
            return this;
        }

        /**
         * A JWK set ({@code {"keys": [...]}}) as JSON. Usable keys: RSA (RS256), EC P-256 (ES256) and
         * {@code oct} (HS256); keys with {@code use: enc}, with another {@code alg}, or of other types
         * and curves are skipped. May be called more than once; the sets add up.
         */
        public Builder jwks(String json) {
            this.jwksJson.add(Objects.requireNonNull(json, "jwks"));
            return this;
        }

        /** Like {@link #jwks(String)}, read from a file (once, by {@link #build()}). */
        public Builder jwksFile(Path file) {
            this.jwksFiles.add(Objects.requireNonNull(file, "jwksFile"));
            return this;
        }

        /** When set, {@code iss} must equal it. */
        public Builder issuer(String issuer) {
            this.issuer = issuer;
            return this;
        }

        /** When set, {@code aud} (a string or an array) must contain it. */
        public Builder audience(String audience) {
            this.audience = audience;
            return this;
        }

        /** Tolerance for {@code exp} and {@code nbf}; default 30 s, at most one day. */
        public Builder clockSkew(Duration skew) {
            this.clockSkew = Objects.requireNonNull(skew, "clockSkew");
            return this;
        }

        /** The clock that decides expiry; for tests. Default: the system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** @throws IllegalArgumentException when no key is given, a key cannot be read or is too weak */
        public JwtTokenVerifier build() {
            if (clockSkew.isNegative() || clockSkew.compareTo(MAX_CLOCK_SKEW) > 0) {
                throw new IllegalArgumentException("clockSkew must be between 0 and " + MAX_CLOCK_SKEW + ": " + clockSkew);
            }
            if (issuer != null && issuer.isEmpty()) {
                throw new IllegalArgumentException("issuer must not be empty (leave it unset to accept any)");
            }
            if (audience != null && audience.isEmpty()) {
                throw new IllegalArgumentException("audience must not be empty (leave it unset to accept any)");
            }
            List<KeyEntry> keys = new ArrayList<>();
            if (hmacSecret != null) {
                keys.add(hmac(null, hmacSecret.getBytes(StandardCharsets.UTF_8), "hmac_secret"));
            }
            if (rsaPublicKeyPem != null) {
                keys.add(rsa(null, PemKeys.rsa("rsa_public_key", rsaPublicKeyPem), "rsa_public_key"));
            }
            if (ecPublicKeyPem != null) {
                keys.add(ec(null, PemKeys.ecP256("ec_public_key", ecPublicKeyPem), "ec_public_key"));
            }
            for (String json : jwksJson) {
                keys.addAll(fromJwks("jwks", json));
            }
            for (Path file : jwksFiles) {
                String what = "jwks_file " + file;
                String json;
                try {
                    if (Files.size(file) > MAX_JWKS_FILE_BYTES) {
                        throw new IllegalArgumentException(what + ": larger than " + MAX_JWKS_FILE_BYTES + " bytes");
                    }
                    json = Files.readString(file, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new IllegalArgumentException(what + ": cannot read (" + e + ")", e);
                }
                keys.addAll(fromJwks(what, json));
            }
            if (keys.isEmpty()) {
                throw new IllegalArgumentException("no token key configured: set an HMAC secret, an RSA or EC"
                        + " public key (PEM), or a JWKS");
            }
            return new JwtTokenVerifier(keys, this);
        }

        private static KeyEntry hmac(String kid, byte[] secret, String source) {
            if (secret.length < MIN_HMAC_SECRET_BYTES) {
                throw new IllegalArgumentException(source + ": the HMAC secret has " + secret.length
                        + " bytes; HS256 needs at least " + MIN_HMAC_SECRET_BYTES);
            }
            try {
                return new KeyEntry(kid, JWSAlgorithm.HS256, new MACVerifier(secret), source);
            } catch (JOSEException e) {
                throw new IllegalArgumentException(source + ": unusable HMAC secret (" + e.getMessage() + ")", e);
            }
        }

        private static KeyEntry rsa(String kid, RSAPublicKey key, String source) {
            return new KeyEntry(kid, JWSAlgorithm.RS256, new RSASSAVerifier(key), source);
        }

        private static KeyEntry ec(String kid, ECPublicKey key, String source) {
            try {
                return new KeyEntry(kid, JWSAlgorithm.ES256, new ECDSAVerifier(key), source);
            } catch (JOSEException e) {
                throw new IllegalArgumentException(source + ": unusable EC key (" + e.getMessage() + ")", e);
            }
        }

        private static List<KeyEntry> fromJwks(String what, String json) {
            JWKSet set;
            try {
                set = JWKSet.parse(json);
            } catch (java.text.ParseException | RuntimeException e) {
                throw new IllegalArgumentException(what + ": not a valid JWK set (" + e.getMessage() + ")", e);
            }
            List<KeyEntry> out = new ArrayList<>();
            for (JWK jwk : set.getKeys()) {
                if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) {
                    continue;
                }
                String kid = jwk.getKeyID();
                String source = what + (kid == null ? "" : " kid " + kid);
                String alg = jwk.getAlgorithm() == null ? null : jwk.getAlgorithm().getName();
                try {
                    if (jwk instanceof RSAKey rsaKey && (alg == null || alg.equals("RS256"))) {
                        RSAPublicKey pub = rsaKey.toRSAPublicKey();
                        PemKeys.checkRsaSize(source, pub);
                        out.add(rsa(kid, pub, source));
                    } else if (jwk instanceof ECKey ecKey && Curve.P_256.equals(ecKey.getCurve())
                            && (alg == null || alg.equals("ES256"))) {
                        out.add(ec(kid, ecKey.toECPublicKey(), source));
                    } else if (jwk instanceof OctetSequenceKey oct && (alg == null || alg.equals("HS256"))) {
                        out.add(hmac(kid, oct.toByteArray(), source));
                    }
                } catch (JOSEException e) {
                    throw new IllegalArgumentException(source + ": unusable key (" + e.getMessage() + ")", e);
                }
            }
            if (out.isEmpty()) {
                throw new IllegalArgumentException(what + ": no usable signing key (RSA for RS256, EC P-256"
                        + " for ES256, oct for HS256)");
            }
            return out;
        }
    }
}
