package dev.chorus.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chorus.core.broker.ChannelEvent;
import dev.chorus.nats.internal.MalformedMessageException;
import dev.chorus.nats.internal.Subjects;
import dev.chorus.nats.internal.WireCodec;
import dev.chorus.protocol.ClientInfo;
import dev.chorus.protocol.Payload;
import dev.chorus.protocol.Publication;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WireCodecTest {
    private static final ClientInfo FULL = new ClientInfo("c1", "ü", Payload.ofJson("{\"role\":\"x\"}"), Payload.ofJson("[1,2]"), 9);

    @Test
    void publicationsAndEventsRoundTrip() {
        Publication p = new Publication(42, "0123456789ab", 1_700_000_000_000L, Payload.ofJson("{\"a\":[1,\"two\",null]}"), FULL.identity());
        assertThat(WireCodec.decode(WireCodec.encodePublication(p)).publication()).isEqualTo(p);
        Publication anonymous = new Publication(0, "", 1, Payload.NULL, null);
        assertThat(WireCodec.decode(WireCodec.encodePublication(anonymous)).publication()).isEqualTo(anonymous);
        for (ChannelEvent e : new ChannelEvent[] {new ChannelEvent.Join(FULL), new ChannelEvent.Leave(FULL),
                new ChannelEvent.PresenceChange(FULL), new ChannelEvent.Signal("cursor", Payload.ofJson("3"), FULL)}) {
            assertThat(WireCodec.decode(WireCodec.encodeEvent(e)).event()).isEqualTo(e);
        }
        WireCodec.Entry entry = new WireCodec.Entry(123, FULL);
        assertThat(WireCodec.decodeEntry(WireCodec.encodeEntry(entry))).isEqualTo(entry);
    }

    @Test
    void everyTruncationOfAFrameIsRefused() {
        byte[] frame = WireCodec.encodeEvent(new ChannelEvent.Signal("k", Payload.ofJson("{\"x\":1}"), FULL));
        for (int len = 0; len < frame.length; len++) {
            byte[] cut = Arrays.copyOf(frame, len);
            assertThatThrownBy(() -> WireCodec.decode(cut)).as("length " + len).isInstanceOf(MalformedMessageException.class);
        }
    }

    @Test
    void badVersionsTagsLengthsAndJsonAreRefused() {
        byte[] ok = WireCodec.encodePublication(new Publication(1, "e", 1, Payload.ofJson("1"), null));
        byte[] version = ok.clone();
        version[0] = 2;
        assertThatThrownBy(() -> WireCodec.decode(version)).hasMessageContaining("version");
        byte[] tag = ok.clone();
        tag[1] = 'Z';
        assertThatThrownBy(() -> WireCodec.decode(tag)).hasMessageContaining("tag");
        byte[] trailing = Arrays.copyOf(ok, ok.length + 1);
        assertThatThrownBy(() -> WireCodec.decode(trailing)).hasMessageContaining("trailing");
        byte[] hugeLength = {1, 'P', 0x7f, 0, 0, 0};
        assertThatThrownBy(() -> WireCodec.decode(hugeLength)).hasMessageContaining("exceeds");
        byte[] badJson = WireCodec.encodePublication(new Publication(1, "e", 1, Payload.ofJson("12"), null));
        // the data "12" sits right before the info flag: make it "1}"
        badJson[badJson.length - 2] = '}';
        assertThatThrownBy(() -> WireCodec.decode(badJson)).isInstanceOf(MalformedMessageException.class).hasMessageContaining("JSON");
        assertThatThrownBy(() -> WireCodec.decodeEntry(ok)).hasMessageContaining("not a presence entry");
    }

    @Test
    void subjectTokensAreInjectiveAndSafe() {
        assertThat(Subjects.token("chat:room.1")).isEqualTo("chat=3Aroom=2E1");
        assertThat(Subjects.token("a=3A")).isNotEqualTo(Subjects.token("a:"));
        assertThat(Subjects.token("ü *>\t")).matches("[A-Za-z0-9_=-]+");
        assertThatThrownBy(() -> Subjects.token("")).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Subjects("p").fanout("a.b")).isEqualTo("p.c.a=2Eb");
    }
}
