package dev.chorus.testkit;

import dev.chorus.core.presence.MemoryPresenceStore;
import dev.chorus.core.presence.PresenceStore;

class MemoryPresenceStoreContractTest extends PresenceStoreContract {
    @Override
    protected PresenceStore createStore() {
        return new MemoryPresenceStore();
    }
}
