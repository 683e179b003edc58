package dev.chorus.yjs;

import dev.chorus.yjs.lib0.Lib0Reader;

/** Reads delete sets and state vectors (see {@link DSEncoder}). */
interface DSDecoder {
  Lib0Reader rest();

  void resetDsCurVal();

  int readDsClock();

  int readDsLen();
}
