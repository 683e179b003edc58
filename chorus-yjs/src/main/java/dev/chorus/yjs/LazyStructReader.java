package dev.chorus.yjs;

/**
 * Reads the structs of an encoded update one at a time, without a document: items keep their
 * parent as a root name or an id. Used to merge, diff and inspect updates as bytes.
 */
final class LazyStructReader {
  private final UpdateDecoder decoder;
  private final boolean filterSkips;
  private int clientsLeft;
  private int structsLeft;
  private long client;
  private int clock;
  AbstractStruct curr;

  LazyStructReader(UpdateDecoder decoder, boolean filterSkips) {
    this.decoder = decoder;
    this.filterSkips = filterSkips;
    this.clientsLeft = decoder.rest().readVarUintAsInt();
    next();
  }

  private AbstractStruct read() {
    while (structsLeft == 0) {
      if (clientsLeft == 0) {
        return null;
      }
      clientsLeft--;
      structsLeft = decoder.rest().readVarUintAsInt();
      client = decoder.readClient();
      clock = decoder.rest().readVarUintAsInt();
    }
    structsLeft--;
    AbstractStruct s = Encoding.readStruct(decoder, client, clock);
    clock += s.length;
    return s;
  }

  AbstractStruct next() {
    do {
      curr = read();
    } while (filterSkips && curr instanceof Skip);
    return curr;
  }
}
