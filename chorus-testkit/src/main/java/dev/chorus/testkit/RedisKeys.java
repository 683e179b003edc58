package dev.chorus.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Deletes a test's keys from the shared Redis at 127.0.0.1:6379 without a client library: one Lua
 * script sent over RESP. Tests use it to clean up their key prefix, or to make a cluster lose its
 * broker data (what FLUSHALL or a restart without persistence does) without touching other users.
 */
public final class RedisKeys {
    private static final String SCRIPT =
            "local n = 0 for _, k in ipairs(redis.call('KEYS', ARGV[1])) do redis.call('DEL', k) n = n + 1 end return n";

    private RedisKeys() {
    }

    /**
     * Deletes every key matching {@code pattern} (a Redis glob, e.g. {@code "prefix:*"}).
     *
     * @throws AssertionError when Redis does not answer with the script's integer reply
     */
    public static void deleteMatching(String pattern) throws IOException {
        String[] args = {"EVAL", SCRIPT, "0", pattern};
        StringBuilder cmd = new StringBuilder("*" + args.length + "\r\n");
        for (String a : args) {
            cmd.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
        try (Socket s = new Socket("127.0.0.1", 6379)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(cmd.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            int first = in.read();
            if (first != ':') {
                throw new AssertionError("Redis did not run the delete script (reply starts with '" + (char) first + "')");
            }
        }
    }
}
