package dev.chorus.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chorus.core.config.ChorusConfig;
import dev.chorus.core.config.NamespaceConfig;
import dev.chorus.jdbc.SqliteStoreConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Path yaml(String text) throws IOException {
        Path p = dir.resolve("chorus.yaml");
        Files.writeString(p, text);
        return p;
    }

    private static ChorusConfig load(Path file, Map<String, String> env, ConfigLoader.Flags flags) {
        return ConfigLoader.load(file, env, flags).config();
    }

    @Test
    void defaultsWithoutAnything() {
        ChorusConfig c = load(null, Map.of(), ConfigLoader.Flags.none());
        assertThat(c.port()).isEqualTo(8080);
        assertThat(c.host()).isEqualTo("0.0.0.0");
        assertThat(c.dev()).isFalse();
        assertThat(c.allowAnonymous()).isFalse();
        assertThat(c.heartbeatTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.limits().maxFrameSize()).isEqualTo(65536);
        assertThat(c.dataDir()).isEqualTo(Path.of("data"));
    }

    @Test
    void everyKeyFromYaml() throws IOException {
        Path schema = dir.resolve("note.schema.json");
        Files.writeString(schema, "{\"type\":\"object\"}");
        Path f = yaml("""
                host: 127.0.0.1
                port: 9001
                node_name: n1
                data_dir: /var/lib/chorus
                allow_anonymous: true
                ping_interval: 5s
                heartbeat_timeout: 20s
                connect_timeout: 1500ms
                shutdown_grace: 1m
                compression: false
                io_threads: 3
                hook_threads: 4
                undeclared_namespaces: true
                limits:
                  max_frame_size: 128KiB
                  hard_frame_size: 2MiB
                  max_outbound_bytes: 8MiB
                  max_subscriptions: 10
                  max_channel_length: 100
                  max_presence_state_size: 1024
                  max_inflight_requests: 8
                  max_violations: 3
                  violation_window: 2m
                default_namespace:
                  history_size: 5
                namespaces:
                  - name: chat
                    history_size: 100
                    history_ttl: 10m
                    presence: true
                    join_leave: true
                    allow_subscribe: true
                    allow_publish: true
                    allow_history: false
                    allow_presence: false
                    allow_signal: false
                    signal_rate: 30
                    idempotency_window: 5m
                    schema:
                      type: object
                      required: [text]
                  - name: notes
                    schema_file: note.schema.json
                """);
        ChorusConfig c = load(f, Map.of(), ConfigLoader.Flags.none());
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isEqualTo(9001);
        assertThat(c.nodeName()).isEqualTo("n1");
        assertThat(c.dataDir()).isEqualTo(Path.of("/var/lib/chorus"));
        assertThat(c.allowAnonymous()).isTrue();
        assertThat(c.pingInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.heartbeatTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.connectTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.shutdownGrace()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.compression()).isFalse();
        assertThat(c.ioThreads()).isEqualTo(3);
        assertThat(c.hookThreads()).isEqualTo(4);
        assertThat(c.undeclaredNamespacesAllowed()).isTrue();
        assertThat(c.limits().maxFrameSize()).isEqualTo(128 * 1024);
        assertThat(c.limits().hardFrameSize()).isEqualTo(2 * 1024 * 1024);
        assertThat(c.limits().maxOutboundBytes()).isEqualTo(8L * 1024 * 1024);
        assertThat(c.limits().maxSubscriptions()).isEqualTo(10);
        assertThat(c.limits().maxChannelLength()).isEqualTo(100);
        assertThat(c.limits().maxPresenceStateSize()).isEqualTo(1024);
        assertThat(c.limits().maxInflightRequests()).isEqualTo(8);
        assertThat(c.limits().maxViolations()).isEqualTo(3);
        assertThat(c.limits().violationWindow()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.defaultNamespace().historySize()).isEqualTo(5);
        NamespaceConfig chat = c.namespaces().get("chat");
        assertThat(chat.historySize()).isEqualTo(100);
        assertThat(chat.historyTtl()).isEqualTo(Duration.ofMinutes(10));
        assertThat(chat.presence()).isTrue();
        assertThat(chat.joinLeave()).isTrue();
        assertThat(chat.allowPublish()).isTrue();
        assertThat(chat.allowHistory()).isFalse();
        assertThat(chat.allowPresence()).isFalse();
        assertThat(chat.allowSignal()).isFalse();
        assertThat(chat.signalRate()).isEqualTo(30.0);
        assertThat(chat.idempotencyWindow()).isEqualTo(Duration.ofMinutes(5));
        assertThat(chat.schema()).contains("\"required\":[\"text\"]");
        assertThat(c.namespaces().get("notes").schema()).isEqualTo("{\"type\":\"object\"}");
    }

    @Test
    void flagsBeatEnvironmentWhichBeatsYaml() throws IOException {
        Path f = yaml("port: 1000\nhost: 10.0.0.1\nlimits:\n  max_subscriptions: 5\n");
        Map<String, String> env = Map.of("CHORUS_PORT", "2000", "CHORUS_HOST", "10.0.0.2",
                "CHORUS_LIMITS_MAX_SUBSCRIPTIONS", "7", "CHORUS_DEFAULT_NAMESPACE_HISTORY_SIZE", "50",
                "CHORUS_ALLOW_ANONYMOUS", "true");
        ChorusConfig c = load(f, env, new ConfigLoader.Flags(null, 3000, null, null));
        assertThat(c.port()).isEqualTo(3000);
        assertThat(c.host()).isEqualTo("10.0.0.2");
        assertThat(c.limits().maxSubscriptions()).isEqualTo(7);
        assertThat(c.defaultNamespace().historySize()).isEqualTo(50);
        assertThat(c.allowAnonymous()).isTrue();
    }

    @Test
    void namespacesFromEnvironmentAsJsonAndUnknownVariablesReported() {
        ConfigLoader.Loaded l = ConfigLoader.load(null,
                Map.of("CHORUS_NAMESPACES", "[{\"name\":\"feed\",\"history_size\":3}]", "CHORUS_NO_SUCH_THING", "1"),
                ConfigLoader.Flags.none());
        assertThat(l.config().namespaces().get("feed").historySize()).isEqualTo(3);
        assertThat(l.unknownEnvironment()).containsExactly("CHORUS_NO_SUCH_THING");
    }

    @Test
    void devMakesNamespacesPermissiveUnlessSaidOtherwise() throws IOException {
        Path f = yaml("namespaces:\n  - name: locked\n    allow_publish: false\n  - name: open\n");
        ChorusConfig c = load(f, Map.of(), new ConfigLoader.Flags(null, null, null, true));
        assertThat(c.dev()).isTrue();
        assertThat(c.allowAnonymous()).isTrue();
        assertThat(c.namespaces().get("open").allowPublish()).isTrue();
        assertThat(c.namespaces().get("locked").allowPublish()).isFalse();
        assertThat(c.defaultNamespace().historySize()).isEqualTo(100);
    }

    @Test
    void errorsNameTheKeyAndTheProblem() throws IOException {
        assertThatThrownBy(() -> load(yaml("prot: 1\n"), Map.of(), ConfigLoader.Flags.none()))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("prot: unknown key");
        assertThatThrownBy(() -> load(yaml("namespaces:\n  - name: a\n  - name: b\n    history_ttl: 10 parsecs\n"), Map.of(), ConfigLoader.Flags.none()))
                .hasMessage("namespaces[1].history_ttl: cannot parse '10 parsecs' as a duration (use e.g. 500ms, 10s, 2m, 1h)");
        assertThatThrownBy(() -> load(yaml("limits:\n  max_frame_size: lots\n"), Map.of(), ConfigLoader.Flags.none()))
                .hasMessageStartingWith("limits.max_frame_size: cannot parse 'lots'");
        assertThatThrownBy(() -> load(yaml("limits:\n  max_frames: 1\n"), Map.of(), ConfigLoader.Flags.none()))
                .hasMessageStartingWith("limits.max_frames: unknown key");
        assertThatThrownBy(() -> load(yaml("port: eighty\n"), Map.of(), ConfigLoader.Flags.none()))
                .hasMessage("port: 'eighty' is not an integer");
        assertThatThrownBy(() -> load(yaml("port: 70000\n"), Map.of(), ConfigLoader.Flags.none()))
                .hasMessageContaining("port out of range");
        assertThatThrownBy(() -> load(yaml("compression: perhaps\n"), Map.of(), ConfigLoader.Flags.none()))
                .hasMessage("compression: 'perhaps' is not a boolean (true or false)");
        assertThatThrownBy(() -> load(yaml("namespaces:\n  - history_size: 1\n"), Map.of(), ConfigLoader.Flags.none()))
                .hasMessageStartingWith("namespaces[0].name:");
        assertThatThrownBy(() -> load(yaml("namespaces:\n  - name: a\n  - name: a\n"), Map.of(), ConfigLoader.Flags.none()))
                .hasMessageContaining("declared twice");
        assertThatThrownBy(() -> load(yaml("namespaces:\n  - name: a\n    schema_file: missing.json\n"), Map.of(), ConfigLoader.Flags.none()))
                .hasMessageStartingWith("namespaces[0].schema_file: cannot read");
        assertThatThrownBy(() -> load(yaml("- just\n- a list\n"), Map.of(), ConfigLoader.Flags.none()))
                .hasMessageContaining("must be a YAML mapping");
        assertThatThrownBy(() -> load(yaml("key: [unclosed\n"), Map.of(), ConfigLoader.Flags.none()))
                .hasMessageStartingWith("cannot read");
        assertThatThrownBy(() -> load(null, Map.of("CHORUS_PING_INTERVAL", "soon"), ConfigLoader.Flags.none()))
                .hasMessageStartingWith("ping_interval: cannot parse 'soon'");
        assertThatThrownBy(() -> load(null, Map.of("CHORUS_NAMESPACES", "{oops"), ConfigLoader.Flags.none()))
                .hasMessageStartingWith("CHORUS_NAMESPACES: not valid JSON");
        assertThatThrownBy(() -> load(yaml("ping_interval: 30s\nheartbeat_timeout: 10s\n"), Map.of(), ConfigLoader.Flags.none()))
                .hasMessageContaining("heartbeatTimeout");
    }

    @Test
    void authHttpAndRateLimitSections() throws IOException {
        Path f = yaml("""
                auth:
                  hmac_secret: a-secret-of-at-least-thirty-two-bytes!
                  issuer: https://auth.example.com
                  clock_skew: 5s
                http:
                  api_keys: [k1, k2]
                  sse_heartbeat: 20s
                  allowed_origins: [https://app.example.com]
                  max_connections_per_ip: 100
                limits:
                  message_rate: 50
                  message_burst: 20
                  close_timeout: 1s
                namespaces:
                  - name: dm
                    private: true
                """);
        ChorusConfig c = load(f, Map.of("CHORUS_HTTP_ALLOWED_ORIGINS", "https://a.example, https://b.example"), ConfigLoader.Flags.none());
        assertThat(c.auth().enabled()).isTrue();
        assertThat(c.auth().issuer()).isEqualTo("https://auth.example.com");
        assertThat(c.auth().clockSkew()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.http().apiKeys()).containsExactlyInAnyOrder("k1", "k2");
        assertThat(c.http().sseHeartbeat()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.http().allowedOrigins()).containsExactly("https://a.example", "https://b.example");
        assertThat(c.http().maxConnectionsPerIp()).isEqualTo(100);
        assertThat(c.limits().messageRate()).isEqualTo(50.0);
        assertThat(c.limits().messageBurst()).isEqualTo(20);
        assertThat(c.limits().closeTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.namespaces().get("dm").privateChannels()).isTrue();

        assertThatThrownBy(() -> load(yaml("auth:\n  hmac_secret: short\n"), Map.of(), ConfigLoader.Flags.none()))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("auth: ");
        assertThatThrownBy(() -> load(yaml("auth:\n  issuer: x\n"), Map.of(), ConfigLoader.Flags.none()))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("auth: ");
        assertThatThrownBy(() -> load(yaml("http:\n  api_key: x\n"), Map.of(), ConfigLoader.Flags.none()))
                .hasMessageStartingWith("http.api_key: unknown key");
        assertThatThrownBy(() -> load(yaml("limits:\n  message_rate: -1\n"), Map.of(), ConfigLoader.Flags.none()))
                .hasMessageStartingWith("limits:");
    }

    @Test
    void documentsSection() throws IOException {
        ConfigLoader.Loaded l = ConfigLoader.load(yaml("""
                documents:
                  store: postgres
                  postgres_url: jdbc:postgresql://db/chorus
                  postgres_schema: docs
                  compact_after_updates: 100
                  compact_after_bytes: 2MiB
                  max_update_size: 512KiB
                  max_document_size: 8MiB
                  max_loaded: 50
                  idle_unload: 1m
                """), Map.of(), ConfigLoader.Flags.none());
        assertThat(l.store().kind()).isEqualTo(StoreSettings.Kind.POSTGRES);
        assertThat(l.store().postgresUrl()).isEqualTo("jdbc:postgresql://db/chorus");
        assertThat(l.store().postgresSchema()).isEqualTo("docs");
        assertThat(l.store().maxUpdateSize()).isEqualTo(512 * 1024);
        assertThat(l.config().documents().compaction().maxUpdates()).isEqualTo(100);
        assertThat(l.config().documents().compaction().maxBytes()).isEqualTo(2L * 1024 * 1024);
        assertThat(l.config().documents().maxDocumentSize()).isEqualTo(8L * 1024 * 1024);
        assertThat(l.config().documents().maxLoaded()).isEqualTo(50);
        assertThat(l.config().documents().idleUnload()).isEqualTo(Duration.ofMinutes(1));
        assertThat(ConfigLoader.load(null, Map.of(), ConfigLoader.Flags.none()).store().kind()).isEqualTo(StoreSettings.Kind.SQLITE);
        assertThat(ConfigLoader.load(null, Map.of("CHORUS_DOCUMENTS_STORE", "memory"), ConfigLoader.Flags.none()).store().kind())
                .isEqualTo(StoreSettings.Kind.MEMORY);

        assertThatThrownBy(() -> ConfigLoader.load(yaml("documents:\n  store: mongo\n"), Map.of(), ConfigLoader.Flags.none()))
                .hasMessageStartingWith("documents.store: 'mongo'");
        assertThatThrownBy(() -> ConfigLoader.load(yaml("documents:\n  store: postgres\n"), Map.of(), ConfigLoader.Flags.none()))
                .hasMessageStartingWith("documents.postgres_url: required");
        assertThatThrownBy(() -> ConfigLoader.load(yaml("documents:\n  postgres_schema: \"x; drop\"\n"), Map.of(), ConfigLoader.Flags.none()))
                .hasMessageStartingWith("documents.postgres_schema:");
        assertThat(ConfigLoader.load(null, Map.of(), ConfigLoader.Flags.none()).store().sqliteSync()).isEqualTo(SqliteStoreConfig.Sync.FULL);
        assertThat(ConfigLoader.load(yaml("documents:\n  sqlite_sync: normal\n"), Map.of(), ConfigLoader.Flags.none()).store().sqliteSync())
                .isEqualTo(SqliteStoreConfig.Sync.NORMAL);
        assertThat(ConfigLoader.load(null, Map.of("CHORUS_DOCUMENTS_SQLITE_SYNC", "NORMAL"), ConfigLoader.Flags.none()).store().sqliteSync())
                .isEqualTo(SqliteStoreConfig.Sync.NORMAL);
        assertThatThrownBy(() -> ConfigLoader.load(yaml("documents:\n  sqlite_sync: fast\n"), Map.of(), ConfigLoader.Flags.none()))
                .hasMessageStartingWith("documents.sqlite_sync: 'fast' is not one of full, normal");
        assertThatThrownBy(() -> ConfigLoader.load(yaml("documents:\n  compact_after: 1\n"), Map.of(), ConfigLoader.Flags.none()))
                .hasMessageStartingWith("documents.compact_after: unknown key");
    }
}
