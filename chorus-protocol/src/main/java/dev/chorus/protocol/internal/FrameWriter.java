package dev.chorus.protocol.internal;

import dev.chorus.protocol.Format;
import dev.chorus.protocol.Payload;
import java.io.IOException;

/**
 * Writes one frame in one format. The frame encoders are written once against this interface;
 * objects and arrays declare their size up front because MessagePack puts it in the header (the
 * JSON writer ignores it). A writer is used for one frame and then dropped; it is not thread-safe.
 */
public interface FrameWriter {

    /** A fresh writer for one frame. */
    static FrameWriter create(Format format) {
        return format == Format.MSGPACK ? new MsgpackFrameWriter() : new JsonFrameWriter();
    }

    /** Starts an object that will hold exactly {@code fields} key/value pairs. */
    void startObject(int fields) throws IOException;

    void endObject() throws IOException;

    /** Starts an array that will hold exactly {@code size} values. */
    void startArray(int size) throws IOException;

    void endArray() throws IOException;

    void key(Key key) throws IOException;

    void key(String name) throws IOException;

    void string(String value) throws IOException;

    void number(long value) throws IOException;

    void bool(boolean value) throws IOException;

    /** Writes an application value from its cached encoding in this format. */
    void payload(Payload value) throws IOException;

    /** Finishes the frame and returns its bytes. */
    byte[] finish() throws IOException;
}
