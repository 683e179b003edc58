package dev.chorus.redis;

import dev.chorus.core.broker.Broker;
import dev.chorus.testkit.BrokerContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Broker contract with classic Pub/Sub, the fallback for servers older than Redis 7. */
@ExtendWith(RedisAvailable.class)
class RedisBrokerClassicPubSubContractTest extends BrokerContract {
    private static final String PREFIX = RedisTestSupport.newPrefix();

    @AfterAll
    static void cleanUp() {
        RedisTestSupport.cleanUp(PREFIX);
    }

    @Override
    protected Broker createBroker() {
        return RedisBroker.create(RedisTestSupport.config(PREFIX).pubSubMode(RedisConfig.PubSubMode.CLASSIC).build());
    }
}
