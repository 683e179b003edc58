package dev.chorus.yjs.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.yjs.Doc;
import dev.chorus.yjs.DocOptions;
import dev.chorus.yjs.NodeYjsAccess;
import dev.chorus.yjs.lib0.JsJson;
import dev.chorus.yjs.lib0.Lib0Reader;
import dev.chorus.yjs.lib0.Lib0Writer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Sync and awareness messages exchanged with the real y-protocols in Node. */
class ProtocolInteropTest {

  @Test
  void syncHandshakeAndAwarenessWithYProtocols() {
    Doc doc = new Doc(DocOptions.builder().clientId(77).build());
    doc.getText("t").insert(0, "java ");
    Lib0Writer step1 = new Lib0Writer();
    SyncProtocol.writeSyncStep1(step1, doc);

    Awareness awareness = new Awareness(77);
    Map<String, Object> state = new LinkedHashMap<>();
    state.put("user", "java");
    state.put("cursor", 1);
    awareness.setLocalState(state);

    Map<String, Object> in = new LinkedHashMap<>();
    in.put("step1", Base64.getEncoder().encodeToString(step1.toByteArray()));
    in.put("awareness", Base64.getEncoder().encodeToString(awareness.encodeUpdate(List.of(77L))));
    Map<String, Object> out = NodeYjsAccess.script("protocols.mjs", JsJson.stringify(in).getBytes(StandardCharsets.UTF_8));
    assertThat(out.get("type")).isEqualTo(0.0);

    // yjs answered our step 1 with step 2: apply it
    Lib0Writer none = new Lib0Writer();
    int type = SyncProtocol.readSyncMessage(new Lib0Reader(Base64.getDecoder().decode((String) out.get("step2"))), none, doc, "node");
    assertThat(type).isEqualTo(SyncProtocol.STEP2);
    assertThat(none.length()).isZero();
    assertThat(doc.getMap("m").get("n")).isEqualTo(1.0);
    // the concurrent inserts at index 0 are ordered by client id: 4242 > 77 comes after
    assertThat(doc.getText("t").toString()).isEqualTo("java hello from yjs");

    // yjs's own step 1: we answer with what it lacks, which must bring it to our state
    Lib0Writer reply = new Lib0Writer();
    type = SyncProtocol.readSyncMessage(new Lib0Reader(Base64.getDecoder().decode((String) out.get("step1"))), reply, doc, "node");
    assertThat(type).isEqualTo(SyncProtocol.STEP1);
    Lib0Reader r = new Lib0Reader(reply.toByteArray());
    assertThat(r.readVarUint()).isEqualTo(SyncProtocol.STEP2);
    byte[] answer = r.readVarUint8Array();
    Doc check = new Doc();
    Lib0Reader step2 = new Lib0Reader(Base64.getDecoder().decode((String) out.get("step2")));
    step2.readVarUint();
    check.applyUpdate(step2.readVarUint8Array());
    check.applyUpdate(answer);
    assertThat(check.getText("t").toString()).isEqualTo("java hello from yjs");

    // awareness: y-protocols accepted our state with our clock, and we accept theirs
    assertThat((String) out.get("states")).contains("\"77\":{\"user\":\"java\",\"cursor\":1}");
    assertThat(((Map<?, ?>) out.get("clocks")).get("77")).isEqualTo(1.0);
    awareness.applyUpdate(Base64.getDecoder().decode((String) out.get("awareness")), "node");
    assertThat(JsJson.stringify(awareness.getStates().get(4242L))).isEqualTo("{\"user\":\"node\",\"cursor\":3}");
  }
}
