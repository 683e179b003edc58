package dev.chorus.yjs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.chorus.yjs.lib0.JsJson;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * The B4 benchmark data (../shared/bench-data) as a conformance check: the real-world update loads
 * and re-encodes exactly as yjs does it, and the automerge-paper trace applied one edit per
 * transaction gives the trace's final text and the structure yjs would build. Skipped when the data
 * is absent. (No timing here: speed is measured in chorus-bench.)
 */
class B4ConformanceTest {
  private static final Path DATA = Paths.get("..", "..", "shared", "bench-data").toAbsolutePath().normalize();

  @Test
  void b4UpdateReencodesLikeYjs() throws IOException {
    Path file = DATA.resolve("b4-update.bin");
    assumeTrue(Files.exists(file), "SKIPPED: " + file + " not found");
    byte[] update = Files.readAllBytes(file);
    Doc doc = new Doc();
    doc.applyUpdate(update);
    Map<String, Object> yjs = NodeYjs.script("reencode.mjs", update);
    assertThat(NodeYjs.b64(doc.encodeStateAsUpdate())).isEqualTo(yjs.get("v1"));
    assertThat(NodeYjs.b64(doc.encodeStateAsUpdateV2(null))).isEqualTo(yjs.get("v2"));
    assertThat(NodeYjs.b64(doc.encodeStateVector())).isEqualTo(yjs.get("sv"));
  }

  @Test
  void automergePaperTraceBuildsTheDocumentYjsBuilds() throws IOException {
    Path file = DATA.resolve("editing-traces/sequential/automerge-paper.json.gz");
    assumeTrue(Files.exists(file), "SKIPPED: " + file + " not found");
    String json;
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(Files.readAllBytes(file)))) {
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Map<?, ?> trace = (Map<?, ?>) JsJson.parse(json);
    // a typical random 32-bit client id: its var int takes 5 bytes, as in the published run
    Doc doc = new Doc(DocOptions.builder().clientId(3_000_000_000L).build());
    YText text = doc.getText("text");
    int edits = 0;
    for (Object tx : (List<?>) trace.get("txns")) {
      for (Object p : (List<?>) ((Map<?, ?>) tx).get("patches")) {
        List<?> patch = (List<?>) p;
        int pos = ((Double) patch.get(0)).intValue();
        int del = ((Double) patch.get(1)).intValue();
        String ins = (String) patch.get(2);
        doc.transact(t -> {
          if (del > 0) {
            text.delete(pos, del);
          }
          if (!ins.isEmpty()) {
            text.insert(pos, ins);
          }
        });
        edits++;
      }
    }
    assertThat(edits).isEqualTo(259_778);
    assertThat(text.toString()).isEqualTo(trace.get("endContent"));
    byte[] v1 = doc.encodeStateAsUpdate();
    // sizes yjs 13.6.33 produces for this trace (published in DESIGN.md): same structs, same merges
    assertThat(v1.length).isEqualTo(311_038);
    assertThat(doc.encodeStateAsUpdateV2(null).length).isEqualTo(159_929);
    Map<String, Object> yjs = NodeYjs.script("reencode.mjs", v1);
    assertThat(yjs.get("v1")).isEqualTo(NodeYjs.b64(v1));
  }
}
