package dev.chorus.yjs;

/** Receives the update every transaction that changed something produced. */
@FunctionalInterface
public interface UpdateListener {
  /**
   * Called after the transaction's observers, once per transaction with changes.
   *
   * @param update the changes as an update in the format the listener was registered for
   * @param origin the transaction's origin
   * @param transaction the finished transaction
   */
  void onUpdate(byte[] update, Object origin, Transaction transaction);
}
