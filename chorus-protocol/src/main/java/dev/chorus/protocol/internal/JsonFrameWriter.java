package dev.chorus.protocol.internal;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.chorus.protocol.Payload;
import java.io.IOException;
import java.io.UncheckedIOException;

/** {@link FrameWriter} for JSON: Jackson's UTF-8 generator, payloads copied as raw bytes. */
final class JsonFrameWriter implements FrameWriter {
    private static final JsonFactory FACTORY = new JsonFactory();

    private final ByteArrayBuilder out = new ByteArrayBuilder(256);
    private final JsonGenerator g;

    JsonFrameWriter() {
        try {
            g = FACTORY.createGenerator(out, JsonEncoding.UTF8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void startObject(int fields) throws IOException {
        g.writeStartObject();
    }

    @Override
    public void endObject() throws IOException {
        g.writeEndObject();
    }

    @Override
    public void startArray(int size) throws IOException {
        g.writeStartArray();
    }

    @Override
    public void endArray() throws IOException {
        g.writeEndArray();
    }

    @Override
    public void key(Key key) throws IOException {
        g.writeFieldName(key.json);
    }

    @Override
    public void key(String name) throws IOException {
        g.writeFieldName(name);
    }

    @Override
    public void string(String value) throws IOException {
        g.writeString(value);
    }

    @Override
    public void number(long value) throws IOException {
        g.writeNumber(value);
    }

    @Override
    public void bool(boolean value) throws IOException {
        g.writeBoolean(value);
    }

    @Override
    public void payload(Payload value) throws IOException {
        g.writeRawValue(new RawJson(value.json()));
    }

    @Override
    public byte[] finish() throws IOException {
        g.close();
        return out.toByteArray();
    }
}
