package dev.chorus.protocol.internal;

import dev.chorus.protocol.Payload;
import java.io.IOException;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/**
 * {@link FrameWriter} for MessagePack: the envelope is packed directly (no intermediate tree) and
 * payloads are copied from their cached MessagePack bytes.
 */
final class MsgpackFrameWriter implements FrameWriter {
    private static final MessagePack.PackerConfig CONFIG = MessagePack.DEFAULT_PACKER_CONFIG.withBufferSize(512);

    private final MessageBufferPacker packer = CONFIG.newBufferPacker();

    @Override
    public void startObject(int fields) throws IOException {
        packer.packMapHeader(fields);
    }

    @Override
    public void endObject() {
        // sizes are in the header
    }

    @Override
    public void startArray(int size) throws IOException {
        packer.packArrayHeader(size);
    }

    @Override
    public void endArray() {
        // sizes are in the header
    }

    @Override
    public void key(Key key) throws IOException {
        packer.writePayload(key.msgpack);
    }

    @Override
    public void key(String name) throws IOException {
        packer.packString(name);
    }

    @Override
    public void string(String value) throws IOException {
        packer.packString(value);
    }

    @Override
    public void number(long value) throws IOException {
        packer.packLong(value);
    }

    @Override
    public void bool(boolean value) throws IOException {
        packer.packBoolean(value);
    }

    @Override
    public void payload(Payload value) throws IOException {
        packer.writePayload(value.msgpack());
    }

    @Override
    public byte[] finish() throws IOException {
        return packer.toByteArray();
    }
}
