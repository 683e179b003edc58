package dev.chorus.core.auth;

import java.util.Objects;

/**
 * A token was refused. The {@link #reason()} is stable and meant for metrics, logs and mapping to
 * protocol error codes; the message is for humans and never contains the token.
 *
 * <p>No stack trace is recorded: refusals are routine and may be frequent.
 */
public final class TokenException extends Exception {
    /** Why a token was refused. */
    public enum Reason {
        /** Not a compact JWS, not base64url/JSON, payload not a JSON object, or longer than 8 KiB. */
        MALFORMED,
        /** The signature does not verify with the key chosen for it. */
        BAD_SIGNATURE,
        /** {@code exp} is past (beyond the clock skew). */
        EXPIRED,
        /** {@code nbf} is in the future (beyond the clock skew). */
        NOT_YET_VALID,
        /** {@code alg} is none, not HS256/RS256/ES256, or one for which no key is configured. */
        UNSUPPORTED_ALGORITHM,
        /** The token's {@code kid} names no configured key of its algorithm. */
        UNKNOWN_KEY,
        /** An audience is configured and {@code aud} does not contain it. */
        WRONG_AUDIENCE,
        /** An issuer is configured and {@code iss} is not it. */
        WRONG_ISSUER,
        /** A required claim ({@code sub}, or {@code channel} in a subscription token) is absent or blank. */
        MISSING_CLAIM,
        /** A claim has the wrong type or shape, or a connection token carries {@code channel}. */
        BAD_CLAIM,
        /** A subscription token for another channel. */
        WRONG_CHANNEL,
        /** A subscription token of another user. */
        WRONG_USER
    }

    private final Reason reason;

    public TokenException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = Objects.requireNonNull(reason);
    }

    public Reason reason() {
        return reason;
    }

    @Override
    public String toString() {
        return "TokenException[" + reason + "]: " + getMessage();
    }
}
