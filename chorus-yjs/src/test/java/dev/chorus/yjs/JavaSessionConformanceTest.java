package dev.chorus.yjs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.yjs.lib0.JsJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The reverse direction: random multi-client sessions edited through the Java API, delivered
 * shuffled and duplicated; the updates Java produced are then applied by the real yjs
 * ({@code replay.mjs}) in the order a Java observer received them. yjs must reach byte-identical
 * state after every update, and the same JSON.
 */
class JavaSessionConformanceTest {
  static List<Integer> seeds() {
    return java.util.stream.IntStream.rangeClosed(1, 16).boxed().collect(java.util.stream.Collectors.toList());
  }

  private static final String[] CHARS = {"a", "b", "c", "x", "y", " ", "\n", "\u00e9", "\uD83D\uDE00", "\u4e2d"};

  private Random rnd;
  private final List<byte[]> updates = new ArrayList<>();
  private final List<Integer> producers = new ArrayList<>();

  private final class Replica {
    final Doc doc;
    final Set<Integer> delivered = new HashSet<>();

    Replica(long clientId, boolean gc, int index) {
      doc = new Doc(DocOptions.builder().clientId(clientId).gc(gc).build());
      YjsSessionConformanceTest.declare(doc);
      if (index >= 0) {
        doc.addUpdateListener((u, origin, tr) -> {
          if (tr.local()) {
            updates.add(u);
            producers.add(index);
          }
        });
      }
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void yjsReplaysJavaUpdatesByteForByte(int seed) {
    rnd = new Random(seed);
    boolean gc = seed % 3 != 0;
    int n = 2 + rnd.nextInt(3);
    List<Replica> clients = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      clients.add(new Replica(1 + rnd.nextInt(1000) * 10L + i, gc, i));
    }
    Replica observer = new Replica(999999, gc, -1);
    List<Integer> log = new ArrayList<>();
    List<String[]> javaCheckpoints = new ArrayList<>();
    for (int step = 0; step < 80; step++) {
      Replica c = clients.get(rnd.nextInt(n));
      if (rnd.nextDouble() < 0.3) {
        c.doc.transact(t -> {
          edit(c.doc);
          edit(c.doc);
        });
      } else {
        edit(c.doc);
      }
      if (rnd.nextDouble() < 0.3) {
        syncSome(clients.get(rnd.nextInt(n)), -1, false, null, null);
      }
      if (rnd.nextDouble() < 0.2) {
        syncSome(observer, -1, false, log, javaCheckpoints);
      }
    }
    for (int before = -1; before != updates.size(); ) {
      before = updates.size();
      for (int i = 0; i < n; i++) {
        syncSome(clients.get(i), i, true, null, null);
      }
    }
    syncSome(observer, -1, true, log, javaCheckpoints);

    Map<String, Object> input = new LinkedHashMap<>();
    input.put("gc", gc);
    List<Object> encoded = new ArrayList<>();
    updates.forEach(u -> encoded.add(NodeYjs.b64(u)));
    input.put("updates", encoded);
    List<Object> logJson = new ArrayList<>();
    log.forEach(i -> logJson.add((double) i));
    input.put("log", logJson);
    Map<String, Object> out = NodeYjs.script("replay.mjs", JsJson.stringify(input).getBytes(StandardCharsets.UTF_8));
    List<?> checkpoints = (List<?>) out.get("checkpoints");
    assertThat(checkpoints).hasSameSizeAs(javaCheckpoints);
    for (int i = 0; i < checkpoints.size(); i++) {
      Map<?, ?> cp = (Map<?, ?>) checkpoints.get(i);
      assertThat(cp.get("sv")).as("state vector after delivery " + i).isEqualTo(javaCheckpoints.get(i)[0]);
      assertThat(cp.get("state")).as("encodeStateAsUpdate after delivery " + i).isEqualTo(javaCheckpoints.get(i)[1]);
    }
    Map<?, ?> fin = (Map<?, ?>) out.get("final");
    assertThat(fin.get("state")).isEqualTo(NodeYjs.b64(observer.doc.encodeStateAsUpdate()));
    assertThat(fin.get("json")).isEqualTo(JsJson.stringify(observer.doc.toJSON()));
    // every Java replica converged (up to split surrogate pairs, where yjs also diverges)
    for (Replica c : clients) {
      assertThat(blur(c.doc.toJSON())).isEqualTo(blur(observer.doc.toJSON()));
    }
  }

