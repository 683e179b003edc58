package dev.chorus.nats;

import dev.chorus.core.broker.Broker;
import dev.chorus.testkit.BrokerContract;
import org.junit.jupiter.api.AfterAll;

/** The Broker contract against the real NATS with JetStream. */
class NatsBrokerContractTest extends BrokerContract {
    private static final String PREFIX = NatsTestServer.newPrefix();

    @AfterAll
    static void deleteStream() throws Exception {
        NatsTestServer.cleanUp(PREFIX);
    }

    @Override
    protected Broker createBroker() {
        // here rather than in @BeforeAll, so that every test shows as skipped with the reason
        NatsTestServer.requireReachable();
        return NatsBroker.create(NatsTestServer.config(PREFIX).build());
    }
}
