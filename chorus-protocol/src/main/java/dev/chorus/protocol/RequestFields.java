package dev.chorus.protocol;

/** The fields of a request as read from the wire, before the op decides which are required. */
final class RequestFields {
    long id;
    String op;
    String token;
    String name;
    String version;
    String channel;
    String key;
    String method;
    String doc;
    String bytes;
    boolean readOnly;
    StreamPosition since;
    boolean presence;
    boolean joinLeave;
    boolean reverse;
    int limit = -1;
    Payload data;
    Payload state;
}
