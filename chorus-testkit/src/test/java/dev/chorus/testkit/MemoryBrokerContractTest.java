package dev.chorus.testkit;

import dev.chorus.core.broker.Broker;
import dev.chorus.core.broker.MemoryBroker;

class MemoryBrokerContractTest extends BrokerContract {
    @Override
    protected Broker createBroker() {
        return new MemoryBroker();
    }
}
