package dev.chorus.jdbc;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;

/**
 * Child process of {@link SqliteKillTest}: appends updates {@code n=0,1,2,...} to document
 * {@code killed} with up to 32 in flight, and prints {@code ack <n> <seq>} once each append's stage
 * completes (the store's promise: it is on disk). It never stops by itself; the test kills it.
 */
public final class SqliteAppender {
    private SqliteAppender() {
    }

    public static void main(String[] args) throws Exception {
        SqliteDocumentStore store = SqliteDocumentStore.open(SqliteStoreConfig.builder(Path.of(args[0])).build());
        Semaphore inFlight = new Semaphore(32);
        System.out.println("ready");
        System.out.flush();
        for (long n = 0; ; n++) {
            inFlight.acquire();
            long id = n;
            byte[] update = ("update-" + id + "-" + "x".repeat((int) (id % 50))).getBytes(StandardCharsets.UTF_8);
            store.append("killed", update).whenComplete((seq, err) -> {
                synchronized (System.out) {
                    if (err != null) {
                        System.out.println("error " + id + " " + err);
                    } else {
                        System.out.println("ack " + id + " " + seq);
                    }
                    System.out.flush();
                }
                inFlight.release();
            });
        }
    }
}
