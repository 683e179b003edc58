package dev.chorus.yjs;

import dev.chorus.yjs.lib0.Lib0FormatException;
import dev.chorus.yjs.lib0.Lib0Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Operations on encoded updates without a document, byte-compatible with Yjs's
 * {@code mergeUpdates}, {@code diffUpdate} and {@code encodeStateVectorFromUpdate}.
 *
 * @see Doc
 */
public final class Updates {
  private Updates() {}

  /** Merges v1 updates into one; the result applies like all of them in any order. */
  public static byte[] mergeUpdates(List<byte[]> updates) {
    return guard(() -> merge(updates, UpdateFormat.V1));
  }

  /** As {@link #mergeUpdates} for v2 updates. */
  public static byte[] mergeUpdatesV2(List<byte[]> updates) {
    return guard(() -> merge(updates, UpdateFormat.V2));
  }

  /** The part of a v1 update a replica at state vector {@code stateVector} lacks. */
  public static byte[] diffUpdate(byte[] update, byte[] stateVector) {
    return guard(() -> diff(update, stateVector, UpdateFormat.V1));
  }

  public static byte[] diffUpdateV2(byte[] update, byte[] stateVector) {
    return guard(() -> diff(update, stateVector, UpdateFormat.V2));
  }

  /** The state vector a document would have after applying only this v1 update to an empty document. */
  public static byte[] encodeStateVectorFromUpdate(byte[] update) {
    return guard(() -> stateVectorFromUpdate(update, UpdateFormat.V1));
  }

  public static byte[] encodeStateVectorFromUpdateV2(byte[] update) {
    return guard(() -> stateVectorFromUpdate(update, UpdateFormat.V2));
  }

  /** Decodes a state vector into {@code client -> next expected clock}. */
  public static Map<Long, Integer> decodeStateVector(byte[] stateVector) {
    return Encoding.decodeStateVector(stateVector);
  }

  /** Encodes {@code client -> next expected clock} as Yjs does (clients descending). */
  public static byte[] encodeStateVector(Map<Long, Integer> stateVector) {
    return Encoding.encodeStateVector(stateVector);
  }

  /** Converts a v1 update to v2. */
  public static byte[] convertV1ToV2(byte[] update) {
    return guard(() -> convert(update, UpdateFormat.V1, UpdateFormat.V2));
  }

  /** Converts a v2 update to v1. */
  public static byte[] convertV2ToV1(byte[] update) {
    return guard(() -> convert(update, UpdateFormat.V2, UpdateFormat.V1));
  }

  private static byte[] guard(java.util.function.Supplier<byte[]> f) {
    try {
      return f.get();
    } catch (Lib0FormatException | IndexOutOfBoundsException | ClassCastException | IllegalStateException e) {
      throw new InvalidUpdateException("malformed update: " + e.getMessage(), e);
    }
  }

  static byte[] convert(byte[] update, UpdateFormat from, UpdateFormat to) {
    UpdateDecoder decoder = from.decoder(new Lib0Reader(update));
    LazyStructReader reader = new LazyStructReader(decoder, false);
    UpdateEncoder encoder = to.encoder();
    LazyStructWriter writer = new LazyStructWriter(encoder);
    for (AbstractStruct curr = reader.curr; curr != null; curr = reader.next()) {
      writer.write(curr, 0);
    }
    writer.finish();
    DeleteSet.read(decoder).write(encoder);
    return encoder.toByteArray();
  }

  static byte[] stateVectorFromUpdate(byte[] update, UpdateFormat format) {
    LazyStructReader reader = new LazyStructReader(format.decoder(new Lib0Reader(update)), false);
    AbstractStruct curr = reader.curr;
    UpdateEncoderV1 out = new UpdateEncoderV1();
    if (curr != null) {
      int size = 0;
      long currClient = curr.client;
      boolean stopCounting = curr.clock != 0; // must start at 0
      int currClock = stopCounting ? 0 : curr.clock + curr.length;
      List<long[]> entries = new ArrayList<>();
      for (; curr != null; curr = reader.next()) {
        if (currClient != curr.client) {
          if (currClock != 0) {
            size++;
            entries.add(new long[] {currClient, currClock});
          }
          currClient = curr.client;
          currClock = 0;
          stopCounting = curr.clock != 0;
        }
        if (curr instanceof Skip) {
          stopCounting = true;
        }
        if (!stopCounting) {
          currClock = curr.clock + curr.length;
        }
      }
      if (currClock != 0) {
        size++;
        entries.add(new long[] {currClient, currClock});
      }
      // written in update order (clients descending for Yjs-produced updates), not re-sorted
      out.rest().writeVarUint(size);
      for (long[] e : entries) {
        out.rest().writeVarUint(e[0]);
        out.rest().writeVarUint(e[1]);
      }
    } else {
      out.rest().writeVarUint(0);
    }
    return out.toByteArray();
  }

  private static AbstractStruct slice(AbstractStruct left, int diff) {
    if (left instanceof GC) {
      return new GC(left.client, left.clock + diff, left.length - diff);
    }
    if (left instanceof Skip) {
      return new Skip(left.client, left.clock + diff, left.length - diff);
    }
    Item l = (Item) left;
    Item r = new Item(l.client, l.clock + diff, null, new ID(l.client, l.clock + diff - 1), null,
        l.rightOrigin, l.parent, l.parentSub, l.content.splice(diff));
    r.parentId = l.parentId;
    r.parentKey = l.parentKey;
    return r;
  }

