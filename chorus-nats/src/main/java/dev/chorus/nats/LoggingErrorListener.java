package dev.chorus.nats;

import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import org.slf4j.Logger;

/** Sends jnats' asynchronous errors to the log instead of its default stderr printing. */
final class LoggingErrorListener implements ErrorListener {
    private final Logger log;

    LoggingErrorListener(Logger log) {
        this.log = log;
    }

    @Override
    public void errorOccurred(Connection conn, String error) {
        log.warn("NATS error: {}", error);
    }

    @Override
    public void exceptionOccurred(Connection conn, Exception exp) {
        log.warn("NATS exception: {}", exp.toString());
    }

    @Override
    public void slowConsumerDetected(Connection conn, io.nats.client.Consumer consumer) {
        // messages were dropped for this node: subscribed channels fill the gaps from JetStream
        log.warn("NATS slow consumer: the client dropped messages (pending limit reached)");
    }
}
