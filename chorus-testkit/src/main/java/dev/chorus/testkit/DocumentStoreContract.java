package dev.chorus.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.chorus.core.documents.DocumentStore;
import dev.chorus.core.documents.DocumentStoreConfig;
import dev.chorus.core.documents.StoredDocument;
import dev.chorus.core.documents.StoredUpdate;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link DocumentStore} must show, clause by clause of its Javadoc: sequence
 * numbers and order, compaction (keeps later appends, idempotent, atomic for readers), delete,
 * durability across close and reopen, concurrent appends, large updates, refused input that
 * stores nothing, and isolation between documents. Extend it with a factory:
 *
 * <pre>{@code
 * class SqliteDocumentStoreContractTest extends DocumentStoreContract {
 *     protected DocumentStore createStore(DocumentStoreConfig config) { return SqliteDocumentStore.open(...); }
 *     protected DocumentStore reopen(DocumentStoreConfig config) { return SqliteDocumentStore.open(...same file...); }
 * }
 * }</pre>
 *
 * <p>Each test gets a new store built with {@link #CONFIG} (small limits, so the over-limit tests
 * stay fast), closed afterwards. Document names carry a random prefix per test instance
 * ({@link #doc}), so stores backed by a database shared between runs can run the suite safely.
 */
public abstract class DocumentStoreContract {
    protected static final Duration WAIT = Duration.ofSeconds(30);
    /** The limits of the stores under test. */
    protected static final DocumentStoreConfig CONFIG = DocumentStoreConfig.builder()
            .maxUpdateSize(256 * 1024)
            .maxSnapshotSize(1024 * 1024)
            .build();

    protected DocumentStore store;
    private final String prefix = "d" + UUID.randomUUID().toString().substring(0, 8) + "/";

    /** A new store with these limits. */
    protected abstract DocumentStore createStore(DocumentStoreConfig config) throws Exception;

    /**
     * For persistent stores: a new store over the same storage as the last one created, which the
     * suite has closed before calling this. The default, {@code null}, means the store keeps
     * nothing across close, and the durability test is skipped.
     */
    protected DocumentStore reopen(DocumentStoreConfig config) throws Exception {
        return null;
    }

    @BeforeEach
    void createStore() throws Exception {
        store = createStore(CONFIG);
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    /** A document name unique to this test instance. */
    protected String doc(String name) {
        return prefix + name;
    }

    protected static <T> T join(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("stage failed: " + e.getCause(), e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The exception a stage failed with (fails when it completed normally). */
    protected static Throwable failure(CompletionStage<?> stage) {
        try {
            Object v = stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("expected the stage to fail, it completed with " + v);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    protected static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    protected static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static List<String> texts(StoredDocument d) {
        List<String> out = new ArrayList<>();
        for (StoredUpdate u : d.updates()) {
            out.add(text(u.data()));
        }
        return out;
    }

    private static List<Long> seqs(StoredDocument d) {
        List<Long> out = new ArrayList<>();
        for (StoredUpdate u : d.updates()) {
            out.add(u.seq());
        }
        return out;
    }

    // ---- append and load

    @Test
    void appendsGetSequenceNumbersFromOneAndLoadInOrder() {
        String d = doc("basic");
        assertThat(join(store.append(d, bytes("a")))).isEqualTo(1L);
        assertThat(join(store.append(d, bytes("bb")))).isEqualTo(2L);
        assertThat(join(store.append(d, bytes("ccc")))).isEqualTo(3L);
        StoredDocument loaded = join(store.load(d));
        assertThat(loaded.name()).isEqualTo(d);
        assertThat(loaded.snapshot()).isNull();
        assertThat(loaded.snapshotSeq()).isZero();
        assertThat(seqs(loaded)).containsExactly(1L, 2L, 3L);
        assertThat(texts(loaded)).containsExactly("a", "bb", "ccc");
        assertThat(loaded.lastSeq()).isEqualTo(3);
        assertThat(loaded.updateCount()).isEqualTo(3);
        assertThat(loaded.updateBytes()).isEqualTo(6);
        assertThat(loaded.isEmpty()).isFalse();
    }

    @Test
    void anUnknownDocumentLoadsEmpty() {
        StoredDocument loaded = join(store.load(doc("nobody")));
        assertThat(loaded.isEmpty()).isTrue();
        assertThat(loaded.lastSeq()).isZero();
        assertThat(loaded.updates()).isEmpty();
        assertThat(loaded.snapshot()).isNull();
    }

    @Test
    void appendsIssuedOneAfterAnotherKeepCallOrder() {
        String d = doc("pipelined");
        int n = 200;
        List<CompletionStage<Long>> stages = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            stages.add(store.append(d, bytes("u" + i)));
        }
        for (int i = 0; i < n; i++) {
            assertThat(join(stages.get(i))).as("seq of append %d", i).isEqualTo(i + 1L);
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            expected.add("u" + i);
        }
        assertThat(texts(join(store.load(d)))).containsExactlyElementsOf(expected);
    }

    @Test
    void everyByteValueRoundTrips() {
        String d = doc("binary");
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        join(store.append(d, all));
        join(store.append(d, new byte[] {0}));
        StoredDocument loaded = join(store.load(d));
        assertThat(loaded.updates().get(0).data()).isEqualTo(all);
        assertThat(loaded.updates().get(1).data()).isEqualTo(new byte[] {0});
    }

    @Test
    void arraysAreNotSharedWithTheCaller() {
        String d = doc("copies");
        byte[] update = bytes("original");
        join(store.append(d, update));
        Arrays.fill(update, (byte) 'x');
        StoredDocument first = join(store.load(d));
        assertThat(text(first.updates().get(0).data())).isEqualTo("original");
        Arrays.fill(first.updates().get(0).data(), (byte) 'y');
        assertThat(text(join(store.load(d)).updates().get(0).data())).isEqualTo("original");

        byte[] snapshot = bytes("snap");
        join(store.compact(d, snapshot, 1));
        Arrays.fill(snapshot, (byte) 'z');
        assertThat(text(join(store.load(d)).snapshot())).isEqualTo("snap");
    }

    @Test
    void largeUpdatesUpToTheLimitAreStoredWhole() {
        String d = doc("large");
        Random random = new Random(42);
        byte[] max = new byte[CONFIG.maxUpdateSize()];
        random.nextBytes(max);
        byte[] big = new byte[CONFIG.maxUpdateSize() / 2 + 1];
        random.nextBytes(big);
        assertThat(join(store.append(d, max))).isEqualTo(1L);
        assertThat(join(store.append(d, big))).isEqualTo(2L);
        StoredDocument loaded = join(store.load(d));
        assertThat(loaded.updates().get(0).data()).isEqualTo(max);
        assertThat(loaded.updates().get(1).data()).isEqualTo(big);
        assertThat(loaded.updateBytes()).isEqualTo(max.length + big.length);

        byte[] snapshot = new byte[CONFIG.maxSnapshotSize()];
        random.nextBytes(snapshot);
        assertThat(join(store.compact(d, snapshot, 2))).isTrue();
        assertThat(join(store.load(d)).snapshot()).isEqualTo(snapshot);
    }

    @Test
    void documentNamesUpToTheLimitAndAnyUnicodeWork() {
        String longName = doc("") + "n".repeat(DocumentStore.MAX_NAME_LENGTH - doc("").length());
        String unicode = doc("rüm 日本 \uD83D\uDE00 'quoted' \"double\" ; drop table x; --");
        assertThat(longName).hasSize(DocumentStore.MAX_NAME_LENGTH);
        join(store.append(longName, bytes("long")));
        join(store.append(unicode, bytes("uni")));
        assertThat(texts(join(store.load(longName)))).containsExactly("long");
        StoredDocument u = join(store.load(unicode));
        assertThat(u.name()).isEqualTo(unicode);
        assertThat(texts(u)).containsExactly("uni");
    }

    // ---- compaction

    @Test
    void compactReplacesUpdatesUpToSeqWithTheSnapshot() {
        String d = doc("compact");
        for (int i = 1; i <= 5; i++) {
            join(store.append(d, bytes("u" + i)));
        }
        assertThat(join(store.compact(d, bytes("snap-3"), 3))).isTrue();
        StoredDocument loaded = join(store.load(d));
        assertThat(text(loaded.snapshot())).isEqualTo("snap-3");
        assertThat(loaded.snapshotSeq()).isEqualTo(3);
        assertThat(seqs(loaded)).containsExactly(4L, 5L);
        assertThat(texts(loaded)).containsExactly("u4", "u5");
        assertThat(loaded.updateCount()).isEqualTo(2);
        assertThat(loaded.updateBytes()).isEqualTo(4);
        assertThat(loaded.lastSeq()).isEqualTo(5);
    }

    @Test
    void compactingEverythingLeavesOnlyTheSnapshotAndSeqsGoOn() {
        String d = doc("compact-all");
        join(store.append(d, bytes("a")));
        join(store.append(d, bytes("b")));
        assertThat(join(store.compact(d, bytes("ab"), 2))).isTrue();
        StoredDocument loaded = join(store.load(d));
        assertThat(loaded.updates()).isEmpty();
        assertThat(loaded.lastSeq()).isEqualTo(2);
        assertThat(loaded.isEmpty()).isFalse();
        assertThat(join(store.append(d, bytes("c")))).as("numbering goes on after compaction").isEqualTo(3L);
        assertThat(join(store.compact(d, bytes("abc"), 3))).isTrue();
        assertThat(join(store.append(d, bytes("d")))).isEqualTo(4L);
        StoredDocument again = join(store.load(d));
        assertThat(text(again.snapshot())).isEqualTo("abc");
        assertThat(seqs(again)).containsExactly(4L);
    }

    @Test
    void repeatedOrStaleCompactionChangesNothing() {
        String d = doc("compact-again");
        for (int i = 1; i <= 6; i++) {
            join(store.append(d, bytes("u" + i)));
        }
        assertThat(join(store.compact(d, bytes("snap-4"), 4))).isTrue();
        assertThat(join(store.compact(d, bytes("snap-4-again"), 4))).as("same position again").isFalse();
        assertThat(join(store.compact(d, bytes("snap-2"), 2))).as("stale position").isFalse();
        StoredDocument loaded = join(store.load(d));
        assertThat(text(loaded.snapshot())).isEqualTo("snap-4");
        assertThat(loaded.snapshotSeq()).isEqualTo(4);
        assertThat(texts(loaded)).containsExactly("u5", "u6");
    }

    @Test
    void compactionPastTheLastUpdateIsRefusedAndChangesNothing() {
        String d = doc("compact-past");
        join(store.append(d, bytes("u1")));
        join(store.append(d, bytes("u2")));
        assertThat(failure(store.compact(d, bytes("snap"), 3))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("seq 3").hasMessageContaining("last update is seq 2");
        assertThat(failure(store.compact(doc("never-written"), bytes("snap"), 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(failure(store.compact(d, bytes("snap"), 0))).isInstanceOf(IllegalArgumentException.class);
        assertThat(failure(store.compact(d, bytes("snap"), -1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(failure(store.compact(d, null, 1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("snapshot is null");
        assertThat(failure(store.compact(d, new byte[0], 1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(failure(store.compact(d, new byte[CONFIG.maxSnapshotSize() + 1], 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max snapshot size");
        StoredDocument loaded = join(store.load(d));
        assertThat(loaded.snapshot()).isNull();
        assertThat(texts(loaded)).containsExactly("u1", "u2");
        assertThat(join(store.load(doc("never-written"))).isEmpty()).isTrue();
        assertThat(join(store.append(d, bytes("u3")))).isEqualTo(3L);
    }

    @Test
    void compactionKeepsUpdatesAppendedMeanwhile() throws Exception {
        String d = doc("compact-concurrent");
        for (int i = 1; i <= 50; i++) {
            join(store.append(d, bytes("u" + i)));
        }
        List<CompletionStage<Long>> later = new ArrayList<>();
        CompletableFuture<Boolean> compaction;
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<List<CompletionStage<Long>>> appender = pool.submit(() -> {
                List<CompletionStage<Long>> out = new ArrayList<>();
                for (int i = 51; i <= 250; i++) {
                    out.add(store.append(d, bytes("u" + i)));
                }
                return out;
            });
            compaction = store.compact(d, bytes("snap-50"), 50).toCompletableFuture();
            later.addAll(appender.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
        assertThat(join(compaction)).isTrue();
        for (int i = 0; i < later.size(); i++) {
            assertThat(join(later.get(i))).isEqualTo(51L + i);
        }
        StoredDocument loaded = join(store.load(d));
        assertThat(text(loaded.snapshot())).isEqualTo("snap-50");
        assertThat(loaded.snapshotSeq()).isEqualTo(50);
        assertThat(loaded.updateCount()).isEqualTo(200);
        assertThat(texts(loaded).get(0)).isEqualTo("u51");
        assertThat(texts(loaded).get(199)).isEqualTo("u250");
    }

    @Test
    void readersSeeEitherTheStateBeforeOrAfterACompaction() throws Exception {
        String d = doc("compact-atomic");
        int n = 200;
        for (int i = 1; i <= n; i++) {
            join(store.append(d, bytes("u" + i)));
        }
        AtomicBoolean done = new AtomicBoolean();
        List<String> problems = new ArrayList<>();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> reader = pool.submit(() -> {
                int loads = 0;
                while (!done.get() || loads == 0) {
                    StoredDocument s = join(store.load(d));
                    loads++;
                    // snapshot "snap-K" holds updates 1..K; the rest must follow without gap or overlap
                    String expectedSnapshot = s.snapshotSeq() == 0 ? null : "snap-" + s.snapshotSeq();
                    String actualSnapshot = s.snapshot() == null ? null : text(s.snapshot());
                    if (s.lastSeq() != n || !java.util.Objects.equals(expectedSnapshot, actualSnapshot)
                            || (s.updateCount() > 0 && !text(s.updates().get(0).data()).equals("u" + (s.snapshotSeq() + 1)))) {
                        synchronized (problems) {
                            problems.add("snapshotSeq=" + s.snapshotSeq() + " snapshot=" + actualSnapshot
                                    + " lastSeq=" + s.lastSeq() + " first=" + (s.updateCount() > 0 ? text(s.updates().get(0).data()) : "-"));
                        }
                    }
                }
                return loads;
            });
            for (int k = 10; k <= n; k += 10) {
                assertThat(join(store.compact(d, bytes("snap-" + k), k))).isTrue();
            }
            done.set(true);
            assertThat(reader.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isPositive();
        } finally {
            done.set(true);
            pool.shutdownNow();
        }
        assertThat(problems).isEmpty();
        StoredDocument end = join(store.load(d));
        assertThat(text(end.snapshot())).isEqualTo("snap-" + n);
        assertThat(end.updates()).isEmpty();
    }

    // ---- delete

    @Test
    void deleteRemovesTheDocumentAndNumberingStartsOver() {
        String d = doc("delete");
        join(store.append(d, bytes("a")));
        join(store.append(d, bytes("b")));
        join(store.compact(d, bytes("ab"), 1));
        assertThat(join(store.delete(d))).isTrue();
        assertThat(join(store.load(d)).isEmpty()).isTrue();
        assertThat(join(store.delete(d))).as("second delete").isFalse();
        assertThat(join(store.delete(doc("never-written")))).isFalse();
        assertThat(join(store.append(d, bytes("new")))).isEqualTo(1L);
        StoredDocument loaded = join(store.load(d));
        assertThat(loaded.snapshot()).isNull();
        assertThat(texts(loaded)).containsExactly("new");
    }

    @Test
    void deleteAfterAppendsIssuedBeforeItRemovesThem() {
        String d = doc("delete-pipelined");
        List<CompletionStage<Long>> appends = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            appends.add(store.append(d, bytes("u" + i)));
        }
        CompletionStage<Boolean> deleted = store.delete(d);
        appends.forEach(DocumentStoreContract::join);
        assertThat(join(deleted)).isTrue();
        assertThat(join(store.load(d)).isEmpty()).isTrue();
    }

    // ---- isolation

    @Test
    void documentsAreIsolatedFromEachOther() {
        // names that a LIKE pattern or a prefix match would confuse
        String a = doc("room");
        String b = doc("room2");
        String c = doc("room%");
        String e = doc("room_");
        join(store.append(a, bytes("a1")));
        join(store.append(b, bytes("b1")));
        join(store.append(a, bytes("a2")));
        join(store.append(c, bytes("c1")));
        join(store.append(e, bytes("e1")));
        assertThat(join(store.append(b, bytes("b2")))).as("each document numbers its own updates").isEqualTo(2L);
        join(store.compact(a, bytes("A"), 2));
        assertThat(join(store.delete(c))).isTrue();
        assertThat(join(store.delete(e))).isTrue();
        StoredDocument la = join(store.load(a));
        StoredDocument lb = join(store.load(b));
        assertThat(text(la.snapshot())).isEqualTo("A");
        assertThat(la.updates()).isEmpty();
        assertThat(lb.snapshot()).isNull();
        assertThat(texts(lb)).containsExactly("b1", "b2");
        assertThat(join(store.load(c)).isEmpty()).isTrue();
        assertThat(join(store.load(doc("ROOM"))).isEmpty()).as("names are case-sensitive").isTrue();
    }

    // ---- concurrency

    @Test
    void concurrentAppendsFromManyThreadsAreAllStoredExactlyOnce() throws Exception {
        String[] docs = {doc("busy-1"), doc("busy-2")};
        int threads = 8;
        int each = 150;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<long[]>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    List<CompletionStage<Long>> stages = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        stages.add(store.append(docs[(thread + i) % 2], bytes(thread + ":" + i)));
                    }
                    List<long[]> seqs = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        seqs.add(new long[] {(thread + i) % 2, join(stages.get(i))});
                    }
                    return seqs;
                }));
            }
            List<List<long[]>> perThread = new ArrayList<>();
            for (Future<List<long[]>> f : futures) {
                perThread.add(f.get(WAIT.toSeconds() * 2, TimeUnit.SECONDS));
            }
            // every thread's appends to a document got increasing numbers, in its call order
            for (List<long[]> seqs : perThread) {
                long[] last = {0, 0};
                for (long[] s : seqs) {
                    assertThat(s[1]).isGreaterThan(last[(int) s[0]]);
                    last[(int) s[0]] = s[1];
                }
            }
        } finally {
            pool.shutdownNow();
        }
        int total = 0;
        for (String d : docs) {
            StoredDocument loaded = join(store.load(d));
            Set<String> unique = new HashSet<>(texts(loaded));
            assertThat(unique).as("no update stored twice in %s", d).hasSize(loaded.updateCount());
            assertThat(loaded.lastSeq()).isEqualTo(loaded.updateCount());
            total += loaded.updateCount();
        }
        assertThat(total).isEqualTo(threads * each);
        Set<String> all = new HashSet<>();
        all.addAll(texts(join(store.load(docs[0]))));
        all.addAll(texts(join(store.load(docs[1]))));
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < each; i++) {
                assertThat(all).contains(t + ":" + i);
            }
        }
    }

    // ---- durability

    @Test
    void everythingSurvivesCloseAndReopen() throws Exception {
        String d = doc("durable");
        String other = doc("durable-other");
        for (int i = 1; i <= 10; i++) {
            join(store.append(d, bytes("u" + i)));
        }
        join(store.compact(d, bytes("snap-6"), 6));
        join(store.append(other, bytes("o1")));
        join(store.append(doc("gone"), bytes("g1")));
        join(store.delete(doc("gone")));
        store.close();
        DocumentStore reopened = reopen(CONFIG);
        assumeTrue(reopened != null, "this store keeps nothing across close: no durability to check");
        store = reopened;
        StoredDocument loaded = join(store.load(d));
        assertThat(text(loaded.snapshot())).isEqualTo("snap-6");
        assertThat(loaded.snapshotSeq()).isEqualTo(6);
        assertThat(texts(loaded)).containsExactly("u7", "u8", "u9", "u10");
        assertThat(texts(join(store.load(other)))).containsExactly("o1");
        assertThat(join(store.load(doc("gone"))).isEmpty()).isTrue();
        assertThat(join(store.append(d, bytes("u11")))).as("numbering goes on after a restart").isEqualTo(11L);
    }

    @Test
    void aClosedStoreRefusesEveryCall() {
        store.close();
        store.close();
        String d = doc("closed");
        assertThat(failure(store.append(d, bytes("x")))).isInstanceOf(IllegalStateException.class);
        assertThat(failure(store.load(d))).isInstanceOf(IllegalStateException.class);
        assertThat(failure(store.compact(d, bytes("x"), 1))).isInstanceOf(IllegalStateException.class);
        assertThat(failure(store.delete(d))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closeFinishesAppendsAlreadyTaken() throws Exception {
        String d = doc("close-drains");
        List<CompletionStage<Long>> stages = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            stages.add(store.append(d, bytes("u" + i)));
        }
        store.close();
        for (int i = 0; i < stages.size(); i++) {
            assertThat(join(stages.get(i))).isEqualTo(i + 1L);
        }
        DocumentStore reopened = reopen(CONFIG);
        if (reopened != null) {
            store = reopened;
            assertThat(join(store.load(d)).updateCount()).isEqualTo(100);
        }
    }

    // ---- bad input

    @Test
    void badNamesAreRefusedWithAClearError() {
        String tooLong = "n".repeat(DocumentStore.MAX_NAME_LENGTH + 1);
        String[] bad = {null, "", "   ", "\t", tooLong, doc("nul\u0000byte"), doc("new\nline"), doc("half\uD83D")};
        String[] messages = {"null", "blank", "blank", "blank", "at most 255", "control character", "control character",
            "unpaired surrogate"};
        for (int i = 0; i < bad.length; i++) {
            String name = bad[i];
            String why = messages[i];
            assertThat(failure(store.append(name, bytes("x")))).as("append %s", name)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(why);
            assertThat(failure(store.load(name))).as("load %s", name).isInstanceOf(IllegalArgumentException.class);
            assertThat(failure(store.compact(name, bytes("x"), 1))).as("compact %s", name)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(why);
            assertThat(failure(store.delete(name))).as("delete %s", name).isInstanceOf(IllegalArgumentException.class);
        }
        // "nul" + "byte" style truncations must not have been stored under a shorter name either
        assertThat(join(store.load(doc("nul"))).isEmpty()).isTrue();
        assertThat(join(store.load(doc("new"))).isEmpty()).isTrue();
        assertThat(join(store.load(doc("half"))).isEmpty()).isTrue();
        assertThat(join(store.load(tooLong.substring(0, DocumentStore.MAX_NAME_LENGTH))).isEmpty()).isTrue();
    }

    @Test
    void badUpdatesAreRefusedAndTakeNoSequenceNumber() {
        String d = doc("bad-updates");
        assertThat(join(store.append(d, bytes("u1")))).isEqualTo(1L);
        assertThat(failure(store.append(d, null))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("update is null");
        assertThat(failure(store.append(d, new byte[0]))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("update is empty");
        assertThat(failure(store.append(d, new byte[CONFIG.maxUpdateSize() + 1])))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(CONFIG.maxUpdateSize() + 1))
                .hasMessageContaining("max update size");
        assertThat(join(store.append(d, bytes("u2")))).as("no number was used by a refused update").isEqualTo(2L);
        assertThat(texts(join(store.load(d)))).containsExactly("u1", "u2");

        String fresh = doc("bad-first-update");
        failure(store.append(fresh, new byte[0]));
        failure(store.append(fresh, new byte[CONFIG.maxUpdateSize() + 1]));
        assertThat(join(store.load(fresh)).isEmpty()).as("a refused first update creates no document").isTrue();
        assertThat(join(store.delete(fresh))).isFalse();
    }

    @Test
    void badInputFailsTheStageInsteadOfThrowing() {
        // callers compose stages; an exception thrown from the call itself would escape them
        CompletionStage<Long> append = store.append(null, null);
        CompletionStage<Boolean> compact = store.compact(null, null, -5);
        assertThat(append).isNotNull();
        assertThat(compact).isNotNull();
        assertThatThrownBy(() -> append.toCompletableFuture().join()).hasCauseInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> compact.toCompletableFuture().join()).hasCauseInstanceOf(IllegalArgumentException.class);
    }
}
