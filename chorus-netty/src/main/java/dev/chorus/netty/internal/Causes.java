package dev.chorus.netty.internal;

/** Looks through a failure's chain of causes (Netty wraps decoder errors). */
final class Causes {
    private Causes() {
    }

    /** The first throwable of {@code type} among {@code t} and its first causes, or {@code null}. */
    static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (int depth = 0; t != null && depth < 8; t = t.getCause(), depth++) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
