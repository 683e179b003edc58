package dev.chorus.core.auth;

/**
 * Checks the tokens clients present: a connection token on {@code connect} (and {@code refresh}),
 * and subscription tokens for private channels.
 *
 * <p>Contract for every implementation:
 * <ul>
 *   <li>thread-safe: one instance serves every connection at once;</li>
 *   <li>never blocks on the network (keys are loaded when the verifier is built; nothing named in
 *       a token, such as {@code jku} or {@code x5u}, is ever fetched), so it may run on an event
 *       loop;</li>
 *   <li>never throws anything but {@link TokenException}, whatever the input, {@code null}
 *       included.</li>
 * </ul>
 * The token format is described in the {@linkplain dev.chorus.core.auth package documentation}.
 */
public interface TokenVerifier {
    /** Verifies a connection token. */
    ConnectClaims verifyConnect(String token) throws TokenException;

    /**
     * Verifies a subscription token: it must name exactly {@code channel} and have
     * {@code sub == user} (the connection's user).
     */
    SubscriptionClaims verifySubscription(String token, String channel, String user) throws TokenException;
}
