package dev.chorus.netty.internal;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * CORS headers for the browser-facing endpoints ({@code /sse}, {@code /publish}). The origin has
 * been checked against the allow-list before; it is echoed (never {@code *}), since requests may
 * carry the {@code chorus_token} cookie and credentialed responses cannot use a wildcard.
 */
final class Cors {
    static final String ALLOW_HEADERS = "Authorization, Content-Type, Last-Event-ID";
    static final String MAX_AGE_SECONDS = "600";

    private Cors() {
    }

    /** Adds the headers of a CORS response for {@code origin} ({@code null}: not a cross-origin request). */
    static void allow(HttpHeaders h, String origin) {
        h.add(HttpHeaderNames.VARY, HttpHeaderNames.ORIGIN);
        if (origin == null) {
            return;
        }
        h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
    }

    /** Adds the headers that answer a preflight ({@code OPTIONS}) for the given methods. */
    static void preflight(HttpHeaders h, String origin, String methods) {
        allow(h, origin);
        h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, methods);
        h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, ALLOW_HEADERS);
        h.set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, MAX_AGE_SECONDS);
    }
}
