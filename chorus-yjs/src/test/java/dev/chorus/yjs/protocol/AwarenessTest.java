package dev.chorus.yjs.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chorus.yjs.InvalidUpdateException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AwarenessTest {
  private final AtomicLong now = new AtomicLong(1_000_000);

  @Test
  void higherClockWinsAndNullRemoves() {
    Awareness a = new Awareness(1, now::get);
    Awareness b = new Awareness(2, now::get);
    List<AwarenessChange> changes = new ArrayList<>();
    b.onChange((c, origin) -> changes.add(c));
    a.setLocalState(Map.of("name", "a"));
    b.applyUpdate(a.encodeUpdate(List.of(1L)), "net");
    assertThat(b.getStates().get(1L)).isEqualTo(Map.of("name", "a"));
    assertThat(changes.get(0).added()).containsExactly(1L);

    byte[] old = a.encodeUpdate(List.of(1L));
    a.setLocalState(Map.of("name", "a2"));
    b.applyUpdate(a.encodeUpdate(List.of(1L)), "net");
    b.applyUpdate(old, "net"); // stale clock: ignored
    assertThat(b.getStates().get(1L)).isEqualTo(Map.of("name", "a2"));

    a.setLocalState(null);
    b.applyUpdate(a.encodeUpdate(List.of(1L)), "net");
    assertThat(b.getStates()).doesNotContainKey(1L);
    assertThat(changes.get(changes.size() - 1).removed()).containsExactly(1L);
  }

  @Test
  void remoteClientsTimeOutAfterThirtySecondsAndLocalStateIsRenewed() {
    Awareness a = new Awareness(1, now::get);
    Awareness b = new Awareness(2, now::get);
    // the initial {} has clock 0, which a peer (at clock 0 for an unknown client) ignores, as in y-protocols
    b.applyUpdate(a.encodeUpdate(List.of(1L)), "net");
    assertThat(b.getStates()).doesNotContainKey(1L);
    a.setLocalState(Map.of("cursor", 4));
    b.applyUpdate(a.encodeUpdate(List.of(1L)), "net");
    List<Object> origins = new ArrayList<>();
    b.onChange((c, origin) -> origins.add(origin));
    now.addAndGet(29_999);
    b.checkTimeouts();
    assertThat(b.getStates()).containsKey(1L);
    long clockBefore = b.meta(2).clock;
    assertThat(clockBefore).isEqualTo(1); // renewed at 15 s... once, by this check
    now.addAndGet(1);
    b.checkTimeouts();
    assertThat(b.getStates()).doesNotContainKey(1L);
    assertThat(origins).contains("timeout");
  }

  @Test
  void renewalsWithTheSameStateAreUpdatesButNotChanges() {
    Awareness a = new Awareness(1, now::get);
    Awareness b = new Awareness(2, now::get);
    List<AwarenessChange> changes = new ArrayList<>();
    List<AwarenessChange> updates = new ArrayList<>();
    b.onChange((c, o) -> changes.add(c));
    b.onUpdate((c, o) -> updates.add(c));
    java.util.Map<String, Object> s1 = new java.util.LinkedHashMap<>();
    s1.put("x", 1);
    s1.put("y", 2);
    a.setLocalState(s1);
    b.applyUpdate(a.encodeUpdate(List.of(1L)), "net");
    java.util.Map<String, Object> s2 = new java.util.LinkedHashMap<>();
    s2.put("y", 2);
    s2.put("x", 1); // same state, other key order
    a.setLocalState(s2);
    b.applyUpdate(a.encodeUpdate(List.of(1L)), "net");
    assertThat(changes).hasSize(1);
    assertThat(updates).hasSize(2);
    assertThat(updates.get(1).updated()).containsExactly(1L);
  }

  @Test
  void ourOwnStateCannotBeRemovedRemotely() {
    Awareness a = new Awareness(1, now::get);
    Awareness impostor = new Awareness(1, now::get);
    impostor.setLocalState(null); // clock 1, state null
    a.applyUpdate(impostor.encodeUpdate(List.of(1L)), "net");
    assertThat(a.getLocalState()).isNotNull();
    assertThat(a.meta(1).clock).isEqualTo(2);
  }

  @Test
  void malformedUpdatesChangeNothing() {
    Awareness a = new Awareness(1, now::get);
    byte[] good = new Awareness(5, now::get).encodeUpdate(List.of(5L));
    byte[] bad = java.util.Arrays.copyOf(good, good.length - 1);
    assertThatThrownBy(() -> a.applyUpdate(bad, "net")).isInstanceOf(InvalidUpdateException.class);
    assertThatThrownBy(() -> a.applyUpdate(new byte[] {1, 5, 1, 2, '{', 'x'}, "net")).isInstanceOf(InvalidUpdateException.class);
    assertThat(a.getStates()).containsOnlyKeys(1L);
  }
}
