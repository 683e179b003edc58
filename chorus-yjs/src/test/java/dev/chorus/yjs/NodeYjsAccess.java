package dev.chorus.yjs;

import java.util.Map;

/** Lets tests in other packages run the Node scripts. */
public final class NodeYjsAccess {
  private NodeYjsAccess() {}

  public static Map<String, Object> script(String script, byte[] stdin, String... args) {
    return NodeYjs.script(script, stdin, args);
  }
}
