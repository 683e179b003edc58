package dev.chorus.nats;

import dev.chorus.core.presence.PresenceStore;
import dev.chorus.testkit.PresenceStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;

/** The PresenceStore contract against the real NATS with JetStream. */
class NatsPresenceStoreContractTest extends PresenceStoreContract {
    private static final String PREFIX = NatsTestServer.newPrefix();

    @AfterAll
    static void deleteBucket() throws Exception {
        NatsTestServer.cleanUp(PREFIX);
    }

    /**
     * Per test rather than in @BeforeAll, so that every test shows as skipped with the reason; after
     * the contract's setup (which only creates the store: it connects in the background), so that
     * the contract's teardown has a store to close.
     */
    @BeforeEach
    void requireNats() {
        NatsTestServer.requireReachable();
    }

    @Override
    protected PresenceStore createStore() {
        return NatsPresenceStore.create(NatsTestServer.config(PREFIX).build());
    }
}
