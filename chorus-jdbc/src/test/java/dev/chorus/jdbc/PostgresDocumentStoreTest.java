package dev.chorus.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.core.documents.StoredDocument;
import dev.chorus.core.documents.StoredUpdate;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the PostgreSQL store adds to the contract: several processes (here: several stores, each
 * with its own pool and writer) writing one document at once and concurrent starts migrating one
 * schema.
 */
class PostgresDocumentStoreTest {
    private static final List<String> SCHEMAS = new CopyOnWriteArrayList<>();

    @BeforeEach
    void database() {
        PostgresTestDatabase.requireReachable();
    }

    @AfterAll
    static void dropSchemas() throws Exception {
        for (String s : SCHEMAS) {
            PostgresTestDatabase.dropSchema(s);
        }
    }

    private static String schema() {
        String s = PostgresTestDatabase.newSchema();
        SCHEMAS.add(s);
        return s;
    }

    private static <T> T join(CompletionStage<T> s) throws Exception {
        return s.toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    @Test
    void severalWritersOnOneDocumentGetDistinctGapFreeSequenceNumbers() throws Exception {
        String schema = schema();
        int stores = 3;
        int threadsPerStore = 3;
        int each = 120;
        List<PostgresDocumentStore> open = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(stores * threadsPerStore);
        try {
            for (int i = 0; i < stores; i++) {
                open.add(PostgresDocumentStore.open(PostgresTestDatabase.config(schema).readThreads(1).build()));
            }
            List<Future<List<Long>>> futures = new ArrayList<>();
            for (int s = 0; s < stores; s++) {
                for (int t = 0; t < threadsPerStore; t++) {
                    PostgresDocumentStore store = open.get(s);
                    String writer = s + "." + t;
                    boolean reverse = (s + t) % 2 == 1;
                    futures.add(pool.submit(() -> {
                        // two documents per batch, touched in opposite orders by neighbours: lock order must not deadlock
                        List<CompletionStage<Long>> stages = new ArrayList<>();
                        for (int i = 0; i < each; i++) {
                            stages.add(store.append(reverse ? "shared-b" : "shared-a", bytes(writer + ":" + i)));
                            stages.add(store.append(reverse ? "shared-a" : "shared-b", bytes(writer + ":" + i)));
                        }
                        List<Long> seqs = new ArrayList<>();
                        for (CompletionStage<Long> st : stages) {
                            seqs.add(join(st));
                        }
                        return seqs;
                    }));
                }
            }
            for (Future<List<Long>> f : futures) {
                f.get(120, TimeUnit.SECONDS);
            }
            int total = stores * threadsPerStore * each;
            for (String doc : new String[] {"shared-a", "shared-b"}) {
                StoredDocument d = join(open.get(0).load(doc));
                assertThat(d.lastSeq()).isEqualTo(total);
                assertThat(d.updateCount()).isEqualTo(total);
                Set<String> texts = new HashSet<>();
                long expected = 1;
                for (StoredUpdate u : d.updates()) {
                    assertThat(u.seq()).isEqualTo(expected++);
                    texts.add(new String(u.data(), StandardCharsets.UTF_8));
                }
                assertThat(texts).as("every update of %s exactly once", doc).hasSize(total);
            }
        } finally {
            pool.shutdownNow();
            open.forEach(PostgresDocumentStore::close);
        }
    }

    @Test
    void storesStartingAtOnceMigrateTheSchemaOnce() throws Exception {
        String schema = schema();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<PostgresDocumentStore> open = new CopyOnWriteArrayList<>();
        try {
            List<Future<?>> starts = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                starts.add(pool.submit(() -> {
                    open.add(PostgresDocumentStore.open(PostgresTestDatabase.config(schema).readThreads(1).build()));
                    return null;
                }));
            }
            for (Future<?> f : starts) {
                f.get(60, TimeUnit.SECONDS);
            }
            assertThat(join(open.get(0).append("d", bytes("x")))).isEqualTo(1L);
            assertThat(join(open.get(3).load("d")).updateCount()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
            open.forEach(PostgresDocumentStore::close);
        }
        try (Connection c = PostgresTestDatabase.connect(PostgresTestDatabase.requireReachable());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT version FROM \"" + schema + "\".chorus_schema_migrations")) {
            List<Integer> versions = new ArrayList<>();
            while (rs.next()) {
                versions.add(rs.getInt(1));
            }
            assertThat(versions).containsExactly(1);
        }
    }

    @Test
    void storesInDifferentSchemasDoNotSeeEachOther() throws Exception {
        try (PostgresDocumentStore a = PostgresDocumentStore.open(PostgresTestDatabase.config(schema()).build());
                PostgresDocumentStore b = PostgresDocumentStore.open(PostgresTestDatabase.config(schema()).build())) {
            join(a.append("same-name", bytes("in a")));
            assertThat(join(b.load("same-name")).isEmpty()).isTrue();
            assertThat(join(b.append("same-name", bytes("in b")))).isEqualTo(1L);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
