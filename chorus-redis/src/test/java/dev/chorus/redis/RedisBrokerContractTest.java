package dev.chorus.redis;

import dev.chorus.core.broker.Broker;
import dev.chorus.testkit.BrokerContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Broker contract against the real Redis, sharded Pub/Sub where the server has it. */
@ExtendWith(RedisAvailable.class)
class RedisBrokerContractTest extends BrokerContract {
    private static final String PREFIX = RedisTestSupport.newPrefix();

    @AfterAll
    static void cleanUp() {
        RedisTestSupport.cleanUp(PREFIX);
    }

    @Override
    protected Broker createBroker() {
        return RedisBroker.create(RedisTestSupport.config(PREFIX).build());
    }
}
