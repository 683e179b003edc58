package dev.chorus.yjs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chorus.yjs.lib0.JsJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Java API: transactions, update events, observers, nested and preliminary types. */
class DocApiTest {

  private static Doc doc(long client) {
    return new Doc(DocOptions.builder().clientId(client).build());
  }

  @Test
  void oneUpdateEventPerTransactionCarryingExactlyItsChanges() {
    Doc a = doc(1);
    List<byte[]> v1 = new ArrayList<>();
    List<byte[]> v2 = new ArrayList<>();
    List<Object> origins = new ArrayList<>();
    a.addUpdateListener((u, origin, t) -> {
      v1.add(u);
      origins.add(origin);
    });
    a.addUpdateV2Listener((u, origin, t) -> v2.add(u));
    a.transact(t -> {
      a.getText("t").insert(0, "hello");
      a.getMap("m").set("k", 1);
      a.getText("t").delete(0, 1);
    }, "me");
    a.transact(t -> {}); // nothing changed: no event
    assertThat(v1).hasSize(1);
    assertThat(v2).hasSize(1);
    assertThat(origins).containsExactly("me");
    Doc b = doc(2);
    b.applyUpdate(v1.get(0));
    assertThat(b.getText("t").toString()).isEqualTo("ello");
    Doc c = doc(3);
    c.applyUpdateV2(v2.get(0), null);
    assertThat(c.encodeStateAsUpdate()).isEqualTo(b.encodeStateAsUpdate());
    assertThat(Updates.convertV2ToV1(v2.get(0))).isEqualTo(v1.get(0));
  }

  @Test
  void hasChangesAskedInsideTheTransactionDoesNotHideItsUpdate() {
    Doc a = new Doc();
    List<byte[]> updates = new ArrayList<>();
    List<Boolean> atEnd = new ArrayList<>();
    a.addUpdateListener((u, origin, t) -> updates.add(u));
    a.addAfterTransactionListener(t -> atEnd.add(t.hasChanges()));
    a.transact(t -> {
      assertThat(t.hasChanges()).isFalse();
      a.getText("t").insert(0, "hi");
      assertThat(t.hasChanges()).isTrue();
    });
    assertThat(atEnd).containsExactly(true);
    assertThat(updates).hasSize(1);
    Doc b = new Doc();
    b.applyUpdate(updates.get(0));
    assertThat(b.getText("t").toString()).isEqualTo("hi");
    a.transact(t -> { });
    assertThat(atEnd).containsExactly(true, false);
  }

  @Test
  void duplicatesAreIgnoredAndOutOfOrderUpdatesWaitForTheirDependencies() {
    Doc a = doc(1);
    List<byte[]> updates = new ArrayList<>();
    a.addUpdateListener((u, o, t) -> updates.add(u));
    a.getArray("a").insert(0, List.of(1, 2, 3));
    a.getArray("a").insert(3, List.of(4));
    a.getArray("a").delete(0, 1);
    Doc b = doc(2);
    b.applyUpdate(updates.get(2)); // delete of a clock not received yet
    b.applyUpdate(updates.get(1)); // insert after a missing origin
    assertThat(b.hasPendingUpdates()).isTrue();
    assertThat(b.getArray("a").toJSON()).isEmpty();
    b.applyUpdate(updates.get(0));
    b.applyUpdate(updates.get(0));
    b.applyUpdate(updates.get(1));
    assertThat(b.hasPendingUpdates()).isFalse();
    assertThat(b.getArray("a").toJSON()).containsExactly(2.0, 3.0, 4.0);
    assertThat(b.encodeStateAsUpdate()).isEqualTo(a.encodeStateAsUpdate());
  }

  @Test
  void observersSeeChangedKeysAndDeepChanges() {
    Doc a = doc(1);
    YMap m = a.getMap("m");
    List<YEvent> events = new ArrayList<>();
    List<Integer> deepBatches = new ArrayList<>();
    m.observe(events::add);
    m.observeDeep(evs -> deepBatches.add(evs.size()));
    YArray inner = new YArray();
    a.transact(t -> {
      m.set("x", 1);
      m.set("list", inner);
    });
    inner.push(List.of("a"));
    assertThat(events).hasSize(1);
    assertThat(events.get(0).keysChanged()).containsExactlyInAnyOrder("x", "list");
    assertThat(deepBatches).containsExactly(1, 1); // second batch: the nested array's event
  }

  @Test
  void preliminaryTypesAreWrittenWhenInserted() {
    Doc a = doc(1);
    YMap m = new YMap();
    m.set("a", 1);
    YText text = new YText("hi");
    YXmlElement el = new YXmlElement("p");
    el.setAttribute("id", "x");
    el.insert(0, new YXmlText("txt"));
    a.getArray("arr").insert(0, List.of(m, text, el));
    assertThat(JsJson.stringify(a.getArray("arr").toJSON())).isEqualTo("[{\"a\":1},\"hi\",\"<p id=\\\"x\\\">txt</p>\"]");
    Doc b = doc(2);
    b.applyUpdate(a.encodeStateAsUpdate());
    assertThat(JsJson.stringify(b.toJSON())).isEqualTo(JsJson.stringify(a.toJSON()));
  }

  @Test
  void textFormattingAndDeltaRoundTrip() {
    Doc a = doc(1);
    YText t = a.getText("t");
    t.insert(0, "Hello world");
    t.format(0, 5, Map.of("bold", true));
    t.insertEmbed(5, Map.of("image", "x.png"), null);
    List<Map<String, Object>> delta = t.toDelta();
    // as in yjs, an embed inserted without attributes gets none (not the bold around it)
    assertThat(JsJson.stringify(delta))
        .isEqualTo("[{\"insert\":\"Hello\",\"attributes\":{\"bold\":true}},{\"insert\":{\"image\":\"x.png\"}},{\"insert\":\" world\"}]");
    Doc b = doc(2);
    b.getText("t").applyDelta(delta);
    assertThat(JsJson.stringify(b.getText("t").toDelta())).isEqualTo(JsJson.stringify(delta));
    Map<String, Object> unbold = new LinkedHashMap<>();
    unbold.put("bold", null);
    t.format(0, 11, unbold);
    assertThat(JsJson.stringify(t.toDelta())).isEqualTo("[{\"insert\":\"Hello\"},{\"insert\":{\"image\":\"x.png\"}},{\"insert\":\" world\"}]");
  }

  @Test
  void misuseFailsClearly() {
    Doc a = doc(1);
    a.getMap("m");
    assertThatThrownBy(() -> a.getText("m")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> a.getArray("a").insert(1, List.of(1))).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> a.getArray("a").delete(0, 1)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> a.getMap("m").set("k", new Object())).isInstanceOf(IllegalArgumentException.class);
    YMap once = new YMap();
    a.getMap("m").set("x", once);
    assertThatThrownBy(() -> a.getMap("m").set("y", once)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void garbageCollectionCanBeTurnedOff() {
    for (boolean gc : new boolean[] {true, false}) {
      Doc a = new Doc(DocOptions.builder().clientId(1).gc(gc).build());
      YMap nested = new YMap();
      a.getMap("m").set("n", nested);
      nested.set("big", "x".repeat(1000));
      a.getMap("m").delete("n");
      int size = a.encodeStateAsUpdate().length;
      if (gc) {
        assertThat(size).isLessThan(100); // the deleted subtree is reduced to lengths
      } else {
        assertThat(size).isGreaterThan(1000); // the content is kept
      }
    }
  }
}
