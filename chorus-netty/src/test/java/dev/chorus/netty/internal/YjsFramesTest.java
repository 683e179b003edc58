package dev.chorus.netty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.core.documents.YMessages;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The frames of the y-websocket and Hocuspocus endpoints, byte for byte as y-protocols and Hocuspocus encode them. */
class YjsFramesTest {

    private static byte[] concat(Object... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof Integer i) {
                out.write(i);
            } else if (p instanceof String s) {
                out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            } else {
                out.writeBytes((byte[]) p);
            }
        }
        return out.toByteArray();
    }

    @Test
    void yWebsocketMessagesHaveNoPrefix() {
        assertThat(YjsFrames.sync(null, YMessages.STEP1, new byte[] {0})).containsExactly(0, 0, 1, 0);
        assertThat(YjsFrames.update(null, new byte[] {0, 0})).containsExactly(0, 2, 2, 0, 0);
        assertThat(YjsFrames.awareness(null, new byte[] {1, 2})).containsExactly(1, 2, 1, 2);
        assertThat(YjsFrames.emptyAwareness(null)).containsExactly(1, 1, 0);
        assertThat(YMessages.permissionDenied("no")).isEqualTo(concat(2, 0, 2, "no"));
    }

    @Test
    void yWebsocketFramesAreTheCoreCodecsMessages() {
        byte[] body = {1, 7, 0, 0};
        assertThat(YjsFrames.sync(null, YMessages.STEP1, body)).isEqualTo(YMessages.syncStep1(body));
        assertThat(YjsFrames.sync(null, YMessages.STEP2, body)).isEqualTo(YMessages.syncStep2(body));
        assertThat(YjsFrames.update(null, body)).isEqualTo(YMessages.update(body));
        assertThat(YjsFrames.awareness(null, body)).isEqualTo(YMessages.awareness(body));
    }

    @Test
    void hocuspocusMessagesStartWithTheDocumentName() {
        assertThat(YjsFrames.sync("ab", YMessages.STEP2, new byte[] {0, 0})).isEqualTo(concat(2, "ab", 0, 1, 2, 0, 0));
        assertThat(YjsFrames.awareness("ab", new byte[] {1, 2})).isEqualTo(concat(2, "ab", 1, 2, 1, 2));
        assertThat(YjsFrames.emptyAwareness("ab")).isEqualTo(concat(2, "ab", 1, 1, 0));
        assertThat(HocuspocusFrames.authenticated("d", true)).isEqualTo(concat(1, "d", 2, 2, 8, "readonly"));
        assertThat(HocuspocusFrames.authenticated("d", false)).isEqualTo(concat(1, "d", 2, 2, 10, "read-write"));
        assertThat(HocuspocusFrames.permissionDenied("d", "x")).isEqualTo(concat(1, "d", 2, 1, 1, "x"));
        assertThat(HocuspocusFrames.syncStatus("d", true)).isEqualTo(concat(1, "d", 8, 1));
        assertThat(HocuspocusFrames.syncStatus("d", false)).isEqualTo(concat(1, "d", 8, 0));
        assertThat(HocuspocusFrames.stateless("d", "hi")).isEqualTo(concat(1, "d", 5, 2, "hi"));
        assertThat(HocuspocusFrames.PING_FRAME).containsExactly(9);
    }

    @Test
    void aBroadcastIsEncodedOncePerThreadAndPrefix() {
        byte[] update = {0, 0};
        byte[] first = YjsFrames.update(null, update);
        assertThat(YjsFrames.update(null, update)).isSameAs(first);
        byte[] prefixed = YjsFrames.update("doc", update);
        assertThat(prefixed).isNotSameAs(first).isEqualTo(concat(3, "doc", 0, 2, 2, 0, 0));
        assertThat(YjsFrames.update(null, new byte[] {0, 0})).isNotSameAs(first).isEqualTo(first);
        byte[] awareness = {1, 2};
        assertThat(YjsFrames.awareness("doc", awareness)).isSameAs(YjsFrames.awareness("doc", awareness));
    }

    @Test
    void onlyTheEmptyUpdateIsEmpty() {
        assertThat(YMessages.isEmptyUpdate(new byte[] {0, 0})).isTrue();
        assertThat(YMessages.isEmptyUpdate(new byte[] {0, 1, 5, 1, 0, 1})).isFalse();
        assertThat(YMessages.isEmptyUpdate(new byte[] {0})).isFalse();
    }
}
