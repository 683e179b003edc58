package dev.chorus.core.documents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.chorus.core.config.DocumentsConfig;
import dev.chorus.protocol.ErrorCode;
import dev.chorus.protocol.ProtocolException;
import dev.chorus.yjs.Doc;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DocumentHubTest {
    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private final MemoryDocumentStore store = new MemoryDocumentStore();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    private DocumentHub hub(DocumentsConfig config) {
        return new DocumentHub(store, config, pool);
    }

    private static <T> T join(CompletionStage<T> s) throws Exception {
        return s.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static ProtocolException failure(CompletionStage<?> s) {
        try {
            s.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(ProtocolException.class);
            return (ProtocolException) e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected a failure");
    }

    static final class Recorder implements DocumentPeer {
        final List<byte[]> updates = new CopyOnWriteArrayList<>();
        final List<byte[]> awareness = new CopyOnWriteArrayList<>();

        @Override
        public void sendUpdate(byte[] update) {
            updates.add(update);
        }

        @Override
        public void sendAwareness(byte[] update) {
            awareness.add(update);
        }
    }

    private static byte[] textUpdate(String text) {
        Doc d = new Doc();
        d.getText("t").insert(0, text);
        return d.encodeStateAsUpdate();
    }

    @Test
    void updatesAreStoredThenSentToTheOtherPeersAndJavaEditsToo() throws Exception {
        DocumentHub hub = hub(DocumentsConfig.defaults());
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        DocumentHandle ha = join(hub.open("d1", a, false));
        join(hub.open("d1", b, false));
        byte[] u = textUpdate("hello");
        join(ha.applyUpdate(u));
        assertThat(a.updates).isEmpty();
        assertThat(b.updates).containsExactly(u);
        assertThat(join(store.load("d1")).updates()).hasSize(1);

        join(hub.edit("d1", doc -> doc.getMap("m").set("k", "v")));
        assertThat(a.updates).hasSize(1);
        assertThat(b.updates).hasSize(2);
        Map<String, Object> json = join(hub.json("d1"));
        assertThat(json.get("t")).isEqualTo("hello");
        assertThat(json.get("m")).isEqualTo(Map.of("k", "v"));

        // a duplicate changes nothing and is not stored or sent again
        join(ha.applyUpdate(u));
        assertThat(b.updates).hasSize(2);
        assertThat(join(store.load("d1")).updates()).hasSize(2);

        // a fresh peer syncing from an empty state vector gets everything
        Doc fresh = new Doc();
        fresh.applyUpdate(join(ha.missing(fresh.encodeStateVector())));
        assertThat(fresh.toJSON()).isEqualTo(json);
    }

    @Test
    void badUpdatesReadOnlyPeersAndLimitsAreRefusedAndChangeNothing() throws Exception {
        DocumentHub hub = hub(DocumentsConfig.builder().maxUpdateSize(1024).maxDocumentSize(4096).build());
        Recorder other = new Recorder();
        DocumentHandle writer = join(hub.open("d2", new Recorder(), false));
        DocumentHandle reader = join(hub.open("d2", other, true));
        join(writer.applyUpdate(textUpdate("ok")));
        byte[] before = join(writer.missing(null));

        assertThat(failure(writer.applyUpdate(new byte[] {1, 2, 3, 4, 5})).code()).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(failure(writer.applyUpdate(new byte[0])).code()).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(failure(reader.applyUpdate(textUpdate("nope"))).code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
        assertThat(failure(writer.applyUpdate(textUpdate("x".repeat(2000)))).code()).isEqualTo(ErrorCode.TOO_LARGE);
        assertThat(failure(hub.open("", new Recorder(), false)).code()).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(join(writer.missing(null))).isEqualTo(before);
        assertThat(join(store.load("d2")).updates()).hasSize(1);
        assertThat(other.updates).hasSize(1);
        // the document still accepts good updates
        join(writer.applyUpdate(textUpdate("more")));
        assertThat(other.updates).hasSize(2);
    }

    @Test
    void awarenessIsRelayedAndRemovedWhenThePeerLeaves() throws Exception {
        DocumentHub hub = hub(DocumentsConfig.defaults());
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        DocumentHandle ha = join(hub.open("d3", a, false));
        DocumentHandle hb = join(hub.open("d3", b, false));
        dev.chorus.yjs.protocol.Awareness client = new dev.chorus.yjs.protocol.Awareness(42);
        client.setLocalState(Map.of("user", "ann"));
        join(ha.applyAwareness(client.encodeUpdate(List.of(42L))));
        assertThat(b.awareness).hasSize(1);
        assertThat(join(hb.awarenessMap())).containsKey(42L);
        assertThat(failure(ha.applyAwareness(new byte[] {5, 1})).code()).isEqualTo(ErrorCode.BAD_REQUEST);

        join(ha.leave());
        assertThat(join(hb.awarenessMap())).doesNotContainKey(42L);
        assertThat(b.awareness).hasSize(2);
        dev.chorus.yjs.protocol.Awareness observer = new dev.chorus.yjs.protocol.Awareness(7);
        b.awareness.forEach(u -> observer.applyUpdate(u, "remote"));
        assertThat(observer.getStates()).doesNotContainKey(42L);
    }

    @Test
    void aClientThatReconnectedBeforeItsOldConnectionWasNoticedKeepsItsAwarenessUntilItLeaves() throws Exception {
        DocumentHub hub = hub(DocumentsConfig.defaults());
        Recorder observer = new Recorder();
        DocumentHandle watcher = join(hub.open("d6", observer, false));
        dev.chorus.yjs.protocol.Awareness client = new dev.chorus.yjs.protocol.Awareness(77);
        client.setLocalState(Map.of("name", "ann"));
        DocumentHandle oldConnection = join(hub.open("d6", new Recorder(), false));
        join(oldConnection.applyAwareness(client.encodeUpdate(List.of(77L))));
        // the same Yjs client comes back on a new connection and announces itself again
        client.setLocalState(Map.of("name", "ann", "back", true));
        DocumentHandle newConnection = join(hub.open("d6", new Recorder(), false));
        join(newConnection.applyAwareness(client.encodeUpdate(List.of(77L))));
        // the server notices the old connection is gone: the state stays, the new connection has it
        join(oldConnection.leave());
        assertThat(join(watcher.awarenessMap())).containsKey(77L);
        // the client leaves for good: its state goes at once, and the others are told
        int before = observer.awareness.size();
        join(newConnection.leave());
        assertThat(join(watcher.awarenessMap())).doesNotContainKey(77L);
        assertThat(observer.awareness.size()).isEqualTo(before + 1);
    }

    @Test
    void anIdleDocumentUnloadsAndLoadsAgainFromTheStore() throws Exception {
        DocumentHub hub = hub(DocumentsConfig.builder().idleUnload(Duration.ZERO).build());
        DocumentHandle h = join(hub.open("d4", new Recorder(), false));
        join(h.applyUpdate(textUpdate("kept")));
        join(h.leave());
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            hub.sweep();
            assertThat(hub.loadedCount()).isZero();
        });
        assertThat(join(hub.json("d4")).get("t")).isEqualTo("kept");
        assertThat(hub.loadedCount()).isEqualTo(1);
    }

    @Test
    void tooManyDocumentsAreRefused() throws Exception {
        DocumentHub hub = hub(DocumentsConfig.builder().maxLoaded(2).build());
        join(hub.open("a", new Recorder(), false));
        join(hub.open("b", new Recorder(), false));
        assertThat(failure(hub.open("c", new Recorder(), false)).code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
        assertThatThrownBy(() -> join(hub.json("c"))).hasCauseInstanceOf(ProtocolException.class);
    }

    @Test
    void compactionMergesStoredUpdatesIntoASnapshot() throws Exception {
        DocumentHub hub = hub(DocumentsConfig.builder().compaction(CompactionPolicy.builder().afterUpdates(5).build()).build());
        DocumentHandle h = join(hub.open("d5", new Recorder(), false));
        for (int i = 0; i < 12; i++) {
            int n = i;
            join(hub.edit("d5", doc -> doc.getArray("a").push(List.of(n))));
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            StoredDocument now = join(store.load("d5"));
            assertThat(now.snapshot()).isNotNull();
            assertThat(now.updates().size()).isLessThan(5);
        });
        StoredDocument stored = join(store.load("d5"));
        Doc reloaded = new Doc();
        reloaded.applyUpdate(stored.snapshot());
        stored.updates().forEach(u -> reloaded.applyUpdate(u.data()));
        assertThat(reloaded.toJSON()).isEqualTo(join(hub.json("d5")));
        assertThat(h.document()).isEqualTo("d5");
    }

    /** A memory store behind a seam that tests override. */
    static class DelegatingStore implements DocumentStore {
        final MemoryDocumentStore inner = new MemoryDocumentStore();

        @Override
        public CompletionStage<Long> append(String doc, byte[] update) {
            return inner.append(doc, update);
        }

        @Override
        public CompletionStage<StoredDocument> load(String doc) {
            return inner.load(doc);
        }

        @Override
        public CompletionStage<Boolean> compact(String doc, byte[] snapshot, long upToSeq) {
            return inner.compact(doc, snapshot, upToSeq);
        }

        @Override
        public CompletionStage<Boolean> delete(String doc) {
            return inner.delete(doc);
        }

        @Override
        public void close() {
        }
    }

    /** A store whose appends wait until the test releases them, as a group commit would. */
    static final class GatedStore extends DelegatingStore {
        final java.util.concurrent.CompletableFuture<Void> gate = new java.util.concurrent.CompletableFuture<>();
        final java.util.concurrent.atomic.AtomicInteger appends = new java.util.concurrent.atomic.AtomicInteger();
        volatile int failAt = -1;

        @Override
        public CompletionStage<Long> append(String doc, byte[] update) {
            int n = appends.getAndIncrement();
            if (n == failAt) {
                return gate.thenCompose(v -> java.util.concurrent.CompletableFuture.failedFuture(new java.io.IOException("disk full")));
            }
            CompletionStage<Long> stored = inner.append(doc, update);
            return gate.thenCompose(v -> stored);
        }
    }

    private static byte[] clientUpdate(long client, String text) {
        Doc d = new Doc(dev.chorus.yjs.DocOptions.builder().clientId(client).build());
        d.getText("t").insert(0, text);
        return d.encodeStateAsUpdate();
    }

    @Test
    void updatesThatBecomeDurableTogetherGoOutAsOneMergedUpdate() throws Exception {
        GatedStore gated = new GatedStore();
        DocumentHub hub = new DocumentHub(gated, DocumentsConfig.defaults(), pool);
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        Recorder watcher = new Recorder();
        DocumentHandle ha = join(hub.open("m1", a, false));
        DocumentHandle hb = join(hub.open("m1", b, false));
        join(hub.open("m1", watcher, true));
        List<CompletionStage<Void>> acks = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            acks.add(ha.applyUpdate(clientUpdate(11 + i, "a" + i)));
        }
        acks.add(hb.applyUpdate(clientUpdate(21, "b0")));
        // nothing is durable yet: nothing is acknowledged or sent
        Thread.sleep(100);
        assertThat(acks).noneMatch(f -> f.toCompletableFuture().isDone());
        assertThat(watcher.updates).isEmpty();
        gated.gate.complete(null);
        for (CompletionStage<Void> f : acks) {
            join(f);
        }
        // one message each, holding all four; a and b made some of them, so they get it too
        assertThat(watcher.updates).hasSize(1);
        assertThat(a.updates).hasSize(1);
        assertThat(b.updates).hasSize(1);
        Doc replica = new Doc();
        replica.applyUpdate(watcher.updates.get(0));
        assertThat(replica.toJSON()).isEqualTo(join(hub.json("m1")));
        assertThat(replica.getText("t").toString()).hasSize(8);
        assertThat(gated.inner.load("m1").toCompletableFuture().join().updates()).hasSize(4);
    }

    @Test
    void aPeerThatMadeEveryUpdateOfAGroupIsSentNothingAndAFailedAppendFailsWhatWaitsBehindIt() throws Exception {
        GatedStore gated = new GatedStore();
        DocumentHub hub = new DocumentHub(gated, DocumentsConfig.defaults(), pool);
        Recorder a = new Recorder();
        Recorder watcher = new Recorder();
        DocumentHandle ha = join(hub.open("m2", a, false));
        join(hub.open("m2", watcher, true));
        CompletionStage<Void> first = ha.applyUpdate(clientUpdate(31, "x"));
        CompletionStage<Void> second = ha.applyUpdate(clientUpdate(32, "y"));
        gated.gate.complete(null);
        join(first);
        join(second);
        assertThat(a.updates).isEmpty();
        assertThat(watcher.updates).hasSize(1);

        GatedStore failing = new GatedStore();
        failing.failAt = 0;
        DocumentHub hub2 = new DocumentHub(failing, DocumentsConfig.defaults(), pool);
        Recorder w2 = new Recorder();
        DocumentHandle h2 = join(hub2.open("m3", new Recorder(), false));
        join(hub2.open("m3", w2, true));
        CompletionStage<Void> lost = h2.applyUpdate(clientUpdate(41, "lost"));
        CompletionStage<Void> behind = h2.applyUpdate(clientUpdate(42, "behind"));
        failing.gate.complete(null);
        assertThat(failure(lost).code()).isEqualTo(ErrorCode.INTERNAL);
        assertThat(failure(behind).code()).isEqualTo(ErrorCode.INTERNAL);
        assertThat(w2.updates).isEmpty();
    }

    /** A store whose loads after the first one per document wait until released: compactions hang. */
    static final class HeldCompactionStore extends DelegatingStore {
        final java.util.concurrent.CompletableFuture<Void> release = new java.util.concurrent.CompletableFuture<>();
        final java.util.Set<String> opened = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final List<String> compactionLoads = new CopyOnWriteArrayList<>();


        @Override
        public CompletionStage<StoredDocument> load(String doc) {
            if (opened.add(doc)) {
                return inner.load(doc); // opening the document
            }
            compactionLoads.add(doc);
            return release.thenCompose(v -> inner.load(doc));
        }
    }

    @Test
    void oneCompactionRunsAtATimeOnANodeAndTheOthersComeAfter() throws Exception {
        HeldCompactionStore held = new HeldCompactionStore();
        DocumentHub hub = new DocumentHub(held, DocumentsConfig.builder().compaction(CompactionPolicy.builder().afterUpdates(3).build()).build(), pool);
        for (String d : List.of("ca", "cb")) {
            join(hub.open(d, new Recorder(), false));
        }
        for (int i = 0; i < 4; i++) {
            int n = i;
            join(hub.edit("ca", doc -> doc.getArray("a").push(List.of(n))));
            join(hub.edit("cb", doc -> doc.getArray("a").push(List.of(n))));
        }
        // both are due; the first one's compaction holds the node's only slot
        await().atMost(Duration.ofSeconds(5)).until(() -> !held.compactionLoads.isEmpty());
        Thread.sleep(200);
        assertThat(held.compactionLoads).hasSize(1);
        held.release.complete(null);
        // the other one compacts after its next update, once the slot is free
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            join(hub.edit("ca", doc -> doc.getArray("a").push(List.of(9))));
            join(hub.edit("cb", doc -> doc.getArray("a").push(List.of(9))));
            assertThat(held.compactionLoads).contains("ca", "cb");
        });
        // a compaction that has loaded still has to write its snapshot
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(join(held.inner.load("ca")).snapshot()).isNotNull();
            assertThat(join(held.inner.load("cb")).snapshot()).isNotNull();
        });
    }
}
