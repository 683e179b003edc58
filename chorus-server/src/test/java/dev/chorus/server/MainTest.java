package dev.chorus.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    @TempDir
    Path dir;

    private static int run(Map<String, String> env, StringWriter err, String... args) {
        return Main.commandLine(env, new PrintWriter(err, true)).execute(args);
    }

    @Test
    void refusesToStartWithoutAuthenticationAndSaysWhatToConfigure() {
        StringWriter err = new StringWriter();
        int code = run(Map.of(), err, "--port", "0");
        assertThat(code).isEqualTo(Main.EXIT_CONFIG);
        assertThat(err.toString()).contains("no authentication is configured").contains("--dev")
                .contains("allow_anonymous: true").contains("CHORUS_ALLOW_ANONYMOUS=true");
    }

    @Test
    void badConfigurationExitsWithTheKeyInTheMessage() throws Exception {
        Path f = dir.resolve("chorus.yaml");
        Files.writeString(f, "allow_anonymous: true\nheartbeat_timeout: forever\n");
        StringWriter err = new StringWriter();
        assertThat(run(Map.of(), err, "--config", f.toString())).isEqualTo(Main.EXIT_CONFIG);
        assertThat(err.toString()).contains("heartbeat_timeout: cannot parse 'forever'");
    }

    @Test
    void invalidSchemaIsReportedAtStart() throws Exception {
        Path f = dir.resolve("chorus.yaml");
        Files.writeString(f, "allow_anonymous: true\nnamespaces:\n  - name: chat\n    schema: {type: 12}\n");
        StringWriter err = new StringWriter();
        assertThat(run(Map.of(), err, "--config", f.toString(), "--port", "0")).isEqualTo(Main.EXIT_CONFIG);
        assertThat(err.toString()).contains("namespace 'chat'").contains("invalid JSON Schema");
    }

    @Test
    void unknownFlagIsAUsageError() {
        StringWriter err = new StringWriter();
        assertThat(run(Map.of(), err, "--prot", "1")).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown option");
    }
}
