package dev.chorus.core.auth;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Token verification settings as plain values (what the {@code auth:} section of the server's YAML
 * holds), from which {@link #verifier()} builds a {@link JwtTokenVerifier}. Authentication is
 * {@linkplain #enabled() enabled} when at least one key source is set. Immutable; {@link #toString()}
 * never shows the HMAC secret.
 */
public final class AuthConfig {
    private static final AuthConfig NONE = builder().build();

    private final String hmacSecret;
    private final String rsaPublicKeyPem;
    private final String ecPublicKeyPem;
    private final Path jwksFile;
    private final String issuer;
    private final String audience;
    private final Duration clockSkew;

    private AuthConfig(Builder b) {
        if (b.clockSkew.isNegative() || b.clockSkew.compareTo(JwtTokenVerifier.MAX_CLOCK_SKEW) > 0) {
            throw new IllegalArgumentException(
                    "clockSkew must be between 0 and " + JwtTokenVerifier.MAX_CLOCK_SKEW + ": " + b.clockSkew);
        }
        this.hmacSecret = b.hmacSecret;
        this.rsaPublicKeyPem = b.rsaPublicKeyPem;
        this.ecPublicKeyPem = b.ecPublicKeyPem;
        this.jwksFile = b.jwksFile;
        this.issuer = b.issuer;
        this.audience = b.audience;
        this.clockSkew = b.clockSkew;
    }

    /** No keys: authentication off. */
    public static AuthConfig none() {
        return NONE;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().hmacSecret(hmacSecret).rsaPublicKeyPem(rsaPublicKeyPem).ecPublicKeyPem(ecPublicKeyPem)
                .jwksFile(jwksFile).issuer(issuer).audience(audience).clockSkew(clockSkew);
    }

    /** Whether any key source is set, so that tokens can be verified. */
    public boolean enabled() {
        return hmacSecret != null || rsaPublicKeyPem != null || ecPublicKeyPem != null || jwksFile != null;
    }

    /** {@code hmac_secret}: HS256 secret (UTF-8, at least 32 bytes), or null. */
    public String hmacSecret() {
        return hmacSecret;
    }

    /** {@code rsa_public_key}: RS256 public key in PEM, or null. */
    public String rsaPublicKeyPem() {
        return rsaPublicKeyPem;
    }

    /** {@code ec_public_key}: ES256 (P-256) public key in PEM, or null. */
    public String ecPublicKeyPem() {
        return ecPublicKeyPem;
    }

    /** {@code jwks_file}: a JWK set file, read when the verifier is built, or null. */
    public Path jwksFile() {
        return jwksFile;
    }

    /** {@code issuer}: required {@code iss}, or null for any. */
    public String issuer() {
        return issuer;
    }

    /** {@code audience}: a value {@code aud} must contain, or null for any. */
    public String audience() {
        return audience;
    }

    /** {@code clock_skew}: tolerance for {@code exp}/{@code nbf}; default 30 s. */
    public Duration clockSkew() {
        return clockSkew;
    }

    /**
     * Builds the verifier (reading {@link #jwksFile()} now).
     *
     * @throws IllegalStateException    when not {@link #enabled()}
     * @throws IllegalArgumentException when a key cannot be read or is too weak (the message names the key)
     */
    public TokenVerifier verifier() {
        if (!enabled()) {
            throw new IllegalStateException("authentication is not configured: set auth.hmac_secret,"
                    + " auth.rsa_public_key, auth.ec_public_key or auth.jwks_file");
        }
        JwtTokenVerifier.Builder b = JwtTokenVerifier.builder().clockSkew(clockSkew).issuer(issuer).audience(audience);
        if (hmacSecret != null) {
            b.hmacSecret(hmacSecret);
        }
        if (rsaPublicKeyPem != null) {
            b.rsaPublicKeyPem(rsaPublicKeyPem);
        }
        if (ecPublicKeyPem != null) {
            b.ecPublicKeyPem(ecPublicKeyPem);
        }
        if (jwksFile != null) {
            b.jwksFile(jwksFile);
        }
        return b.build();
    }

    @Override
    public String toString() {
        return "AuthConfig{hmacSecret=" + (hmacSecret == null ? "null" : "(set)")
                + ", rsaPublicKeyPem=" + (rsaPublicKeyPem == null ? "null" : "(set)")
                + ", ecPublicKeyPem=" + (ecPublicKeyPem == null ? "null" : "(set)")
                + ", jwksFile=" + jwksFile + ", issuer=" + issuer + ", audience=" + audience
                + ", clockSkew=" + clockSkew + '}';
    }

    /** All values optional (null: unset), except {@code clockSkew}, which defaults to 30 s. */
    public static final class Builder {
        private String hmacSecret;
        private String rsaPublicKeyPem;
        private String ecPublicKeyPem;
        private Path jwksFile;
        private String issuer;
        private String audience;
        private Duration clockSkew = Duration.ofSeconds(30);

        private Builder() {
        }

        public Builder hmacSecret(String v) {
            this.hmacSecret = v;
            return this;
        }

        public Builder rsaPublicKeyPem(String v) {
            this.rsaPublicKeyPem = v;
            return this;
        }

        public Builder ecPublicKeyPem(String v) {
            this.ecPublicKeyPem = v;
            return this;
        }

        public Builder jwksFile(Path v) {
            this.jwksFile = v;
            return this;
        }

        public Builder issuer(String v) {
            this.issuer = v;
            return this;
        }

        public Builder audience(String v) {
            this.audience = v;
            return this;
        }

        public Builder clockSkew(Duration v) {
            this.clockSkew = Objects.requireNonNull(v, "clockSkew");
            return this;
        }

        /** @throws IllegalArgumentException when {@code clockSkew} is negative or over a day */
        public AuthConfig build() {
            return new AuthConfig(this);
        }
    }
}
