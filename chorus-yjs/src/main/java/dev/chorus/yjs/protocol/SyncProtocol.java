package dev.chorus.yjs.protocol;

import dev.chorus.yjs.Doc;
import dev.chorus.yjs.InvalidUpdateException;
import dev.chorus.yjs.lib0.Lib0FormatException;
import dev.chorus.yjs.lib0.Lib0Reader;
import dev.chorus.yjs.lib0.Lib0Writer;

/**
 * y-protocols' sync messages. A peer sends step 1 (its state vector); the other answers with step 2
 * (what the first lacks) and usually sends its own step 1; afterwards both send updates.
 */
public final class SyncProtocol {
  public static final int STEP1 = 0;
  public static final int STEP2 = 1;
  public static final int UPDATE = 2;

  private SyncProtocol() {}

  public static void writeSyncStep1(Lib0Writer out, Doc doc) {
    out.writeVarUint(STEP1);
    out.writeVarUint8Array(doc.encodeStateVector());
  }

  public static void writeSyncStep2(Lib0Writer out, Doc doc, byte[] encodedStateVector) {
    out.writeVarUint(STEP2);
    out.writeVarUint8Array(doc.encodeStateAsUpdate(encodedStateVector));
  }

  public static void writeUpdate(Lib0Writer out, byte[] update) {
    out.writeVarUint(UPDATE);
    out.writeVarUint8Array(update);
  }

  /**
   * Handles one sync message: a step 1 writes the step 2 answer to {@code reply}; a step 2 or an
   * update is applied to {@code doc} with {@code origin}.
   *
   * <p>Unlike y-protocols, which logs and swallows errors while applying, an invalid update is
   * reported: a server must be able to tell the sender (and the document is left unchanged).
   *
   * @return the message type
   * @throws InvalidUpdateException on a malformed message or update, or an unknown message type
   */
  public static int readSyncMessage(Lib0Reader in, Lib0Writer reply, Doc doc, Object origin) {
    try {
      int type = (int) Math.min(in.readVarUint(), Integer.MAX_VALUE);
      switch (type) {
        case STEP1:
          writeSyncStep2(reply, doc, in.readVarUint8Array());
          break;
        case STEP2:
        case UPDATE:
          doc.applyUpdate(in.readVarUint8Array(), origin);
          break;
        default:
          throw new InvalidUpdateException("Unknown message type " + type);
      }
      return type;
    } catch (Lib0FormatException e) {
      throw new InvalidUpdateException("malformed sync message: " + e.getMessage(), e);
    }
  }
}
