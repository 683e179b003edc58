package dev.chorus.server;

import dev.chorus.core.config.ChorusConfig;
import dev.chorus.server.config.ConfigException;

/**
 * Refuses to run a server that nobody could connect to safely: without {@code --dev} some form of
 * authentication must be configured: token verification ({@code auth}) or {@code allow_anonymous}.
 */
final class AuthCheck {
    private AuthCheck() {
    }

    static void requireAuthentication(ChorusConfig c) {
        if (c.dev() || c.allowAnonymous() || c.auth().enabled()) {
            return;
        }
        throw new ConfigException("""
                no authentication is configured, so no client could connect. Either
                  - run with --dev for development (anonymous clients, permissive namespaces), or
                  - configure JWT verification under auth: (hmac_secret, rsa_public_key, ec_public_key or jwks_file; see docs/authentication.md), or
                  - set allow_anonymous: true in chorus.yaml (or CHORUS_ALLOW_ANONYMOUS=true) to accept clients without a token, or
                  - embed Chorus in your application and authenticate in a connect hook (Chorus.builder().onConnect(...)).""");
    }
}
