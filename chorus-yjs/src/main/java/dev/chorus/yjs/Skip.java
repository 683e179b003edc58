package dev.chorus.yjs;

/** A gap in an encoded update (clocks the update does not carry); never stored in a document. */
final class Skip extends AbstractStruct {
  static final int REF = 10;

  Skip(long client, int clock, int length) {
    super(client, clock, length);
  }

  @Override
  boolean deleted() {
    return true;
  }

  @Override
  boolean mergeWith(AbstractStruct right) {
    if (right.getClass() != Skip.class) {
      return false;
    }
    length += right.length;
    return true;
  }

  @Override
  void integrate(Transaction transaction, int offset) {
    throw new IllegalStateException("a Skip is never integrated");
  }

  @Override
  void write(UpdateEncoder encoder, int offset) {
    encoder.writeInfo(REF);
    encoder.rest().writeVarUint(length - offset); // written to the rest stream in both formats
  }

  @Override
  long getMissing(Transaction transaction, StructStore store) {
    return -1;
  }
}
