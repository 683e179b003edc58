package dev.chorus.core.broker;

import java.time.Duration;
import java.util.Objects;

/**
 * How a publication is stored.
 *
 * @param historySize        publications kept in the channel's history (0: none)
 * @param historyTtl         how long each publication is kept (ignored when historySize is 0)
 * @param idempotencyKey     the publisher's idempotency key, or {@code null}
 * @param idempotencyWindow  how long a key is remembered
 */
public record PublishOptions(int historySize, Duration historyTtl, String idempotencyKey, Duration idempotencyWindow) {
    public PublishOptions {
        if (historySize < 0) {
            throw new IllegalArgumentException("historySize < 0");
        }
        Objects.requireNonNull(historyTtl, "historyTtl");
        Objects.requireNonNull(idempotencyWindow, "idempotencyWindow");
    }

    /** No history, no idempotency key. */
    public static PublishOptions none() {
        return new PublishOptions(0, Duration.ZERO, null, Duration.ZERO);
    }

    public static PublishOptions history(int size, Duration ttl) {
        return new PublishOptions(size, ttl, null, Duration.ofMinutes(2));
    }

    public PublishOptions withIdempotencyKey(String key, Duration window) {
        return new PublishOptions(historySize, historyTtl, key, window);
    }
}
