package dev.chorus.core.hooks;

import dev.chorus.protocol.ErrorCode;

/**
 * Thrown by a hook or RPC handler to refuse a request. The client receives {@link #code()} and the
 * message; any other exception thrown by a hook is answered with {@link ErrorCode#INTERNAL} and logged.
 */
public class HookRejection extends RuntimeException {
    private final ErrorCode code;

    public HookRejection(String message) {
        this(ErrorCode.REJECTED, message);
    }

    public HookRejection(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
