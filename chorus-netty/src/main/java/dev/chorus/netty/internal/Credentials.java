package dev.chorus.netty.internal;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.util.List;

/**
 * Finds the client token of an HTTP request, in this order: {@code Authorization: Bearer <token>},
 * the {@code token} query parameter, the {@code chorus_token} cookie. A browser
 * {@code EventSource} cannot set headers, hence the last two.
 */
final class Credentials {
    static final String COOKIE = "chorus_token";
    static final String QUERY = "token";

    private Credentials() {
    }

    /** The token, or {@code null} when the request carries none. */
    static String token(FullHttpRequest req, QueryStringDecoder query) {
        String auth = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String t = auth.substring(7).trim();
            if (!t.isEmpty()) {
                return t;
            }
        }
        List<String> q = query.parameters().get(QUERY);
        if (q != null && !q.isEmpty() && !q.get(0).isEmpty()) {
            return q.get(0);
        }
        for (String header : req.headers().getAll(HttpHeaderNames.COOKIE)) {
            for (Cookie c : ServerCookieDecoder.LAX.decodeAll(header)) {
                if (COOKIE.equals(c.name()) && !c.value().isEmpty()) {
                    return c.value();
                }
            }
        }
        return null;
    }
}
