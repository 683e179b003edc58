package dev.chorus.yjs.lib0;

/**
 * lib0's run-length encoders, used by the v2 update format to compress columns of similar values.
 * Each writes exactly what lib0's counterpart writes, including its "count minus one/two" and
 * negative-zero tricks.
 */
public final class RleEncoders {
  private RleEncoders() {}

  /** Runs of equal bytes: the value, then (when the value changes) the run length minus one. */
  public static final class Uint8Rle {
    private final Lib0Writer w = new Lib0Writer();
    private int s = -1;
    private long count;

    public void write(int v) {
      if (s == v) {
        count++;
      } else {
        if (count > 0) {
          w.writeVarUint(count - 1);
        }
        count = 1;
        w.writeUint8(v);
        s = v;
      }
    }

    /** The bytes so far; like lib0, the last run's length is left implicit. */
    public byte[] toByteArray() {
      return w.toByteArray();
    }
  }

  /**
   * Runs of equal unsigned ints: a single value as a var int, a run as the negated value
   * (a negative zero for 0) followed by the length minus two.
   */
  public static final class UintOptRle {
    private final Lib0Writer w = new Lib0Writer();
    private long s;
    private long count;

    public void write(long v) {
      if (s == v) {
        count++;
      } else {
        flush();
        count = 1;
        s = v;
      }
    }

    private void flush() {
      if (count > 0) {
        w.writeVarInt(count != 1, s);
        if (count > 1) {
          w.writeVarUint(count - 2);
        }
      }
    }

    public byte[] toByteArray() {
      flush();
      return w.toByteArray();
    }
  }

  /** Runs of equal differences: {@code diff * 2 + hasRun} as a var int, then the run length minus two. */
  public static final class IntDiffOptRle {
    private final Lib0Writer w = new Lib0Writer();
    private long s;
    private long count;
    private long diff;

    public void write(long v) {
      if (diff == v - s) {
        s = v;
        count++;
      } else {
        flush();
        count = 1;
        diff = v - s;
        s = v;
      }
    }

    private void flush() {
      if (count > 0) {
        w.writeVarInt(diff * 2 + (count == 1 ? 0 : 1));
        if (count > 1) {
          w.writeVarUint(count - 2);
        }
      }
    }

    public byte[] toByteArray() {
      flush();
      return w.toByteArray();
    }
  }

  /** Strings concatenated into one UTF-8 string, with their UTF-16 lengths in a {@link UintOptRle}. */
  public static final class Strings {
    // lib0 batches small strings for JavaScript's sake; one builder gives the same bytes here
    private final StringBuilder s = new StringBuilder();
    private final UintOptRle lens = new UintOptRle();

    public void write(String string) {
      s.append(string);
      lens.write(string.length());
    }

    public byte[] toByteArray() {
      Lib0Writer w = new Lib0Writer(s.length() + 16);
      w.writeVarString(s.toString());
      w.writeBytes(lens.toByteArray());
      return w.toByteArray();
    }
  }
}
