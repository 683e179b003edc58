package dev.chorus.redis;

import dev.chorus.core.presence.PresenceStore;
import dev.chorus.testkit.PresenceStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** The PresenceStore contract against the real Redis. */
@ExtendWith(RedisAvailable.class)
class RedisPresenceStoreContractTest extends PresenceStoreContract {
    private static final String PREFIX = RedisTestSupport.newPrefix();

    @AfterAll
    static void cleanUp() {
        RedisTestSupport.cleanUp(PREFIX);
    }

    @Override
    protected PresenceStore createStore() {
        return RedisPresenceStore.create(RedisTestSupport.config(PREFIX).build());
    }
}
