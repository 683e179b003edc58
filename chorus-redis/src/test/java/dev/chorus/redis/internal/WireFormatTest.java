package dev.chorus.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chorus.core.broker.ChannelEvent;
import dev.chorus.protocol.ClientInfo;
import dev.chorus.protocol.Payload;
import dev.chorus.protocol.Publication;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WireFormatTest {
    private static final ClientInfo FULL = new ClientInfo("c\"1", "ünï", Payload.ofJson("{\"role\":\"x\"}"), Payload.ofJson("[1,2.5,null]"), 42);

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void publicationsRoundTripThroughBodyAndMessage() throws Exception {
        byte[] body = WireFormat.publicationBody(1234, Payload.ofJson("{\"a\":[1,\"x\"]}"), FULL.identity());
        Publication p = WireFormat.decodeBody(7, "ep", body);
        assertThat(p).isEqualTo(new Publication(7, "ep", 1234, Payload.ofJson("{\"a\":[1,\"x\"]}"), FULL.identity()));
        byte[] msg = new String("P7 ep ").getBytes(StandardCharsets.US_ASCII);
        byte[] full = new byte[msg.length + body.length];
        System.arraycopy(msg, 0, full, 0, msg.length);
        System.arraycopy(body, 0, full, msg.length, body.length);
        assertThat(WireFormat.decodeMessage(full)).isEqualTo(new WireFormat.PublicationMessage(p));
        Publication server = new Publication(0, "", 5, Payload.ofJson("\"s\""), null);
        assertThat(WireFormat.decodeMessage(WireFormat.unpositionedMessage(WireFormat.publicationBody(5, server.data(), null))))
                .isEqualTo(new WireFormat.PublicationMessage(server));
    }

    @Test
    void everyEventKindRoundTrips() throws Exception {
        ChannelEvent[] events = {
            new ChannelEvent.Join(FULL), new ChannelEvent.Leave(ClientInfo.of("a", "")),
            new ChannelEvent.PresenceChange(FULL), new ChannelEvent.Signal("cursor", Payload.ofJson("{\"x\":1}"), FULL.identity())
        };
        for (ChannelEvent e : events) {
            assertThat(WireFormat.decodeMessage(WireFormat.eventMessage(e))).isEqualTo(new WireFormat.EventMessage(e));
        }
    }

    @Test
    void presenceEntriesStartWithTheClockAndRoundTrip() throws Exception {
        byte[] entry = WireFormat.presenceEntry(FULL);
        assertThat(new String(entry, StandardCharsets.UTF_8)).startsWith("42 {");
        assertThat(WireFormat.decodePresenceEntry(entry)).isEqualTo(FULL);
        assertThatThrownBy(() -> WireFormat.decodePresenceEntry(b("41 {\"c\":\"a\",\"u\":\"\",\"k\":42}")))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("clock");
    }

    @Test
    void malformedInputIsAWireFormatExceptionWithAReason() {
        String[] bad = {
            "", "X{}", "P", "P1", "P1 e", "P1 e {", "P-1 e {\"t\":1,\"d\":1}", "P1  {\"t\":1,\"d\":1}", "P0 e {\"t\":1,\"d\":1}",
            "P1 e {\"d\":1}", "P1 e {\"t\":\"1\",\"d\":1}", "P1 e {\"t\":1}", "P1 e {\"t\":1,\"d\":1} trailing", "P1 e [1]",
            "P1 e {\"t\":1,\"d\":1,\"i\":{\"c\":1,\"u\":\"\"}}", "P99999999999999999999 e {\"t\":1,\"d\":1}",
            "E{}", "E{\"e\":\"nope\",\"i\":{\"c\":\"a\",\"u\":\"\"}}", "E{\"e\":\"signal\",\"i\":{\"c\":\"a\",\"u\":\"\"}}",
            "E{\"e\":\"join\",\"i\":{\"c\":\"a\",\"u\":\"\",\"k\":1.5}}"
        };
        for (String s : bad) {
            assertThatThrownBy(() -> WireFormat.decodeMessage(b(s))).as(s).isInstanceOf(WireFormatException.class).satisfies(t -> assertThat(t.getMessage()).isNotBlank());
        }
    }

    @Test
    void keysWrapTheChannelInAHashTagAndMapPubSubNamesBack() {
        Keys k = new Keys("p:");
        assertThat(k.stream("a:b")).isEqualTo("p:{a:b}:stream");
        assertThat(k.channelOfPubSub(k.pubSub("a}b"))).isEqualTo("a}b");
        assertThat(k.channelOfPubSub("other:{a}:ps")).isNull();
        assertThat(new Keys("a*b?:").pattern()).isEqualTo("a\\*b\\?:*");
    }
}