  private static String blur(Object json) {
    return JsJson.stringify(canon(json)).replaceAll("[\\uD800-\\uDFFF\\uFFFD]", "");
  }

  @SuppressWarnings("unchecked")
  private static Object canon(Object v) {
    if (v instanceof Map) {
      Map<String, Object> sorted = new java.util.TreeMap<>();
      ((Map<String, Object>) v).forEach((k, x) -> sorted.put(k, canon(x)));
      return new LinkedHashMap<>(sorted);
    }
    if (v instanceof List) {
      List<Object> out = new ArrayList<>();
      ((List<Object>) v).forEach(x -> out.add(canon(x)));
      return out;
    }
    return v;
  }

  private void syncSome(Replica rcv, int self, boolean all, List<Integer> log, List<String[]> checkpoints) {
    List<Integer> cand = new ArrayList<>();
    for (int i = 0; i < updates.size(); i++) {
      if (!rcv.delivered.contains(i) && producers.get(i) != self) {
        cand.add(i);
      }
    }
    List<Integer> chosen = new ArrayList<>();
    for (Integer i : cand) {
      if (all || rnd.nextBoolean()) {
        chosen.add(i);
      }
    }
    Collections.shuffle(chosen, rnd);
    if (!rcv.delivered.isEmpty() && rnd.nextDouble() < 0.3) {
      List<Integer> done = new ArrayList<>(rcv.delivered);
      Collections.sort(done);
      chosen.add(rnd.nextInt(chosen.size() + 1), done.get(rnd.nextInt(done.size())));
    }
    for (int idx : chosen) {
      rcv.doc.applyUpdate(updates.get(idx), "remote");
      rcv.delivered.add(idx);
      if (log != null) {
        log.add(idx);
        checkpoints.add(new String[] {NodeYjs.b64(rcv.doc.encodeStateVector()), NodeYjs.b64(rcv.doc.encodeStateAsUpdate())});
      }
    }
  }

  private String randStr() {
    StringBuilder sb = new StringBuilder();
    int k = 1 + rnd.nextInt(4);
    for (int i = 0; i < k; i++) {
      sb.append(CHARS[rnd.nextInt(CHARS.length)]);
    }
    return sb.toString();
  }

  private Object primitive() {
    switch (rnd.nextInt(9)) {
      case 0: return rnd.nextInt(1000) - 500;
      case 1: return new double[] {0.5, 1.25, -3.75, 1e21, 2147483648.0, 123456.789}[rnd.nextInt(6)];
      case 2: return randStr();
      case 3: return rnd.nextBoolean();
      case 4: return null;
      case 5: {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("k", rnd.nextInt(10));
        m.put("s", randStr());
        m.put("l", java.util.Arrays.asList(1, "two", null));
        return m;
      }
      case 6: return java.util.Arrays.asList(rnd.nextInt(5), randStr());
      case 7: return new byte[] {(byte) rnd.nextInt(256), (byte) rnd.nextInt(256)};
      default: return "v" + rnd.nextInt(100);
    }
  }

  private AbstractType newType() {
    switch (rnd.nextInt(4)) {
      case 0: {
        YMap m = new YMap();
        if (rnd.nextBoolean()) {
          m.set("init", rnd.nextInt(10));
        }
        return m;
      }
      case 1: {
        YArray a = new YArray();
        if (rnd.nextBoolean()) {
          a.insert(0, List.of(rnd.nextInt(10), "z"));
        }
        return a;
      }
      case 2: return rnd.nextBoolean() ? new YText(randStr()) : new YText();
      default: return new YMap();
    }
  }

  private Map<String, Object> attrsPick() {
    Map<String, Object> m = new LinkedHashMap<>();
    switch (rnd.nextInt(6)) {
      case 0: m.put("bold", true); break;
      case 1: m.put("italic", true); break;
      case 2: m.put("bold", null); break;
      case 3: m.put("bold", true); m.put("italic", true); break;
      case 4: m.put("color", "#f00"); break;
      default: m.put("link", Map.of("href", "x")); break;
    }
    return m;
  }

