package dev.chorus.netty.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Set;

/**
 * Checks {@code Authorization: apikey <key>} against the configured keys in constant time: both
 * sides are hashed first (so lengths do not leak) and every key is compared, match or not.
 */
final class ApiKeys {
    static final String SCHEME = "apikey";

    private final List<byte[]> hashes;

    ApiKeys(Set<String> keys) {
        this.hashes = keys.stream().map(ApiKeys::sha256).toList();
    }

    boolean enabled() {
        return !hashes.isEmpty();
    }

    /** Whether the {@code Authorization} header value carries one of the keys. */
    boolean accepts(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, SCHEME + " ", 0, SCHEME.length() + 1)) {
            return false;
        }
        byte[] given = sha256(authorization.substring(SCHEME.length() + 1).trim());
        boolean ok = false;
        for (byte[] h : hashes) {
            ok |= MessageDigest.isEqual(h, given);
        }
        return ok;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }
}
