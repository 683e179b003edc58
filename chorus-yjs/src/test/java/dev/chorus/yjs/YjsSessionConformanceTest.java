package dev.chorus.yjs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.yjs.lib0.JsJson;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays random multi-client yjs sessions (run by {@code session.mjs} in Node with the real yjs)
 * into a Java {@link Doc}: the updates arrive shuffled and duplicated, exactly as the yjs observer
 * received them. After every delivery the Java state vector and {@code encodeStateAsUpdate} must be
 * byte-identical to yjs's; at the end so must {@code toJSON}.
 */
class YjsSessionConformanceTest {

  static List<Integer> seeds() {
    return java.util.stream.IntStream.rangeClosed(1, 24).boxed().collect(java.util.stream.Collectors.toList());
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void javaReplayMatchesYjsByteForByte(int seed) {
    boolean gc = seed % 3 != 0;
    Map<String, Object> session = NodeYjs.script("session.mjs", null, String.valueOf(seed), "80", String.valueOf(gc));
    List<?> updates = (List<?>) session.get("updates");
    List<?> log = (List<?>) session.get("log");
    List<?> checkpoints = (List<?>) session.get("checkpoints");
    Doc doc = new Doc(DocOptions.builder().clientId(999999).gc(gc).build());
    declare(doc);
    for (int i = 0; i < log.size(); i++) {
      int idx = ((Double) log.get(i)).intValue();
      doc.applyUpdate(NodeYjs.b64(updates.get(idx)), "remote");
      Map<?, ?> cp = (Map<?, ?>) checkpoints.get(i);
      String where = "seed " + seed + ", delivery " + i + " (update " + idx + ")";
      assertThat(NodeYjs.b64(doc.encodeStateVector())).as("state vector at " + where).isEqualTo(cp.get("sv"));
      assertThat(NodeYjs.b64(doc.encodeStateAsUpdate())).as("encodeStateAsUpdate at " + where).isEqualTo(cp.get("state"));
    }
    Map<?, ?> fin = (Map<?, ?>) session.get("final");
    assertThat(NodeYjs.b64(doc.encodeStateVector())).isEqualTo(fin.get("sv"));
    assertThat(NodeYjs.b64(doc.encodeStateAsUpdate())).isEqualTo(fin.get("state"));
    assertThat(JsJson.stringify(doc.toJSON())).isEqualTo(fin.get("json"));
    assertThat(doc.hasPendingUpdates()).isFalse();

    // v2: the same deliveries in the v2 format give the same document; v2 encoding is byte-identical
    List<?> updatesV2 = (List<?>) session.get("updatesV2");
    Doc v2 = new Doc(DocOptions.builder().clientId(999999).gc(gc).build());
    declare(v2);
    List<byte[]> inOrder = new java.util.ArrayList<>();
    List<byte[]> inOrderV2 = new java.util.ArrayList<>();
    for (Object o : log) {
      int idx = ((Double) o).intValue();
      byte[] u2 = NodeYjs.b64(updatesV2.get(idx));
      assertThat(Updates.convertV1ToV2(NodeYjs.b64(updates.get(idx)))).as("v1 -> v2 of update " + idx).isEqualTo(u2);
      v2.applyUpdateV2(u2, "remote");
      inOrder.add(NodeYjs.b64(updates.get(idx)));
      inOrderV2.add(u2);
    }
    assertThat(NodeYjs.b64(v2.encodeStateAsUpdate())).isEqualTo(fin.get("state"));
    assertThat(NodeYjs.b64(doc.encodeStateAsUpdateV2(null))).isEqualTo(session.get("stateV2"));

    // functions on bytes
    if (!inOrder.isEmpty()) {
      assertThat(NodeYjs.b64(Updates.mergeUpdates(inOrder))).as("mergeUpdates").isEqualTo(session.get("merged"));
      assertThat(NodeYjs.b64(Updates.mergeUpdatesV2(inOrderV2))).as("mergeUpdatesV2").isEqualTo(session.get("mergedV2"));
      byte[] midSv = NodeYjs.b64(session.get("midSv"));
      assertThat(NodeYjs.b64(Updates.diffUpdate(Updates.mergeUpdates(inOrder), midSv))).as("diffUpdate").isEqualTo(session.get("diff"));
      assertThat(NodeYjs.b64(doc.encodeStateAsUpdate(midSv))).as("encodeStateAsUpdate(sv)").isEqualTo(session.get("stateFromMidSv"));
      assertThat(NodeYjs.b64(Updates.encodeStateVectorFromUpdate(Updates.mergeUpdates(inOrder)))).isEqualTo(session.get("svFromUpdate"));
      assertThat(NodeYjs.b64(Updates.encodeStateVectorFromUpdate(inOrder.get(0)))).isEqualTo(session.get("svFromFirstUpdate"));
    }
  }

  static void declare(Doc doc) {
    doc.getMap("m");
    doc.getArray("a");
    doc.getText("t");
    doc.getXmlFragment("x");
  }
}
