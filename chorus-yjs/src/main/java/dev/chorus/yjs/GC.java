package dev.chorus.yjs;

/** Clocks whose content was deleted and garbage collected: only the length is kept. */
final class GC extends AbstractStruct {
  static final int REF = 0;

  GC(long client, int clock, int length) {
    super(client, clock, length);
  }

  @Override
  boolean deleted() {
    return true;
  }

  @Override
  boolean mergeWith(AbstractStruct right) {
    if (right.getClass() != GC.class) {
      return false;
    }
    length += right.length;
    return true;
  }

  @Override
  void integrate(Transaction transaction, int offset) {
    if (offset > 0) {
      clock += offset;
      length -= offset;
    }
    transaction.doc.store.addStruct(this);
  }

  @Override
  void write(UpdateEncoder encoder, int offset) {
    encoder.writeInfo(REF);
    encoder.writeLen(length - offset);
  }

  @Override
  long getMissing(Transaction transaction, StructStore store) {
    return -1;
  }
}
