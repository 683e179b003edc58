package dev.chorus.client;

import java.util.Map;

/** A {@link DocumentListener} that ignores everything; override what you need. */
public abstract class DocumentAdapter implements DocumentListener {
    @Override
    public void onSynced() {
    }

    @Override
    public void onRemoteUpdate(byte[] update) {
    }

    @Override
    public void onAwareness(Map<Long, Object> states) {
    }

    @Override
    public void onError(ChorusException error) {
    }
}
