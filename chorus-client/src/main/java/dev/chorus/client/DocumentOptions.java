package dev.chorus.client;

/**
 * How to open a document.
 *
 * @param readOnly  ask for read access only (local changes are then not sent)
 * @param awareness take part in the document's awareness (cursors, user names): the handle then
 *                  has an {@link dev.chorus.yjs.protocol.Awareness} whose local state is sent and
 *                  whose remote states are kept up to date
 */
public record DocumentOptions(boolean readOnly, boolean awareness) {
    private static final DocumentOptions DEFAULTS = new DocumentOptions(false, false);

    /** Read-write, no awareness. */
    public static DocumentOptions defaults() {
        return DEFAULTS;
    }

    public DocumentOptions withReadOnly(boolean v) {
        return new DocumentOptions(v, awareness);
    }

    public DocumentOptions withAwareness(boolean v) {
        return new DocumentOptions(readOnly, v);
    }
}
