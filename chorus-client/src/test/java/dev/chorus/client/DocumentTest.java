package dev.chorus.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chorus.core.Chorus;
import dev.chorus.yjs.Doc;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Yjs documents over the chorus/1 connection. */
class DocumentTest {

    private static String text(DocumentHandle h) throws Exception {
        CompletableFuture<String> f = new CompletableFuture<>();
        h.edit(d -> f.complete(d.getText("body").toString()));
        return f.get(5, TimeUnit.SECONDS);
    }

    @Test
    void twoJavaClientsEditingOneDocumentConverge() throws Exception {
        try (Chorus chorus = Servers.dev(); ChorusClient a = Servers.client(chorus.port()).build();
             ChorusClient b = Servers.client(chorus.port()).build()) {
            a.connect().get(5, TimeUnit.SECONDS);
            b.connect().get(5, TimeUnit.SECONDS);
            List<byte[]> remoteAtA = new CopyOnWriteArrayList<>();
            DocumentHandle ha = a.openDocument("notes", new Doc(), DocumentOptions.defaults(), new DocumentAdapter() {
                @Override
                public void onRemoteUpdate(byte[] update) {
                    remoteAtA.add(update);
                }
            });
            ha.whenSynced().get(5, TimeUnit.SECONDS);
            ha.edit(d -> d.getText("body").insert(0, "hello")).get(5, TimeUnit.SECONDS);

            DocumentHandle hb = b.openDocument("notes", new Doc());
            hb.whenSynced().get(5, TimeUnit.SECONDS);
            assertThat(text(hb)).isEqualTo("hello"); // the server's state came with the sync

            // concurrent edits from both sides
            ha.edit(d -> d.getText("body").insert(5, " world"));
            hb.edit(d -> d.getText("body").insert(0, ">> "));
            await().atMost(Duration.ofSeconds(5)).until(() -> text(ha).equals(text(hb)) && text(ha).length() == 14);
            assertThat(text(ha)).isEqualTo(">> hello world");
            assertThat(remoteAtA).isNotEmpty();
            // the server holds the same document
            assertThat(chorus.documents().json("notes").toCompletableFuture().get(5, TimeUnit.SECONDS))
                    .containsEntry("body", ">> hello world");
        }
    }

    @Test
    void anOfflineEditMergesAfterTheReconnect() throws Exception {
        try (Chorus chorus = Servers.dev(); TcpProxy proxy = new TcpProxy(chorus.port());
             ChorusClient a = Servers.client(proxy.port()).build();
             ChorusClient b = Servers.client(chorus.port()).build()) {
            a.connect().get(5, TimeUnit.SECONDS);
            b.connect().get(5, TimeUnit.SECONDS);
            DocumentHandle ha = a.openDocument("offline", new Doc());
            DocumentHandle hb = b.openDocument("offline", new Doc());
            ha.whenSynced().get(5, TimeUnit.SECONDS);
            hb.whenSynced().get(5, TimeUnit.SECONDS);
            ha.edit(d -> d.getText("body").insert(0, "base"));
            await().atMost(Duration.ofSeconds(5)).until(() -> text(hb).equals("base"));

            proxy.refuse(true);
            proxy.cutAll();
            await().atMost(Duration.ofSeconds(5)).until(() -> a.status() == ConnectionStatus.RECONNECTING);
            assertThat(ha.synced()).isFalse();
            ha.edit(d -> d.getText("body").insert(4, " offline-a")).get(5, TimeUnit.SECONDS);
            hb.edit(d -> d.getText("body").insert(0, "online-b ")).get(5, TimeUnit.SECONDS);
            Thread.sleep(200);
            assertThat(text(hb)).isEqualTo("online-b base"); // A's edit has not left A

            proxy.refuse(false);
            await().atMost(Duration.ofSeconds(5)).until(ha::synced);
            await().atMost(Duration.ofSeconds(5)).until(() -> text(ha).equals("online-b base offline-a")
                    && text(hb).equals("online-b base offline-a"));
        }
    }

    @Test
    void awarenessStatesReachTheOtherClient() throws Exception {
        try (Chorus chorus = Servers.dev(); ChorusClient a = Servers.client(chorus.port()).build();
             ChorusClient b = Servers.client(chorus.port()).build()) {
            a.connect().get(5, TimeUnit.SECONDS);
            b.connect().get(5, TimeUnit.SECONDS);
            Doc docA = new Doc();
            DocumentHandle ha = a.openDocument("aware", docA, DocumentOptions.defaults().withAwareness(true), new DocumentAdapter() {
            });
            DocumentHandle hb = b.openDocument("aware", new Doc(), DocumentOptions.defaults().withAwareness(true), new DocumentAdapter() {
            });
            ha.whenSynced().get(5, TimeUnit.SECONDS);
            hb.whenSynced().get(5, TimeUnit.SECONDS);
            ha.setAwarenessState(Map.of("user", "ann")).get(5, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(5)).until(() -> hb.awarenessStates().containsKey(docA.clientId()));
            assertThat(hb.awarenessStates().get(docA.clientId())).isEqualTo(Map.of("user", "ann"));

            ha.close().get(5, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(5)).until(() -> !hb.awarenessStates().containsKey(docA.clientId()));
        }
    }
}