  private static List<AbstractType> collectTypes(Doc doc) {
    List<AbstractType> out = new ArrayList<>();
    for (String name : List.of("m", "a", "t", "x")) {
      visit(doc.get(name), out);
    }
    return out;
  }

  private static void visit(AbstractType t, List<AbstractType> out) {
    out.add(t);
    if (t instanceof YMap) {
      for (Object v : ((YMap) t).entries().values()) {
        if (v instanceof AbstractType) {
          visit((AbstractType) v, out);
        }
      }
    } else if (t instanceof YArray || t instanceof YXmlFragment) {
      for (Object v : TypeList.toArray(t)) {
        if (v instanceof AbstractType) {
          visit((AbstractType) v, out);
        }
      }
    }
  }

  private void edit(Doc doc) {
    List<AbstractType> types = collectTypes(doc);
    AbstractType t = types.get(rnd.nextInt(types.size()));
    if (t instanceof YText) {
      YText text = (YText) t;
      int len = text.length();
      int r = rnd.nextInt(6);
      if (r <= 1 || len == 0) {
        text.insert(rnd.nextInt(len + 1), randStr(), rnd.nextDouble() < 0.3 ? attrsPick() : null);
      } else if (r == 2) {
        int p = rnd.nextInt(len);
        text.delete(p, 1 + rnd.nextInt(Math.min(3, len - p)));
      } else if (r == 3) {
        int p = rnd.nextInt(len);
        text.format(p, 1 + rnd.nextInt(Math.min(4, len - p)), attrsPick());
      } else if (r == 4) {
        text.insertEmbed(rnd.nextInt(len + 1), Map.of("image", "i" + rnd.nextInt(9)), rnd.nextBoolean() ? Map.of("bold", true) : null);
      } else {
        text.insert(rnd.nextInt(len + 1), randStr());
      }
    } else if (t instanceof YXmlFragment) {
      YXmlFragment f = (YXmlFragment) t;
      int len = f.length();
      int r = rnd.nextInt(5);
      if (r <= 1 || len == 0) {
        AbstractType node = rnd.nextBoolean() ? new YXmlElement(new String[] {"p", "h1", "li"}[rnd.nextInt(3)]) : new YXmlText(randStr());
        f.insert(rnd.nextInt(len + 1), List.of(node));
      } else if (r == 2) {
        f.delete(rnd.nextInt(len), 1);
      } else if (f instanceof YXmlElement) {
        if (rnd.nextDouble() < 0.7) {
          ((YXmlElement) f).setAttribute(new String[] {"a", "b", "class"}[rnd.nextInt(3)], "v" + rnd.nextInt(9));
        } else {
          ((YXmlElement) f).removeAttribute(rnd.nextBoolean() ? "a" : "b");
        }
      } else {
        AbstractType child = f.get(rnd.nextInt(len));
        if (child instanceof YXmlText) {
          ((YXmlText) child).insert(0, randStr(), rnd.nextBoolean() ? Map.of("bold", true) : null);
        }
      }
    } else if (t instanceof YArray) {
      YArray a = (YArray) t;
      int len = a.length();
      int r = rnd.nextInt(5);
      if (r <= 1 || len == 0) {
        List<Object> c = new ArrayList<>();
        int k = 1 + rnd.nextInt(3);
        for (int i = 0; i < k; i++) {
          c.add(primitive());
        }
        a.insert(rnd.nextInt(len + 1), c);
      } else if (r == 2) {
        a.insert(rnd.nextInt(len + 1), List.of(newType()));
      } else {
        int p = rnd.nextInt(len);
        a.delete(p, 1 + rnd.nextInt(Math.min(2, len - p)));
      }
    } else if (t instanceof YMap) {
      YMap m = (YMap) t;
      int r = rnd.nextInt(6);
      String k = "k" + rnd.nextInt(5);
      if (r <= 2) {
        m.set(k, primitive());
      } else if (r == 3) {
        m.set(k, newType());
      } else {
        m.delete(k);
      }
    }
  }
}
