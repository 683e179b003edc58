package dev.chorus.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.chorus.protocol.Payload;
import java.util.List;

/**
 * A compiled JSON Schema for a namespace's published data. Schemas without {@code $schema} are read
 * as draft 2020-12. Thread-safe.
 */
public final class SchemaValidator {
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final String META_SCHEMA = "https://json-schema.org/draft/2020-12/schema";
    private final Schema schema;

    private SchemaValidator(Schema schema) {
        this.schema = schema;
    }

    /**
     * Compiles a schema.
     *
     * @throws IllegalArgumentException when the text is not a valid JSON Schema
     */
    public static SchemaValidator compile(String schemaJson) {
        List<Error> metaErrors;
        try {
            // the library compiles nonsense like {"type": 12} without complaint: check against the meta-schema first
            Schema meta = REGISTRY.getSchema(com.networknt.schema.SchemaLocation.of(META_SCHEMA));
            metaErrors = meta.validate(schemaJson, InputFormat.JSON);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid JSON Schema: " + e.getMessage(), e);
        }
        if (!metaErrors.isEmpty()) {
            Error first = metaErrors.get(0);
            throw new IllegalArgumentException("invalid JSON Schema: " + first.getInstanceLocation() + ": " + first.getMessage());
        }
        try {
            Schema s = REGISTRY.getSchema(schemaJson, InputFormat.JSON);
            s.initializeValidators();
            return new SchemaValidator(s);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid JSON Schema: " + e.getMessage(), e);
        }
    }

    /**
     * Returns {@code null} when {@code data} matches, else a message naming the first failing path,
     * e.g. {@code "$.text: integer found, string expected"}.
     */
    public String problem(Payload data) {
        JsonNode node = data.tree();
        List<Error> errors = schema.validate(node);
        if (errors.isEmpty()) {
            return null;
        }
        Error first = errors.get(0);
        String path = String.valueOf(first.getInstanceLocation());
        String message = first.getMessage();
        String text = message.startsWith(path) ? message : path + ": " + message;
        return errors.size() == 1 ? text : text + " (and " + (errors.size() - 1) + " more)";
    }
}
