package dev.chorus.redis.internal;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * A Lua script run with {@code EVALSHA}, falling back to {@code EVAL} (which caches it again)
 * when Redis answers {@code NOSCRIPT}: after a restart or {@code SCRIPT FLUSH} the cache is empty.
 */
public final class Script {
    private final String name;
    private final byte[] source;
    private final String sha;

    private Script(String name, byte[] source) {
        this.name = name;
        this.source = source;
        this.sha = sha1(source);
    }

    /** The script {@code /dev/chorus/redis/<name>.lua} from the class path. */
    public static Script load(String name) {
        String path = "/dev/chorus/redis/" + name + ".lua";
        try (InputStream in = Script.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing script " + path);
            }
            return new Script(name, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String name() {
        return name;
    }

    public String sha() {
        return sha;
    }

    public <T> CompletionStage<T> run(RedisAsyncCommands<String, byte[]> redis, ScriptOutputType type, String[] keys, byte[]... args) {
        CompletionStage<T> first;
        try {
            first = redis.evalsha(sha, type, keys, args);
        } catch (RuntimeException e) {
            // a connection that rejects commands may throw instead of failing the future
            return CompletableFuture.failedFuture(e);
        }
        return first.exceptionallyCompose(e -> {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof RedisNoScriptException) {
                return redis.eval(source, type, keys, args);
            }
            return CompletableFuture.failedFuture(cause);
        });
    }

    private static String sha1(byte[] b) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-1").digest(b);
            StringBuilder s = new StringBuilder(40);
            for (byte x : d) {
                s.append(Character.forDigit((x >> 4) & 15, 16)).append(Character.forDigit(x & 15, 16));
            }
            return s.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** UTF-8 bytes of a script argument. */
    public static byte[] arg(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] arg(long n) {
        return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
    }
}
