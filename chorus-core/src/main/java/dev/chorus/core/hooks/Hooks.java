package dev.chorus.core.hooks;

import java.util.Map;
import java.util.Objects;

/**
 * The application's hooks, as given to {@code Chorus.builder()}; any of them may be {@code null}.
 */
public record Hooks(ConnectHandler connect, SubscribeHandler subscribe, PublishHandler publish,
                    Map<String, RpcHandler> rpc) {
    public Hooks {
        rpc = Map.copyOf(Objects.requireNonNull(rpc, "rpc"));
    }

    public static Hooks none() {
        return new Hooks(null, null, null, Map.of());
    }
}
