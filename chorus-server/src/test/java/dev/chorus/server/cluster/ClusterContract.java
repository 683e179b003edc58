package dev.chorus.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chorus.core.documents.YMessages;
import dev.chorus.protocol.Payload;
import dev.chorus.protocol.Push;
import dev.chorus.protocol.Reply;
import dev.chorus.protocol.Request;
import dev.chorus.protocol.StreamPosition;
import dev.chorus.testkit.TestClient;
import dev.chorus.yjs.Doc;
import dev.chorus.yjs.lib0.Lib0Reader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a cluster of three server processes over a shared broker must do, whatever the broker:
 * one order for everyone, presence across nodes, recovery on another node after {@code kill -9},
 * documents edited through different nodes converging. Subclasses say how to reach the broker.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ClusterContract {
    static final String PG_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    static final Duration WAIT = Duration.ofSeconds(20);

    /** The nodes' logs and data; static so it is there before {@code @BeforeAll} runs. */
    @TempDir
    static Path dir;
    ClusterFixture cluster;
    String prefix;
    private String schema;

    /** The environment that points the nodes at the broker, with {@code prefix} for its keys or subjects. */
    abstract Map<String, String> brokerEnvironment(String prefix);

    /** Whether the broker is reachable (tests skip when not, and fail under CI=true). */
    abstract boolean brokerReachable();

    /** Removes the broker's data under {@code prefix} (as a flush or a restart without persistence would). */
    abstract void loseBrokerData(String prefix) throws Exception;

    static boolean postgresReachable() {
        try (Connection c = DriverManager.getConnection(PG_URL)) {
            return c.isValid(2);
        } catch (Exception e) {
            return false;
        }
    }

    static void requireService(boolean reachable, String what) {
        if (!reachable && "true".equals(System.getenv("CI"))) {
            throw new AssertionError(what + " is required under CI=true");
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(reachable, what + " is not reachable: test skipped");
    }

    /** One cluster for all the tests of a class (each test has channels of its own): starting JVMs is slow. */
    @BeforeAll
    void startCluster() throws Exception {
        requireService(brokerReachable(), getClass().getSimpleName() + "'s broker");
        requireService(postgresReachable(), "PostgreSQL at 127.0.0.1:5432");
        prefix = "chorus-cluster-" + UUID.randomUUID().toString().substring(0, 8);
        schema = "chorus_cluster_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        Map<String, String> env = new HashMap<>(brokerEnvironment(prefix));
        env.put("CHORUS_DOCUMENTS_STORE", "postgres");
        env.put("CHORUS_DOCUMENTS_POSTGRES_URL", PG_URL);
        env.put("CHORUS_DOCUMENTS_POSTGRES_SCHEMA", schema);
        // room for what a client misses while its node is down and it reconnects elsewhere
        env.put("CHORUS_DEFAULT_NAMESPACE_HISTORY_SIZE", "10000");
        cluster = ClusterFixture.start(dir, 3, env);
    }

    @AfterAll
    void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        if (schema != null && postgresReachable()) {
            try (Connection c = DriverManager.getConnection(PG_URL)) {
                c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
        if (prefix != null && brokerReachable()) {
            loseBrokerData(prefix);
        }
    }

    private static List<Push.Pub> pubs(TestClient c, int n) {
        List<Push.Pub> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add((Push.Pub) c.awaitPush(p -> p instanceof Push.Pub, WAIT));
        }
        return out;
    }

    @Test
    void clientsOnDifferentNodesReceiveEachOthersPublicationsInOneOrder() throws Exception {
        List<TestClient> subs = List.of(cluster.client(0), cluster.client(1), cluster.client(2));
        for (TestClient s : subs) {
            assertThat(s.subscribe("chat:order").error()).isNull();
        }
        // three publishers, one per node, publishing at once
        int each = 40;
        List<CompletableFuture<Void>> runs = new ArrayList<>();
        for (int n = 0; n < 3; n++) {
            TestClient pub = cluster.client(n);
            int node = n;
            runs.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < each; i++) {
                    Reply r = pub.publish("chat:order", Payload.ofJson("{\"node\":" + node + ",\"i\":" + i + "}"));
                    assertThat(r.error()).isNull();
                }
            }));
        }
        CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get();
        List<List<String>> seen = new ArrayList<>();
        for (TestClient s : subs) {
            List<Push.Pub> got = pubs(s, 3 * each);
            List<String> order = new ArrayList<>();
            for (int i = 0; i < got.size(); i++) {
                assertThat(got.get(i).pub().offset()).isEqualTo(i + 1);
                order.add(got.get(i).pub().data().jsonString());
            }
            seen.add(order);
        }
        assertThat(seen.get(1)).isEqualTo(seen.get(0));
        assertThat(seen.get(2)).isEqualTo(seen.get(0));
    }

    @Test
    void presenceIsClusterWide() {
        TestClient ann = cluster.client(0);
        assertThat(ann.request(new Request.Subscribe(0, "room:p", null, true, true)).error()).isNull();
        TestClient bob = cluster.client(1);
        assertThat(bob.request(new Request.Subscribe(0, "room:p", null, true, true)).error()).isNull();
        Push.Join join = (Push.Join) ann.awaitPush(p -> p instanceof Push.Join, WAIT);
        assertThat(join.info()).isNotNull();
        TestClient carol = cluster.client(2);
        assertThat(carol.request(new Request.Subscribe(0, "room:p", null, false, false)).error()).isNull();
        var stats = ((dev.chorus.protocol.Result.Raw) carol.request(new Request.PresenceStats(0, "room:p")).result()).value().tree();
        // ann, bob and carol, on three nodes (subscribing to a presence namespace joins it)
        assertThat(stats.get("clients").asInt()).isEqualTo(3);
        var clients = ((dev.chorus.protocol.Result.Raw) carol.request(new Request.Presence(0, "room:p")).result()).value().tree().get("clients");
        assertThat(clients.size()).isEqualTo(3);
        bob.close();
        Push.Leave leave = (Push.Leave) ann.awaitPush(p -> p instanceof Push.Leave, WAIT);
        assertThat(leave.info().client()).isEqualTo(join.info().client());
    }

    @Test
    void aKilledNodesClientsRecoverEveryMissedPublicationOnAnotherNodeNoneTwice() throws Exception {
        TestClient sub = cluster.client(0);
        Reply first = sub.subscribe("feed:k");
        assertThat(first.error()).isNull();
        TestClient publisher = cluster.client(1);
        AtomicBoolean publishing = new AtomicBoolean(true);
        AtomicLong published = new AtomicLong();
        CompletableFuture<Void> run = CompletableFuture.runAsync(() -> {
            while (publishing.get()) {
                Reply r = publisher.publish("feed:k", Payload.ofJson("{\"n\":" + published.get() + "}"));
                if (r.error() == null) {
                    published.incrementAndGet();
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        // take some live, remember the last position, then the node dies
        List<Push.Pub> live = pubs(sub, 20);
        Push.Pub last = live.get(live.size() - 1);
        StreamPosition since = new StreamPosition(last.pub().offset(), last.pub().epoch());
        cluster.nodes.get(0).kill();
        Thread.sleep(500);
        // the client comes back on another node with its position
        TestClient again = cluster.client(2);
        Reply resumed = again.subscribe("feed:k", since);
        assertThat(resumed.error()).isNull();
        var result = ((dev.chorus.protocol.Result.Raw) resumed.result()).value().tree();
        assertThat(result.get("recovered").asBoolean()).as("recovered on another node: %s", result).isTrue();
        Thread.sleep(500);
        publishing.set(false);
        run.get();
        long total = published.get();
        Set<Long> offsets = new HashSet<>();
        for (Push.Pub p : live) {
            offsets.add(p.pub().offset());
        }
        long expectNext = since.offset() + 1;
        for (var p : result.get("publications")) {
            assertThat(p.get("offset").asLong()).isEqualTo(expectNext++);
            assertThat(offsets.add(p.get("offset").asLong())).as("no publication twice").isTrue();
        }
        while (expectNext <= total) {
            Push.Pub p = (Push.Pub) again.awaitPush(x -> x instanceof Push.Pub, WAIT);
            assertThat(p.pub().offset()).isEqualTo(expectNext++);
            assertThat(offsets.add(p.pub().offset())).as("no publication twice").isTrue();
        }
        assertThat(offsets).hasSize((int) total);
        // the cluster gets its node back for the other tests
        cluster.restart(0);
    }

    @Test
    void lostBrokerDataIsReportedAsNotRecovered() throws Exception {
        TestClient sub = cluster.client(0);
        assertThat(sub.subscribe("feed:f").error()).isNull();
        TestClient publisher = cluster.client(1);
        for (int i = 0; i < 5; i++) {
            assertThat(publisher.publish("feed:f", Payload.ofJson("{\"i\":" + i + "}")).error()).isNull();
        }
        List<Push.Pub> got = pubs(sub, 5);
        StreamPosition since = new StreamPosition(got.get(4).pub().offset(), got.get(4).pub().epoch());
        sub.unsubscribe("feed:f");
        loseBrokerData(prefix);
        for (int i = 0; i < 3; i++) {
            assertThat(publisher.publish("feed:f", Payload.ofJson("{\"after\":" + i + "}")).error()).isNull();
        }
        TestClient back = cluster.client(2);
        Reply r = back.subscribe("feed:f", since);
        assertThat(r.error()).isNull();
        var result = ((dev.chorus.protocol.Result.Raw) r.result()).value().tree();
        assertThat(result.get("recovered").asBoolean()).as("recovered after the broker lost the stream").isFalse();
        assertThat(result.get("epoch").asText()).isNotEqualTo(since.epoch());
    }

    private static void drain(TestClient c, String doc, Doc into, Duration wait) {
        Push p;
        while ((p = c.nextPushOrNull(wait)) != null) {
            if (p instanceof Push.Doc d && d.doc().equals(doc)) {
                Lib0Reader r = new Lib0Reader(d.data());
                if (r.readVarUintAsInt() == YMessages.SYNC) {
                    int sub = r.readVarUintAsInt();
                    if (sub == YMessages.STEP2 || sub == YMessages.UPDATE) {
                        into.applyUpdate(r.readVarUint8Array());
                    }
                }
            }
        }
    }

    @Test
    void documentsEditedThroughDifferentNodesConverge() throws Exception {
        List<TestClient> editors = List.of(cluster.client(0), cluster.client(1), cluster.client(2));
        List<Doc> docs = new ArrayList<>();
        for (TestClient e : editors) {
            assertThat(e.request(new Request.DocOpen(0, "shared", false)).error()).isNull();
            docs.add(new Doc());
        }
        // everyone edits at once, through its own node
        for (int round = 0; round < 10; round++) {
            for (int i = 0; i < editors.size(); i++) {
                Doc d = docs.get(i);
                byte[] sv = d.encodeStateVector();
                d.getArray("log").push(List.of("n" + i + "-r" + round));
                d.getMap("last").set("n" + i, (double) round);
                byte[] u = d.encodeStateAsUpdate(sv);
                editors.get(i).send(new Request.Doc(0, "shared", YMessages.update(u)));
            }
        }
        for (int i = 0; i < editors.size(); i++) {
            assertThat(editors.get(i).request(new Request.Ping(0)).error()).isNull();
        }
        await().atMost(WAIT).untilAsserted(() -> {
            for (int i = 0; i < editors.size(); i++) {
                drain(editors.get(i), "shared", docs.get(i), Duration.ofMillis(100));
            }
            Map<String, Object> json = docs.get(0).toJSON();
            assertThat(((List<?>) json.get("log"))).hasSize(30);
            assertThat(docs.get(1).toJSON()).isEqualTo(json);
            assertThat(docs.get(2).toJSON()).isEqualTo(json);
        });
        // a client of a node that never had the document loads the same state from the shared store
        cluster.startNode("node-4");
        TestClient late = cluster.client(3);
        assertThat(late.request(new Request.DocOpen(0, "shared", false)).error()).isNull();
        Doc fresh = new Doc();
        assertThat(late.request(new Request.Doc(0, "shared", YMessages.syncStep1(fresh.encodeStateVector()))).error()).isNull();
        await().atMost(WAIT).untilAsserted(() -> {
            drain(late, "shared", fresh, Duration.ofMillis(100));
            assertThat(fresh.toJSON()).isEqualTo(docs.get(0).toJSON());
        });
    }
}
