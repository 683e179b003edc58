package dev.chorus.yjs.protocol;

/** Receives awareness changes with the origin of the operation ({@code "local"}, {@code "timeout"} or the caller's). */
@FunctionalInterface
public interface AwarenessListener {
  void onChange(AwarenessChange change, Object origin);
}
