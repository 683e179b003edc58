package dev.chorus.yjs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.yjs.lib0.JsJson;
import dev.chorus.yjs.lib0.Lib0Reader;
import dev.chorus.yjs.lib0.Lib0Writer;
import dev.chorus.yjs.lib0.Undefined;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fixed fixtures written by the real yjs/lib0 ({@code src/test/resources/fixtures/make-fixtures.mjs}):
 * decoding them and encoding again must give yjs's bytes; JSON, deltas and XML must match what yjs
 * reported in {@code manifest.json}. Runs without Node.
 */
class YjsFixturesTest {
  private static final Map<String, Object> MANIFEST = manifest();

  @SuppressWarnings("unchecked")
  private static Map<String, Object> manifest() {
    return (Map<String, Object>) JsJson.parse(new String(resource("manifest.json"), StandardCharsets.UTF_8));
  }

  private static byte[] resource(String name) {
    try (InputStream in = YjsFixturesTest.class.getResourceAsStream("/fixtures/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing fixture " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<?, ?> entry(String name) {
    return (Map<?, ?>) MANIFEST.get(name);
  }

  private static byte[] b64(Object s) {
    return Base64.getDecoder().decode((String) s);
  }

  @Test
  void lib0AnyValuesRoundTripByteForByte() {
    byte[] bytes = resource((String) entry("any").get("file"));
    Lib0Reader r = new Lib0Reader(bytes);
    List<Object> values = new ArrayList<>();
    int count = ((Double) entry("any").get("count")).intValue();
    for (int i = 0; i < count; i++) {
      values.add(r.readAny());
    }
    assertThat(r.hasRemaining()).isFalse();
    assertThat(1 / (Double) values.get(1)).isNegative(); // -0 survives
    assertThat((Double) values.get(15)).isNaN();
    assertThat(values.get(18)).isEqualTo(new BigInteger("12345678901234567890").subtract(BigInteger.ONE.shiftLeft(64)));
    assertThat(values.get(23)).isSameAs(Undefined.INSTANCE);
    assertThat(values.get(26)).isEqualTo("\u00e9\u4e2d\uD83D\uDE00");
    assertThat(values.get(27)).isEqualTo("lone \uFFFD high");
    Lib0Writer w = new Lib0Writer();
    values.forEach(w::writeAny);
    assertThat(w.toByteArray()).isEqualTo(bytes);
  }

  @Test
  void documentWithEveryContentKindReencodesIdentically() {
    for (String name : List.of("all-contents", "all-contents-nogc")) {
      Map<?, ?> e = entry(name);
      byte[] v1 = resource((String) e.get("file"));
      byte[] v2 = resource((String) e.get("fileV2"));
      Doc doc = new Doc(DocOptions.builder().gc(!name.endsWith("nogc")).build());
      doc.getMap("map");
      doc.getArray("arr");
      doc.getText("text");
      doc.getXmlFragment("xml");
      doc.applyUpdate(v1);
      assertThat(doc.encodeStateAsUpdate()).as(name + " v1").isEqualTo(v1);
      assertThat(doc.encodeStateAsUpdateV2(null)).as(name + " v2").isEqualTo(v2);
      assertThat(doc.encodeStateVector()).isEqualTo(b64(e.get("sv")));
      assertThat(JsJson.stringify(bigintsAsStrings(doc.toJSON()))).isEqualTo(e.get("json"));
      assertThat(JsJson.stringify(JsonOfTypes.of(doc.getText("text").toDelta()))).isEqualTo(e.get("textDelta"));
      assertThat(doc.getXmlFragment("xml").toString()).isEqualTo(e.get("xml"));

      Doc fromV2 = new Doc(DocOptions.builder().gc(!name.endsWith("nogc")).build());
      fromV2.applyUpdateV2(v2, null);
      assertThat(fromV2.encodeStateAsUpdate()).isEqualTo(v1);
      assertThat(Updates.convertV2ToV1(v2)).isEqualTo(b64(e.get("v2ToV1")));
      assertThat(Updates.convertV1ToV2(v1)).isEqualTo(b64(e.get("v1ToV2")));
    }
  }

  @Test
  void legacyJsonContentIsReadAndWrittenAsYjsDoes() {
    Map<?, ?> e = entry("json");
    Doc doc = new Doc();
    doc.applyUpdate(resource((String) e.get("file")));
    assertThat(doc.encodeStateAsUpdate()).isEqualTo(b64(e.get("reencoded")));
    assertThat(JsJson.stringify(doc.getArray("legacy").toJSON())).isEqualTo(e.get("json"));
  }

  @Test
  void pendingStructsAndDeletesMatchYjsAtEveryStep() {
    Doc doc = new Doc(DocOptions.builder().clientId(9).build());
    doc.getText("t");
    List<?> steps = (List<?>) entry("pending").get("steps");
    for (Object o : steps) {
      Map<?, ?> step = (Map<?, ?>) o;
      doc.applyUpdate(resource((String) step.get("file")));
      assertThat(doc.encodeStateVector()).isEqualTo(b64(step.get("sv")));
      assertThat(doc.encodeStateAsUpdate()).as("after " + step.get("file")).isEqualTo(b64(step.get("state")));
      assertThat(doc.encodeStateAsUpdateV2(null)).isEqualTo(b64(step.get("stateV2")));
      assertThat(doc.getText("t").toString()).isEqualTo(step.get("text"));
    }
    assertThat(doc.hasPendingUpdates()).isFalse();
  }

  @Test
  void rootsNobodyDeclaredAreInferredFromTheirContent() {
    Map<?, ?> e = entry("undeclared");
    Doc doc = new Doc();
    doc.applyUpdate(resource((String) e.get("file")));
    assertThat(JsJson.stringify(doc.toJSON())).isEqualTo(e.get("json"));
    // declaring afterwards adopts the content
    assertThat(doc.getText("aText").toString()).isEqualTo("words");
    assertThat(doc.getMap("aMap").get("k")).isEqualTo("v");
    assertThat(doc.getArray("anArray").toJSON()).containsExactly(1.0, 2.0);
    assertThat(doc.getXmlFragment("aXml").toString()).isEqualTo("<div></div>");
    assertThat(doc.encodeStateAsUpdate()).isEqualTo(resource((String) e.get("file")));
  }

  private static Object bigintsAsStrings(Object v) {
    if (v instanceof BigInteger) {
      return v + "n";
    }
    if (v instanceof Map) {
      Map<String, Object> out = new LinkedHashMap<>();
      ((Map<?, ?>) v).forEach((k, x) -> out.put((String) k, bigintsAsStrings(x)));
      return out;
    }
    if (v instanceof List) {
      List<Object> out = new ArrayList<>();
      ((List<?>) v).forEach(x -> out.add(bigintsAsStrings(x)));
      return out;
    }
    return v;
  }

  /** Turns shared types inside deltas into their JSON, as JSON.stringify would via toJSON(). */
  static final class JsonOfTypes {
    static Object of(Object v) {
      if (v instanceof AbstractType) {
        return ((AbstractType) v).toJSON();
      }
      if (v instanceof Map) {
        Map<String, Object> out = new LinkedHashMap<>();
        ((Map<?, ?>) v).forEach((k, x) -> out.put((String) k, of(x)));
        return out;
      }
      if (v instanceof List) {
        List<Object> out = new ArrayList<>();
        ((List<?>) v).forEach(x -> out.add(of(x)));
        return out;
      }
      return v;
    }
  }
}
