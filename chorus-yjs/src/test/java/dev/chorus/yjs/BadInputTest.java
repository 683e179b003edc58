package dev.chorus.yjs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chorus.yjs.lib0.JsJson;
import dev.chorus.yjs.lib0.Lib0Writer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Truncated, corrupted and absurd updates: a clear {@link InvalidUpdateException}, the document
 * unchanged, and no allocation sized by an unchecked length.
 */
class BadInputTest {

  private static List<byte[]> sampleUpdates() {
    List<byte[]> out = new ArrayList<>();
    Doc a = new Doc(DocOptions.builder().clientId(11).build());
    a.addUpdateListener((u, o, t) -> out.add(u));
    a.getText("t").insert(0, "hello world \uD83D\uDE00");
    a.getText("t").format(2, 5, Map.of("bold", true));
    a.getMap("m").set("k", List.of(1, "x", Map.of("y", 2.5)));
    YMap nested = new YMap();
    a.getArray("a").insert(0, List.of(nested, new byte[] {1, 2}));
    nested.set("deep", "v");
    a.getText("t").delete(1, 3);
    a.getArray("a").delete(1, 1);
    YXmlElement p = new YXmlElement("p");
    a.getXmlFragment("x").insert(0, List.of(p));
    p.setAttribute("class", "c");
    out.add(a.encodeStateAsUpdate());
    return out;
  }

  private static Doc target() {
    Doc d = new Doc(DocOptions.builder().clientId(22).build());
    d.getText("t").insert(0, "base");
    d.getMap("m").set("z", 1);
    return d;
  }

  @Test
  void truncatedUpdatesFailCleanlyAndChangeNothing() {
    for (byte[] u : sampleUpdates()) {
      for (int len = 0; len < u.length; len++) {
        byte[] cut = Arrays.copyOf(u, len);
        Doc d = target();
        byte[] before = d.encodeStateAsUpdate();
        try {
          d.applyUpdate(cut);
        } catch (InvalidUpdateException expected) {
          assertThat(d.encodeStateAsUpdate()).as("state after a rejected update").isEqualTo(before);
        }
      }
    }
  }

  @Test
  void randomCorruptionNeverEscapesAsAnotherErrorAndRejectedUpdatesChangeNothing() {
    Random rnd = new Random(7);
    List<byte[]> samples = sampleUpdates();
    int rejected = 0;
    for (int i = 0; i < 6000; i++) {
      byte[] u = samples.get(rnd.nextInt(samples.size())).clone();
      int mutations = 1 + rnd.nextInt(3);
      for (int m = 0; m < mutations; m++) {
        int pos = rnd.nextInt(u.length);
        switch (rnd.nextInt(3)) {
          case 0: u[pos] = (byte) rnd.nextInt(256); break;
          case 1: u[pos] ^= (byte) (1 << rnd.nextInt(8)); break;
          default: u[pos] = (byte) 0xFF; break;
        }
      }
      Doc d = target();
      // half of the time the target already knows part of the history, so references resolve
      int known = rnd.nextBoolean() ? rnd.nextInt(samples.size()) : 0;
      for (int k = 0; k < known; k++) {
        d.applyUpdate(samples.get(k));
      }
      byte[] before = d.encodeStateAsUpdate();
      try {
        d.applyUpdate(u);
      } catch (InvalidUpdateException e) {
        rejected++;
        assertThat(d.encodeStateAsUpdate()).isEqualTo(before);
        continue;
      }
      // accepted (a corruption can still be a well-formed update): the document must stay usable:
      // it encodes, its encoding loads elsewhere, and it renders. (Adversarial but well-formed
      // references need not reload to the same JSON, in yjs neither.)
      Doc copy = new Doc();
      copy.applyUpdate(d.encodeStateAsUpdate());
      // (the copy may even integrate structs d keeps pending: pending structs are only retried
      // when the clock they wait for arrives, as in yjs)
      assertThat(copy.encodeStateAsUpdate()).isNotEmpty();
      for (String root : d.rootNames()) {
        JsJson.stringify(d.get(root).toJSON());
      }
    }
    assertThat(rejected).isGreaterThan(100);
  }