  static byte[] merge(List<byte[]> updates, UpdateFormat format) {
    if (updates.size() == 1) {
      return updates.get(0);
    }
    List<UpdateDecoder> decoders = new ArrayList<>();
    for (byte[] u : updates) {
      decoders.add(format.decoder(new Lib0Reader(u)));
    }
    List<LazyStructReader> readers = new ArrayList<>();
    for (UpdateDecoder d : decoders) {
      readers.add(new LazyStructReader(d, true));
    }
    AbstractStruct currWrite = null;
    int currWriteOffset = 0;
    UpdateEncoder encoder = format.encoder();
    LazyStructWriter writer = new LazyStructWriter(encoder);
    while (true) {
      readers.removeIf(r -> r.curr == null);
      readers.sort((d1, d2) -> {
        if (d1.curr.client == d2.curr.client) {
          int clockDiff = Integer.compare(d1.curr.clock, d2.curr.clock);
          if (clockDiff == 0) {
            return d1.curr.getClass() == d2.curr.getClass() ? 0 : d1.curr instanceof Skip ? 1 : -1;
          }
          return clockDiff;
        }
        return Long.compare(d2.curr.client, d1.curr.client);
      });
      if (readers.isEmpty()) {
        break;
      }
      LazyStructReader currDecoder = readers.get(0);
      long firstClient = currDecoder.curr.client;
      if (currWrite != null) {
        AbstractStruct curr = currDecoder.curr;
        boolean iterated = false;
        // skip structs the written struct already covers
        while (curr != null && (long) curr.clock + curr.length <= (long) currWrite.clock + currWrite.length
            && curr.client >= currWrite.client) {
          curr = currDecoder.next();
          iterated = true;
        }
        if (curr == null || curr.client != firstClient
            || (iterated && curr.clock > currWrite.clock + currWrite.length)) {
          continue;
        }
        if (firstClient != currWrite.client) {
          writer.write(currWrite, currWriteOffset);
          currWrite = curr;
          currWriteOffset = 0;
          currDecoder.next();
        } else {
          if (currWrite.clock + currWrite.length < curr.clock) {
            // a gap: fill it with a Skip
            if (currWrite instanceof Skip) {
              currWrite.length = curr.clock + curr.length - currWrite.clock;
            } else {
              writer.write(currWrite, currWriteOffset);
              int diff = curr.clock - currWrite.clock - currWrite.length;
              currWrite = new Skip(firstClient, currWrite.clock + currWrite.length, diff);
              currWriteOffset = 0;
            }
          } else {
            int diff = currWrite.clock + currWrite.length - curr.clock;
            if (diff > 0) {
              if (currWrite instanceof Skip) {
                currWrite.length -= diff;
              } else {
                curr = slice(curr, diff);
              }
            }
            if (!currWrite.mergeWith(curr)) {
              writer.write(currWrite, currWriteOffset);
              currWrite = curr;
              currWriteOffset = 0;
              currDecoder.next();
            }
          }
        }
      } else {
        currWrite = currDecoder.curr;
        currWriteOffset = 0;
        currDecoder.next();
      }
      for (AbstractStruct next = currDecoder.curr;
           next != null && next.client == firstClient && next.clock == currWrite.clock + currWrite.length
               && !(next instanceof Skip);
           next = currDecoder.next()) {
        writer.write(currWrite, currWriteOffset);
        currWrite = next;
        currWriteOffset = 0;
      }
    }
    if (currWrite != null) {
      writer.write(currWrite, currWriteOffset);
    }
    writer.finish();
    List<DeleteSet> dss = new ArrayList<>();
    for (UpdateDecoder d : decoders) {
      dss.add(DeleteSet.read(d));
    }
    DeleteSet.merge(dss).write(encoder);
    return encoder.toByteArray();
  }

  static byte[] diff(byte[] update, byte[] sv, UpdateFormat format) {
    Map<Long, Integer> state = Encoding.decodeStateVector(sv);
    UpdateEncoder encoder = format.encoder();
    LazyStructWriter writer = new LazyStructWriter(encoder);
    UpdateDecoder decoder = format.decoder(new Lib0Reader(update));
    LazyStructReader reader = new LazyStructReader(decoder, false);
    while (reader.curr != null) {
      AbstractStruct curr = reader.curr;
      long currClient = curr.client;
      int svClock = state.getOrDefault(currClient, 0);
      if (curr instanceof Skip) {
        reader.next();
        continue;
      }
      if (curr.clock + curr.length > svClock) {
        writer.write(curr, Math.max(svClock - curr.clock, 0));
        reader.next();
        while (reader.curr != null && reader.curr.client == currClient) {
          writer.write(reader.curr, 0);
          reader.next();
        }
      } else {
        while (reader.curr != null && reader.curr.client == currClient && reader.curr.clock + reader.curr.length <= svClock) {
          reader.next();
        }
      }
    }
    writer.finish();
    DeleteSet.read(decoder).write(encoder);
    return encoder.toByteArray();
  }
}
