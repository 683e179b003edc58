/**
 * Token authentication: {@link dev.chorus.core.auth.TokenVerifier} (the SPI the engine calls),
 * {@link dev.chorus.core.auth.JwtTokenVerifier} (JWT, HS256/RS256/ES256, keys from PEM, a secret
 * or a JWKS), channel {@link dev.chorus.core.auth.ChannelPermissions} and
 * {@link dev.chorus.core.auth.AuthConfig}. User documentation: {@code docs/authentication.md}.
 *
 * <h2>Token format</h2>
 * Tokens are compact JWS (JWTs), at most 8 KiB, signed with HS256, RS256 or ES256 (P-256); any other
 * {@code alg}, {@code none}, JWE, and an algorithm for which no key is configured are refused.
 * Time claims are NumericDates (seconds since the epoch); {@code exp} and {@code nbf} are checked
 * with a clock skew (default 30 s). When an issuer or audience is configured, {@code iss} must
 * equal it and {@code aud} (string or array) must contain it, in both kinds of token. A claim that
 * is present must have the type below; {@code null} is not a value of any of them.
 *
 * <p><b>Connection token</b> (on {@code connect} and {@code refresh}):
 * <ul>
 *   <li>{@code sub}: user id; required; a non-blank string of at most 255 characters without control
 *       characters;</li>
 *   <li>{@code exp}, {@code nbf}: optional;</li>
 *   <li>{@code info}: optional JSON object, shown to others in presence;</li>
 *   <li>{@code channels}: optional object {@code {"subscribe": [...], "publish": [...],
 *       "presence": [...]}} of {@link dev.chorus.core.auth.ChannelPattern} lists, each key optional,
 *       no other keys; a list, when present, alone decides that action;</li>
 *   <li>no {@code channel} claim: that makes it a subscription token, refused here
 *       ({@code BAD_CLAIM}).</li>
 * </ul>
 * <p><b>Subscription token</b> (for a channel of a private namespace):
 * <ul>
 *   <li>{@code sub}: must equal the connection's user ({@code WRONG_USER});</li>
 *   <li>{@code channel}: required, must equal the channel subscribed to ({@code WRONG_CHANNEL});</li>
 *   <li>{@code exp}, {@code nbf}: optional; {@code info}: optional JSON object. Other claims,
 *       {@code channels} included, are ignored.</li>
 * </ul>
 */
package dev.chorus.core.auth;