  @Test
  void absurdLengthsAreRejectedBeforeAllocating() {
    Lib0Writer w = new Lib0Writer();
    w.writeVarUint(1); // one client
    w.writeVarUint((1L << 31) - 1); // claims 2^31 structs
    w.writeVarUint(5); // client
    w.writeVarUint(0); // clock
    w.writeUint8(4); // string item without origins
    w.writeVarUint(1); // parent is a root name
    w.writeVarUint(1L << 40); // ... of 2^40 bytes
    Doc d = target();
    assertThatThrownBy(() -> d.applyUpdate(w.toByteArray())).isInstanceOf(InvalidUpdateException.class);

    Lib0Writer ds = new Lib0Writer();
    ds.writeVarUint(0); // no structs
    ds.writeVarUint(1);
    ds.writeVarUint(5);
    ds.writeVarUint(Lib0Writer.MAX_SAFE_INTEGER); // 2^53 delete ranges
    assertThatThrownBy(() -> d.applyUpdate(ds.toByteArray())).isInstanceOf(InvalidUpdateException.class);

    Lib0Writer bigClock = new Lib0Writer();
    bigClock.writeVarUint(1);
    bigClock.writeVarUint(1);
    bigClock.writeVarUint(5);
    bigClock.writeVarUint(Integer.MAX_VALUE);
    bigClock.writeUint8(0); // GC
    bigClock.writeVarUint(10); // clock + len beyond the limit
    bigClock.writeVarUint(0);
    assertThatThrownBy(() -> d.applyUpdate(bigClock.toByteArray())).isInstanceOf(InvalidUpdateException.class);
    assertThat(d.getText("t").toString()).isEqualTo("base");
  }

  @Test
  void unknownContentRefsAndTypeRefsAreRejected() {
    for (int ref : new int[] {11, 17, 31}) {
      Lib0Writer w = new Lib0Writer();
      w.writeVarUint(1);
      w.writeVarUint(1);
      w.writeVarUint(5);
      w.writeVarUint(0);
      w.writeUint8(ref);
      w.writeVarUint(1);
      w.writeVarString("t");
      w.writeVarUint(0);
      Doc d = target();
      assertThatThrownBy(() -> d.applyUpdate(w.toByteArray())).isInstanceOf(InvalidUpdateException.class)
          .hasMessageContaining("ref");
    }
    Lib0Writer w = new Lib0Writer();
    w.writeVarUint(1);
    w.writeVarUint(1);
    w.writeVarUint(5);
    w.writeVarUint(0);
    w.writeUint8(7); // type content
    w.writeVarUint(1);
    w.writeVarString("m");
    w.writeVarUint(99); // unknown type ref
    w.writeVarUint(0);
    assertThatThrownBy(() -> target().applyUpdate(w.toByteArray())).isInstanceOf(InvalidUpdateException.class);
  }

  @Test
  void forwardReferencesAndNonTypeParentsAreRejected() {
    Doc source = new Doc(DocOptions.builder().clientId(5).build());
    source.getText("t").insert(0, "abc");
    // an item of client 5 at clock 3 whose parent is the string item 5:0 (not a type)
    Lib0Writer w = new Lib0Writer();
    w.writeVarUint(1);
    w.writeVarUint(1);
    w.writeVarUint(5);
    w.writeVarUint(3);
    w.writeUint8(4);
    w.writeVarUint(0); // parent is an id
    w.writeVarUint(5);
    w.writeVarUint(0);
    w.writeVarString("x");
    w.writeVarUint(0);
    Doc d = new Doc();
    d.applyUpdate(source.encodeStateAsUpdate());
    byte[] before = d.encodeStateAsUpdate();
    assertThatThrownBy(() -> d.applyUpdate(w.toByteArray())).isInstanceOf(InvalidUpdateException.class)
        .hasMessageContaining("not a type");
    assertThat(d.encodeStateAsUpdate()).isEqualTo(before);

    Lib0Writer fwd = new Lib0Writer();
    fwd.writeVarUint(1);
    fwd.writeVarUint(1);
    fwd.writeVarUint(9);
    fwd.writeVarUint(0);
    fwd.writeUint8(0x84); // string with origin
    fwd.writeVarUint(9);
    fwd.writeVarUint(5); // origin 9:5, a later clock of the same client
    fwd.writeVarString("x");
    fwd.writeVarUint(0);
    assertThatThrownBy(() -> d.applyUpdate(fwd.toByteArray())).isInstanceOf(InvalidUpdateException.class);
  }

  @Test
  void malformedStateVectorsAndMessagesOnBytesAreRejected() {
    Doc d = target();
    assertThatThrownBy(() -> d.encodeStateAsUpdate(new byte[] {5, 1})).isInstanceOf(InvalidUpdateException.class);
    assertThatThrownBy(() -> Updates.mergeUpdates(List.of(new byte[] {1, 2, 3}, new byte[] {0, 0})))
        .isInstanceOf(InvalidUpdateException.class);
    assertThatThrownBy(() -> Updates.diffUpdate(new byte[] {9}, new byte[] {0})).isInstanceOf(InvalidUpdateException.class);
    assertThatThrownBy(() -> Updates.encodeStateVectorFromUpdate(new byte[] {1, 1})).isInstanceOf(InvalidUpdateException.class);
  }
}
