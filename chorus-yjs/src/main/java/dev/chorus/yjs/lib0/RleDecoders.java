package dev.chorus.yjs.lib0;

/** Decoders for {@link RleEncoders}; reading past the data raises {@link Lib0FormatException}. */
public final class RleDecoders {
  private RleDecoders() {}

  public static final class Uint8Rle {
    private final Lib0Reader r;
    private int s;
    private long count;

    public Uint8Rle(byte[] data) {
      r = new Lib0Reader(data);
    }

    public int read() {
      if (count == 0) {
        s = r.readUint8();
        // without a run length the value repeats forever (the last run is implicit)
        count = r.hasRemaining() ? r.readVarUint() + 1 : -1;
      }
      count--;
      return s;
    }
  }

  public static final class UintOptRle {
    private final Lib0Reader r;
    private long s;
    private long count;

    public UintOptRle(Lib0Reader r) {
      this.r = r;
    }

    public UintOptRle(byte[] data) {
      this(new Lib0Reader(data));
    }

    public long read() {
      if (count == 0) {
        double d = r.readVarIntAsDouble();
        boolean negative = d < 0 || (d == 0 && 1 / d < 0);
        s = (long) Math.abs(d);
        count = 1;
        if (negative) {
          count = r.readVarUint() + 2;
        }
      }
      count--;
      return s;
    }

    /** Reads a value that must fit a non-negative int. */
    public int readInt() {
      long v = read();
      if (v > Integer.MAX_VALUE) {
        throw new Lib0FormatException("value too large: " + v);
      }
      return (int) v;
    }
  }

  public static final class IntDiffOptRle {
    private final Lib0Reader r;
    private long s;
    private long count;
    private long diff;

    public IntDiffOptRle(byte[] data) {
      r = new Lib0Reader(data);
    }

    public long read() {
      if (count == 0) {
        long d = r.readVarInt();
        boolean hasCount = (d & 1) != 0;
        diff = Math.floorDiv(d, 2);
        count = 1;
        if (hasCount) {
          count = r.readVarUint() + 2;
        }
      }
      s += diff;
      count--;
      return s;
    }

    public int readInt() {
      long v = read();
      if (v < 0 || v > Integer.MAX_VALUE) {
        throw new Lib0FormatException("value out of range: " + v);
      }
      return (int) v;
    }
  }

  public static final class Strings {
    private final UintOptRle lens;
    private final String str;
    private int spos;

    public Strings(byte[] data) {
      Lib0Reader r = new Lib0Reader(data);
      str = r.readVarString();
      lens = new UintOptRle(r);
    }

    public String read() {
      long end = spos + lens.read();
      if (end > str.length()) {
        throw new Lib0FormatException("string column exhausted");
      }
      String res = str.substring(spos, (int) end);
      spos = (int) end;
      return res;
    }
  }
}
