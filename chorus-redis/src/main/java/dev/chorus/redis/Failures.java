package dev.chorus.redis;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/** Turns Lettuce failures into {@link RedisBrokerException}s that say what failed and why. */
final class Failures {
    private Failures() {
    }

    static <T> CompletionStage<T> explain(CompletionStage<T> stage, String what, String uri) {
        return stage.handle((v, e) -> {
            if (e == null) {
                return v;
            }
            throw new CompletionException(explain(e, what, uri));
        });
    }

    static RedisBrokerException explain(Throwable e, String what, String uri) {
        Throwable c = e;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof RedisBrokerException r) {
            return r;
        }
        String reason;
        boolean unavailable = true;
        if (c instanceof RedisCommandTimeoutException) {
            reason = "no answer from Redis at " + uri + " within the command timeout";
        } else if (c instanceof RedisConnectionException) {
            reason = "Redis at " + uri + " is not reachable (" + c.getMessage() + ")";
        } else if (c instanceof RedisCommandExecutionException) {
            reason = "Redis answered an error: " + c.getMessage();
            unavailable = false;
        } else if (c instanceof RedisException && String.valueOf(c.getMessage()).contains("not connected")) {
            reason = "not connected to Redis at " + uri + " (reconnecting)";
        } else if (c instanceof RedisException && String.valueOf(c.getMessage()).contains("disconnected")) {
            reason = "the connection to Redis at " + uri + " was lost while the command was in flight; it may or may not have been executed";
        } else if (c instanceof RedisException && String.valueOf(c.getMessage()).contains("closed")) {
            reason = "the connection to Redis is closed";
        } else {
            reason = c.toString();
            unavailable = c instanceof RedisException;
        }
        return new RedisBrokerException(what + " failed: " + reason, c, unavailable);
    }
}
