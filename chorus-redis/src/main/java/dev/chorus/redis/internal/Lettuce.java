package dev.chorus.redis.internal;

import dev.chorus.redis.RedisConfig;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.util.concurrent.TimeUnit;

/** The Lettuce client set-up shared by the broker and the presence store. */
public final class Lettuce {
    /** Keys and channel names as UTF-8 strings, values as raw bytes (JSON bodies, fed straight to Jackson). */
    public static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    private Lettuce() {
    }

    public static RedisURI uri(RedisConfig config) {
        RedisURI uri = RedisURI.create(config.uri());
        uri.setTimeout(config.commandTimeout());
        uri.setClientName(config.clientName());
        return uri;
    }

    public static ClientResources resources(RedisConfig config) {
        return ClientResources.builder()
                // two cores on the reference machine; one event loop per connection is plenty
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(1)
                .reconnectDelay(config.reconnectDelayMin().equals(config.reconnectDelayMax())
                        ? Delay.constant(config.reconnectDelayMin())
                        : Delay.equalJitter(config.reconnectDelayMin(), config.reconnectDelayMax(), 2, TimeUnit.MILLISECONDS))
                .build();
    }

    /**
     * A client whose connections reconnect by themselves but reject commands while disconnected
     * and never replay the ones in flight when a connection dropped: a publish either fails at
     * once or happens once, it is never buffered for minutes nor executed twice.
     */
    public static RedisClient client(RedisConfig config, ClientResources resources) {
        RedisClient client = RedisClient.create(resources, uri(config));
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .replayFilter(command -> true)
                .timeoutOptions(TimeoutOptions.enabled(config.commandTimeout()))
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(config.connectTimeout())
                        .keepAlive(true)
                        .build())
                .build());
        return client;
    }
}
