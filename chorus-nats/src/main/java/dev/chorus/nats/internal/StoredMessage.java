package dev.chorus.nats.internal;

import io.nats.client.impl.Headers;

/** A message read from a JetStream stream: its stream sequence, headers and body. */
public record StoredMessage(long seq, Headers headers, byte[] data) {

    /** A header's value, or {@code null}. */
    public String header(String name) {
        return headers == null ? null : headers.getFirst(name);
    }

    /**
     * A numeric header.
     *
     * @throws MalformedMessageException when it is missing or not a number
     */
    public long longHeader(String name) {
        String v = header(name);
        if (v == null) {
            throw new MalformedMessageException("message " + seq + " has no " + name + " header");
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new MalformedMessageException("message " + seq + " has a bad " + name + " header '" + v + "'");
        }
    }

    /** A numeric header, or {@code dflt} when it is missing. */
    public long longHeader(String name, long dflt) {
        return header(name) == null ? dflt : longHeader(name);
    }
}
