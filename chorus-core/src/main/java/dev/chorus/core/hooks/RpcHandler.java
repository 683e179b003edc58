package dev.chorus.core.hooks;

import dev.chorus.protocol.Payload;

/** Serves one RPC method called by clients with {@code {"op": "rpc", "method": ..., "data": ...}}. */
@FunctionalInterface
public interface RpcHandler {

    /**
     * @return the result data (never {@code null}; use {@link Payload#NULL}); throw
     *         {@link HookRejection} to answer with an error
     */
    Payload handle(ClientContext client, Payload data) throws Exception;
}
