package dev.chorus.yjs;

import java.util.ArrayList;
import java.util.List;

/** Writes structs one at a time, grouping consecutive structs of one client into one section. */
final class LazyStructWriter {
  private long currClient;
  private int written;
  private final UpdateEncoder encoder;
  private final List<Object[]> clientStructs = new ArrayList<>();

  LazyStructWriter(UpdateEncoder encoder) {
    this.encoder = encoder;
  }

  private void flush() {
    if (written > 0) {
      clientStructs.add(new Object[] {written, encoder.takeRest()});
      written = 0;
    }
  }

  void write(AbstractStruct struct, int offset) {
    if (written > 0 && currClient != struct.client) {
      flush();
    }
    if (written == 0) {
      currClient = struct.client;
      encoder.writeClient(struct.client);
      encoder.rest().writeVarUint((long) struct.clock + offset);
    }
    struct.write(encoder, offset);
    written++;
  }

  /** Writes the section count and the sections; the delete set follows. */
  void finish() {
    flush();
    encoder.rest().writeVarUint(clientStructs.size());
    for (Object[] part : clientStructs) {
      encoder.rest().writeVarUint((Integer) part[0]);
      encoder.rest().writeBytes((byte[]) part[1]);
    }
  }
}
