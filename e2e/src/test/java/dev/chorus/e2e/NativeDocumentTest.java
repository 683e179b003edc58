package dev.chorus.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.core.config.ChorusConfig;
import dev.chorus.core.config.NamespaceConfig;
import dev.chorus.core.documents.YMessages;
import dev.chorus.protocol.ErrorCode;
import dev.chorus.protocol.Format;
import dev.chorus.protocol.Push;
import dev.chorus.protocol.Reply;
import dev.chorus.protocol.Request;
import dev.chorus.testkit.TestClient;
import dev.chorus.yjs.Doc;
import dev.chorus.yjs.lib0.Lib0Reader;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Collaborative documents over chorus/1: y-protocols messages in {@code doc} frames, JSON and MessagePack. */
class NativeDocumentTest {

    /** Applies every sync step 2 / update message in {@code c}'s {@code doc} pushes to {@code into}. */
    private static void drainInto(TestClient c, String name, Doc into, Duration wait) {
        Push p;
        while ((p = c.nextPushOrNull(wait)) != null) {
            if (p instanceof Push.Doc d && d.doc().equals(name)) {
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
    void nativeClientsEditOneDocumentAndJavaSeesTheSameState() throws Exception {
        try (ServerFixture server = ServerFixture.dev()) {
            TestClient a = server.client(Format.JSON);
            TestClient b = server.client(Format.MSGPACK);
            assertThat(a.request(new Request.DocOpen(0, "notes", false)).error()).isNull();
            assertThat(b.request(new Request.DocOpen(0, "notes", false)).error()).isNull();
            // each gets the server's sync step 1 after the reply
            Push.Doc step1 = (Push.Doc) a.awaitPush(p -> p instanceof Push.Doc, Frames.WAIT);
            assertThat(new Lib0Reader(step1.data()).readVarUintAsInt()).isEqualTo(YMessages.SYNC);

            Doc local = new Doc();
            local.getText("body").insert(0, "hello from a");
            Reply r = a.request(new Request.Doc(0, "notes", YMessages.update(local.encodeStateAsUpdate())));
            assertThat(r.error()).isNull();

            Doc seenByB = new Doc();
            drainInto(b, "notes", seenByB, Duration.ofMillis(500));
            assertThat(seenByB.getText("body").toString()).isEqualTo("hello from a");
            assertThat(server.chorus.documents().json("notes").toCompletableFuture().get()).containsEntry("body", "hello from a");

            // a Java edit reaches both
            server.chorus.documents().edit("notes", d -> d.getMap("meta").set("title", "T")).toCompletableFuture().get();
            drainInto(b, "notes", seenByB, Duration.ofMillis(500));
            assertThat(seenByB.getMap("meta").get("title")).isEqualTo("T");

            // a fresh client syncs everything with its step 1
            TestClient c = server.client();
            assertThat(c.request(new Request.DocOpen(0, "notes", false)).error()).isNull();
            Doc fresh = new Doc();
            assertThat(c.request(new Request.Doc(0, "notes", YMessages.syncStep1(fresh.encodeStateVector()))).error()).isNull();
            drainInto(c, "notes", fresh, Duration.ofMillis(500));
            assertThat(fresh.toJSON()).isEqualTo(server.chorus.documents().json("notes").toCompletableFuture().get());
        }
    }

    @Test
    void readOnlyAndMalformedMessagesChangeNothing() throws Exception {
        ChorusConfig config = ChorusConfig.devDefaults().toBuilder()
                .namespace(NamespaceConfig.permissive("doc").toBuilder().allowPublish(false).build()).build();
        try (ServerFixture server = ServerFixture.start(config, b -> b)) {
            server.chorus.documents().edit("board", d -> d.getText("t").insert(0, "base")).toCompletableFuture().get();
            TestClient reader = server.client();
            Reply open = reader.request(new Request.DocOpen(0, "board", false));
            assertThat(Frames.result(open).get("readOnly").asBoolean()).isTrue();
            Doc local = new Doc();
            local.getText("t").insert(0, "vandal ");
            assertThat(reader.request(new Request.Doc(0, "board", YMessages.update(local.encodeStateAsUpdate()))).error()).isNull();
            Push.Doc denied = (Push.Doc) reader.awaitPush(p -> p instanceof Push.Doc d
                    && new Lib0Reader(d.data()).readVarUintAsInt() == YMessages.AUTH, Frames.WAIT);
            assertThat(denied).isNotNull();
            assertThat(server.chorus.documents().json("board").toCompletableFuture().get()).isEqualTo(Map.of("t", "base"));

            Reply bad = reader.request(new Request.Doc(0, "board", new byte[] {0, 2, 50, 1}));
            assertThat(bad.error().code()).isEqualTo(ErrorCode.BAD_REQUEST.code());
            Reply unknown = reader.request(new Request.Doc(0, "board", new byte[] {9}));
            assertThat(unknown.error().code()).isEqualTo(ErrorCode.BAD_REQUEST.code());
            assertThat(reader.request(new Request.Doc(0, "other", new byte[] {3})).error().code())
                    .isEqualTo(ErrorCode.NOT_SUBSCRIBED.code());
            assertThat(server.chorus.documents().json("board").toCompletableFuture().get()).isEqualTo(Map.of("t", "base"));
            // base64 that is not base64
            reader.sendRaw("{\"id\":77,\"op\":\"doc\",\"doc\":\"board\",\"data\":\"***\"}");
            assertThat(reader.awaitReply(77, Frames.WAIT).error().code()).isEqualTo(ErrorCode.BAD_REQUEST.code());
            assertThat(reader.request(new Request.DocClose(0, "board")).error()).isNull();
            assertThat(reader.request(new Request.DocClose(0, "board")).error().code()).isEqualTo(ErrorCode.NOT_SUBSCRIBED.code());
        }
    }

    @Test
    void awarenessIsPresenceInTheDocumentsChannelBothWays() throws Exception {
        try (ServerFixture server = ServerFixture.dev()) {
            TestClient yjs = server.client();
            assertThat(yjs.request(new Request.DocOpen(0, "pad", false)).error()).isNull();
            TestClient nativeClient = server.client();
            assertThat(nativeClient.request(new Request.Subscribe(0, "doc:pad", null, true, true)).error()).isNull();

            // a Yjs client's awareness appears as a join in the channel's presence
            dev.chorus.yjs.protocol.Awareness mine = new dev.chorus.yjs.protocol.Awareness(4242);
            mine.setLocalState(Map.of("user", Map.of("name", "ann")));
            assertThat(yjs.request(new Request.Doc(0, "pad", YMessages.awareness(mine.encodeUpdate(java.util.List.of(4242L))))).error()).isNull();
            Push.Join join = (Push.Join) nativeClient.awaitPush(p -> p instanceof Push.Join j && j.info().client().equals("yjs:4242"), Frames.WAIT);
            assertThat(join.info().state().tree().get("user").get("name").asText()).isEqualTo("ann");
            var presence = Frames.result(nativeClient.request(new Request.Presence(0, "doc:pad"))).get("clients");
            assertThat(presence.has("yjs:4242")).isTrue();

            // a native presence state shows in the document's awareness
            assertThat(nativeClient.request(new Request.PresenceUpdate(0, "doc:pad", Frames.json("{\"cursor\":7}"))).error()).isNull();
            dev.chorus.yjs.protocol.Awareness seen = new dev.chorus.yjs.protocol.Awareness(1);
            long nativeId = dev.chorus.core.documents.AwarenessBridge.awarenessIdOf(clientIdOtherThan(nativeClient));
            org.awaitility.Awaitility.await().atMost(Frames.WAIT).until(() -> {
                Push p;
                while ((p = yjs.nextPushOrNull(Duration.ofMillis(50))) != null) {
                    if (p instanceof Push.Doc d) {
                        Lib0Reader r = new Lib0Reader(d.data());
                        if (r.readVarUintAsInt() == YMessages.AWARENESS) {
                            seen.applyUpdate(r.readVarUint8Array(), "server");
                        }
                    }
                }
                return seen.getStates().containsKey(nativeId);
            });
            assertThat(seen.getStates().get(nativeId)).isEqualTo(Map.of("cursor", 7.0));

            // the Yjs client goes: it leaves the presence
            yjs.close();
            Push.Leave leave = (Push.Leave) nativeClient.awaitPush(p -> p instanceof Push.Leave l && l.info().client().equals("yjs:4242"), Frames.WAIT);
            assertThat(leave).isNotNull();
            assertThat(Frames.result(nativeClient.request(new Request.Presence(0, "doc:pad"))).get("clients").has("yjs:4242")).isFalse();
        }
    }

    /** The server's id for {@code c}: the presence entry that is not a Yjs client. */
    private static String clientIdOtherThan(TestClient c) {
        var clients = Frames.result(c.request(new Request.Presence(0, "doc:pad"))).get("clients");
        for (var it = clients.fieldNames(); it.hasNext(); ) {
            String id = it.next();
            if (!id.startsWith("yjs:")) {
                return id;
            }
        }
        throw new AssertionError("no native client in presence");
    }
}
