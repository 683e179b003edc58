package dev.chorus.yjs;

import dev.chorus.yjs.lib0.Lib0Writer;

/** Writes delete sets and state vectors; v1 writes plain var ints, v2 writes clocks as differences. */
interface DSEncoder {
  Lib0Writer rest();

  void resetDsCurVal();

  void writeDsClock(int clock);

  void writeDsLen(int len);

  byte[] toByteArray();

  /** Returns the rest stream's bytes so far and starts a fresh rest stream (used when writing lazily). */
  byte[] takeRest();
}
