package dev.chorus.core.documents;

/**
 * The input checks of the {@link DocumentStore} contract, shared by every implementation so that
 * all of them refuse the same things with the same messages. Each method returns {@code null} when
 * the input is fine, else the {@link IllegalArgumentException} to fail the call's stage with.
 */
public final class DocumentInput {
    private DocumentInput() {
    }

    /** Checks a document name against the rules of {@link DocumentStore}. */
    public static IllegalArgumentException checkName(String doc) {
        if (doc == null) {
            return new IllegalArgumentException("document name is null");
        }
        if (doc.isBlank()) {
            return new IllegalArgumentException("document name is blank");
        }
        if (doc.length() > DocumentStore.MAX_NAME_LENGTH) {
            return new IllegalArgumentException("document name is " + doc.length() + " characters long, at most "
                    + DocumentStore.MAX_NAME_LENGTH + " are allowed");
        }
        for (int i = 0; i < doc.length(); i++) {
            char c = doc.charAt(i);
            if (Character.isISOControl(c)) {
                return new IllegalArgumentException("document name has a control character (U+"
                        + String.format("%04X", (int) c) + ") at index " + i);
            }
            if (Character.isHighSurrogate(c) && i + 1 < doc.length() && Character.isLowSurrogate(doc.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                // cannot be encoded as UTF-8, so no database could store it faithfully
                return new IllegalArgumentException("document name has an unpaired surrogate at index " + i);
            }
        }
        return null;
    }

    /** Checks an update for {@link DocumentStore#append}. */
    public static IllegalArgumentException checkUpdate(byte[] update, DocumentStoreConfig config) {
        if (update == null) {
            return new IllegalArgumentException("update is null");
        }
        if (update.length == 0) {
            return new IllegalArgumentException("update is empty");
        }
        if (update.length > config.maxUpdateSize()) {
            return new IllegalArgumentException("update is " + update.length + " bytes, more than max update size "
                    + config.maxUpdateSize());
        }
        return null;
    }

    /** Checks the arguments of {@link DocumentStore#compact} that do not depend on stored state. */
    public static IllegalArgumentException checkSnapshot(byte[] snapshot, long upToSeq, DocumentStoreConfig config) {
        if (snapshot == null) {
            return new IllegalArgumentException("snapshot is null");
        }
        if (snapshot.length == 0) {
            return new IllegalArgumentException("snapshot is empty");
        }
        if (snapshot.length > config.maxSnapshotSize()) {
            return new IllegalArgumentException("snapshot is " + snapshot.length + " bytes, more than max snapshot size "
                    + config.maxSnapshotSize());
        }
        if (upToSeq < 1) {
            return new IllegalArgumentException("upToSeq must be >= 1: " + upToSeq);
        }
        return null;
    }

    /** The error for a compaction past the document's last update. */
    public static IllegalArgumentException pastLastUpdate(String doc, long upToSeq, long lastSeq) {
        return new IllegalArgumentException("cannot compact document '" + doc + "' up to seq " + upToSeq
                + ": its last update is seq " + lastSeq);
    }
}
