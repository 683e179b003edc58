package dev.chorus.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.chorus.core.auth.AuthConfig;
import dev.chorus.core.config.ChorusConfig;
import dev.chorus.core.config.DocumentsConfig;
import dev.chorus.core.config.HttpConfig;
import dev.chorus.core.documents.CompactionPolicy;
import dev.chorus.core.config.Limits;
import dev.chorus.core.config.NamespaceConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds a {@link ChorusConfig} from, in increasing precedence: built-in defaults, a YAML file,
 * {@code CHORUS_*} environment variables, and command-line flags. Keys are snake_case; unknown
 * keys and bad values are refused with a message naming the key path.
 */
public final class ConfigLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    static final List<String> TOP = List.of("host", "port", "node_name", "data_dir", "dev", "allow_anonymous",
            "ping_interval", "heartbeat_timeout", "connect_timeout", "shutdown_grace", "compression", "io_threads",
            "hook_threads", "undeclared_namespaces", "broker");
    static final List<String> REDIS = List.of("url", "prefix");
    static final List<String> NATS = List.of("url", "prefix");
    static final List<String> LIMITS = List.of("max_frame_size", "hard_frame_size", "max_outbound_bytes",
            "max_subscriptions", "max_channel_length", "max_presence_state_size", "max_inflight_requests",
            "max_violations", "violation_window", "close_timeout", "message_rate", "message_burst");
    static final List<String> AUTH = List.of("hmac_secret", "rsa_public_key", "ec_public_key", "jwks_file", "issuer",
            "audience", "clock_skew");
    static final List<String> DOCUMENTS = List.of("store", "postgres_url", "postgres_schema", "compact_after_updates",
            "compact_after_bytes", "max_update_size", "max_document_size", "max_loaded", "idle_unload", "sqlite_sync");
    static final List<String> HTTP = List.of("api_keys", "sse_heartbeat", "allowed_origins", "max_connections_per_ip");
    static final List<String> NAMESPACE = List.of("name", "history_size", "history_ttl", "presence", "join_leave",
            "allow_subscribe", "allow_publish", "allow_history", "allow_presence", "allow_signal", "signal_rate",
            "idempotency_window", "schema", "schema_file", "private");

    /** Command-line values; {@code null} fields are not set on the command line. */
    public record Flags(String host, Integer port, Path dataDir, Boolean dev) {
        public static Flags none() {
            return new Flags(null, null, null, null);
        }
    }

    /** The loaded configuration and the {@code CHORUS_*} variables that matched no key. */
    public record Loaded(ChorusConfig config, List<String> unknownEnvironment, StoreSettings store, BrokerSettings broker) {
    }

    private ConfigLoader() {
    }

    public static Loaded load(Path file, Map<String, String> env, Flags flags) {
        ObjectNode root = file == null ? JsonNodeFactory.instance.objectNode() : read(file);
        List<String> unknown = applyEnvironment(root, env);
        applyFlags(root, flags);
        Path base = file == null ? Path.of(".") : file.toAbsolutePath().getParent();
        return new Loaded(build(root, base), unknown, storeSettings(root.get("documents")), brokerSettings(root));
    }

    private static ObjectNode read(Path file) {
        JsonNode n;
        try {
            n = YAML.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (n == null || n.isMissingNode() || n.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!n.isObject()) {
            throw new ConfigException(file + ": the configuration must be a YAML mapping");
        }
        return (ObjectNode) n;
    }

    private static String envName(String path) {
        return "CHORUS_" + path.replace('.', '_').toUpperCase(Locale.ROOT);
    }

    private static List<String> applyEnvironment(ObjectNode root, Map<String, String> env) {
        Set<String> used = new TreeSet<>();
        for (String k : TOP) {
            setFromEnv(root, k, env, used);
        }
        for (String k : LIMITS) {
            setFromEnv(root, "limits." + k, env, used);
        }
        for (String k : AUTH) {
            setFromEnv(root, "auth." + k, env, used);
        }
        for (String k : HTTP) {
            setFromEnv(root, "http." + k, env, used);
        }
        for (String k : DOCUMENTS) {
            setFromEnv(root, "documents." + k, env, used);
        }
        for (String k : REDIS) {
            setFromEnv(root, "redis." + k, env, used);
        }
        for (String k : NATS) {
            setFromEnv(root, "nats." + k, env, used);
        }
        for (String k : NAMESPACE) {
            if (!k.equals("name") && !k.equals("schema_file")) {
                setFromEnv(root, "default_namespace." + k, env, used);
            }
        }
        String ns = env.get("CHORUS_NAMESPACES");
        if (ns != null) {
            used.add("CHORUS_NAMESPACES");
            try {
                root.set("namespaces", JSON.readTree(ns));
            } catch (IOException e) {
                throw new ConfigException("CHORUS_NAMESPACES: not valid JSON: " + e.getMessage(), e);
            }
        }
        List<String> unknown = new ArrayList<>();
        for (String name : env.keySet()) {
            if (name.startsWith("CHORUS_") && !used.contains(name)) {
                unknown.add(name);
            }
        }
        unknown.sort(null);
        return unknown;
    }

    private static void setFromEnv(ObjectNode root, String path, Map<String, String> env, Set<String> used) {
        String name = envName(path);
        String value = env.get(name);
        if (value == null) {
            return;
        }
        used.add(name);
        String[] parts = path.split("\\.");
        ObjectNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = node.get(parts[i]);
            if (child == null || !child.isObject()) {
                child = node.putObject(parts[i]);
            }
            node = (ObjectNode) child;
        }
        node.set(parts[parts.length - 1], TextNode.valueOf(value));
    }

    private static void applyFlags(ObjectNode root, Flags f) {
        if (f.host() != null) {
            root.put("host", f.host());
        }
        if (f.port() != null) {
            root.put("port", f.port());
        }
        if (f.dataDir() != null) {
            root.put("data_dir", f.dataDir().toString());
        }
        if (f.dev() != null && f.dev()) {
            root.put("dev", true);
        }
    }

    private static void checkKeys(String where, JsonNode node, List<String> known) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!known.contains(k)) {
                throw new ConfigException((where.isEmpty() ? "" : where + ".") + k + ": unknown key (known: " + String.join(", ", known) + ")");
            }
        }
    }

    private static ChorusConfig build(ObjectNode root, Path base) {
        List<String> topKeys = new ArrayList<>(TOP);
        topKeys.addAll(List.of("limits", "default_namespace", "namespaces", "auth", "http", "documents", "redis", "nats"));
        checkKeys("", root, topKeys);
        ChorusConfig.Builder b = ChorusConfig.builder();
        JsonNode n;
        if ((n = root.get("host")) != null) b.host(Values.string("host", n));
        if ((n = root.get("port")) != null) b.port(Values.integer("port", n));
        if ((n = root.get("node_name")) != null) b.nodeName(Values.string("node_name", n));
        b.dataDir(Path.of((n = root.get("data_dir")) != null ? Values.string("data_dir", n) : "data"));
        boolean dev = (n = root.get("dev")) != null && Values.bool("dev", n);
        b.dev(dev);
        if ((n = root.get("allow_anonymous")) != null) b.allowAnonymous(Values.bool("allow_anonymous", n));
        if ((n = root.get("ping_interval")) != null) b.pingInterval(Values.duration("ping_interval", n));
        if ((n = root.get("heartbeat_timeout")) != null) b.heartbeatTimeout(Values.duration("heartbeat_timeout", n));
        if ((n = root.get("connect_timeout")) != null) b.connectTimeout(Values.duration("connect_timeout", n));
        if ((n = root.get("shutdown_grace")) != null) b.shutdownGrace(Values.duration("shutdown_grace", n));
        if ((n = root.get("compression")) != null) b.compression(Values.bool("compression", n));
        if ((n = root.get("io_threads")) != null) b.ioThreads(Values.integer("io_threads", n));
        if ((n = root.get("hook_threads")) != null) b.hookThreads(Values.integer("hook_threads", n));
        if ((n = root.get("undeclared_namespaces")) != null) b.undeclaredNamespacesAllowed(Values.bool("undeclared_namespaces", n));
        if ((n = root.get("limits")) != null) b.limits(limits(n));
        if ((n = root.get("auth")) != null) b.auth(auth(n, base));
        if ((n = root.get("http")) != null) b.http(http(n));
        if ((n = root.get("documents")) != null) b.documents(documents(n));
        if ((n = root.get("default_namespace")) != null) {
            b.namespace(namespace("default_namespace", n, "", dev, base));
        }
        if ((n = root.get("namespaces")) != null) {
            if (!n.isArray()) {
                throw new ConfigException("namespaces: expected a list of namespaces");
            }
            Set<String> names = new TreeSet<>();
            for (int i = 0; i < n.size(); i++) {
                String where = "namespaces[" + i + "]";
                JsonNode name = n.get(i).get("name");
                if (name == null || !name.isTextual() || name.asText().isEmpty() || name.asText().contains(":")) {
                    throw new ConfigException(where + ".name: every namespace needs a name without ':'");
                }
                if (!names.add(name.asText())) {
                    throw new ConfigException(where + ".name: namespace '" + name.asText() + "' is declared twice");
                }
                b.namespace(namespace(where, n.get(i), name.asText(), dev, base));
            }
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage(), e);
        }
    }

    private static Limits limits(JsonNode n) {
        if (!n.isObject()) {
            throw new ConfigException("limits: expected a mapping");
        }
        checkKeys("limits", n, LIMITS);
        Limits.Builder l = Limits.builder();
        JsonNode v;
        if ((v = n.get("max_frame_size")) != null) l.maxFrameSize(intSize("limits.max_frame_size", v));
        if ((v = n.get("hard_frame_size")) != null) l.hardFrameSize(intSize("limits.hard_frame_size", v));
        if ((v = n.get("max_outbound_bytes")) != null) l.maxOutboundBytes(Values.size("limits.max_outbound_bytes", v));
        if ((v = n.get("max_subscriptions")) != null) l.maxSubscriptions(Values.integer("limits.max_subscriptions", v));
        if ((v = n.get("max_channel_length")) != null) l.maxChannelLength(Values.integer("limits.max_channel_length", v));
        if ((v = n.get("max_presence_state_size")) != null) l.maxPresenceStateSize(intSize("limits.max_presence_state_size", v));
        if ((v = n.get("max_inflight_requests")) != null) l.maxInflightRequests(Values.integer("limits.max_inflight_requests", v));
        if ((v = n.get("max_violations")) != null) l.maxViolations(Values.integer("limits.max_violations", v));
        if ((v = n.get("violation_window")) != null) l.violationWindow(Values.duration("limits.violation_window", v));
        if ((v = n.get("close_timeout")) != null) l.closeTimeout(Values.duration("limits.close_timeout", v));
        if ((v = n.get("message_rate")) != null) l.messageRate(Values.number("limits.message_rate", v));
        if ((v = n.get("message_burst")) != null) l.messageBurst(Values.integer("limits.message_burst", v));
        try {
            return l.build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("limits: " + e.getMessage(), e);
        }
    }

    private static AuthConfig auth(JsonNode n, Path base) {
        if (!n.isObject()) {
            throw new ConfigException("auth: expected a mapping");
        }
        checkKeys("auth", n, AUTH);
        AuthConfig.Builder a = AuthConfig.builder();
        JsonNode v;
        if ((v = n.get("hmac_secret")) != null) a.hmacSecret(Values.string("auth.hmac_secret", v));
        if ((v = n.get("rsa_public_key")) != null) a.rsaPublicKeyPem(Values.string("auth.rsa_public_key", v));
        if ((v = n.get("ec_public_key")) != null) a.ecPublicKeyPem(Values.string("auth.ec_public_key", v));
        if ((v = n.get("jwks_file")) != null) a.jwksFile(base.resolve(Values.string("auth.jwks_file", v)));
        if ((v = n.get("issuer")) != null) a.issuer(Values.string("auth.issuer", v));
        if ((v = n.get("audience")) != null) a.audience(Values.string("auth.audience", v));
        if ((v = n.get("clock_skew")) != null) a.clockSkew(Values.duration("auth.clock_skew", v));
        try {
            AuthConfig built = a.build();
            // read the keys now, so a bad key stops the server at start with its message
            built.verifier();
            return built;
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ConfigException("auth: " + e.getMessage(), e);
        }
    }

    private static DocumentsConfig documents(JsonNode n) {
        if (!n.isObject()) {
            throw new ConfigException("documents: expected a mapping");
        }
        checkKeys("documents", n, DOCUMENTS);
        DocumentsConfig.Builder d = DocumentsConfig.builder();
        CompactionPolicy.Builder c = CompactionPolicy.builder();
        JsonNode v;
        if ((v = n.get("compact_after_updates")) != null) c.afterUpdates(Values.integer("documents.compact_after_updates", v));
        if ((v = n.get("compact_after_bytes")) != null) c.afterBytes(Values.size("documents.compact_after_bytes", v));
        if ((v = n.get("max_update_size")) != null) d.maxUpdateSize(intSize("documents.max_update_size", v));
        if ((v = n.get("max_document_size")) != null) d.maxDocumentSize(Values.size("documents.max_document_size", v));
        if ((v = n.get("max_loaded")) != null) d.maxLoaded(Values.integer("documents.max_loaded", v));
        if ((v = n.get("idle_unload")) != null) d.idleUnload(Values.duration("documents.idle_unload", v));
        try {
            return d.compaction(c.build()).build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("documents: " + e.getMessage(), e);
        }
    }

    private static BrokerSettings brokerSettings(JsonNode root) {
        BrokerSettings def = BrokerSettings.defaults();
        BrokerSettings.Kind kind = def.kind();
        JsonNode v;
        if ((v = root.get("broker")) != null) {
            kind = Values.oneOf("broker", v, BrokerSettings.Kind.class);
        }
        String redisUrl = def.redisUrl();
        String redisPrefix = def.redisPrefix();
        JsonNode redis = root.get("redis");
        if (redis != null) {
            if (!redis.isObject()) {
                throw new ConfigException("redis: expected a mapping");
            }
            checkKeys("redis", redis, REDIS);
            if ((v = redis.get("url")) != null) redisUrl = Values.string("redis.url", v);
            if ((v = redis.get("prefix")) != null) redisPrefix = Values.string("redis.prefix", v);
        }
        String natsUrl = def.natsUrl();
        String natsPrefix = def.natsPrefix();
        JsonNode nats = root.get("nats");
        if (nats != null) {
            if (!nats.isObject()) {
                throw new ConfigException("nats: expected a mapping");
            }
            checkKeys("nats", nats, NATS);
            if ((v = nats.get("url")) != null) natsUrl = Values.string("nats.url", v);
            if ((v = nats.get("prefix")) != null) natsPrefix = Values.string("nats.prefix", v);
        }
        return new BrokerSettings(kind, redisUrl, redisPrefix, natsUrl, natsPrefix);
    }

    private static StoreSettings storeSettings(JsonNode n) {
        StoreSettings def = StoreSettings.defaults();
        if (n == null) {
            return def;
        }
        StoreSettings.Kind kind = def.kind();
        JsonNode v;
        if ((v = n.get("store")) != null) {
            kind = Values.oneOf("documents.store", v, StoreSettings.Kind.class);
        }
        String url = (v = n.get("postgres_url")) != null ? Values.string("documents.postgres_url", v) : null;
        String schema = (v = n.get("postgres_schema")) != null ? Values.string("documents.postgres_schema", v) : def.postgresSchema();
        int maxUpdate = (v = n.get("max_update_size")) != null ? intSize("documents.max_update_size", v) : def.maxUpdateSize();
        if (kind == StoreSettings.Kind.POSTGRES && (url == null || url.isBlank())) {
            throw new ConfigException("documents.postgres_url: required with store: postgres");
        }
        if (!schema.matches("[A-Za-z_][A-Za-z0-9_]{0,62}")) {
            throw new ConfigException("documents.postgres_schema: '" + schema + "' must be letters, digits and _");
        }
        dev.chorus.jdbc.SqliteStoreConfig.Sync sync = def.sqliteSync();
        if ((v = n.get("sqlite_sync")) != null) {
            sync = Values.oneOf("documents.sqlite_sync", v, dev.chorus.jdbc.SqliteStoreConfig.Sync.class);
        }
        return new StoreSettings(kind, url, schema, maxUpdate, sync);
    }

    private static HttpConfig http(JsonNode n) {
        if (!n.isObject()) {
            throw new ConfigException("http: expected a mapping");
        }
        checkKeys("http", n, HTTP);
        HttpConfig.Builder h = HttpConfig.builder();
        JsonNode v;
        if ((v = n.get("api_keys")) != null) h.apiKeys(new java.util.LinkedHashSet<>(Values.strings("http.api_keys", v)));
        if ((v = n.get("sse_heartbeat")) != null) h.sseHeartbeat(Values.duration("http.sse_heartbeat", v));
        if ((v = n.get("allowed_origins")) != null) h.allowedOrigins(Values.strings("http.allowed_origins", v));
        if ((v = n.get("max_connections_per_ip")) != null) h.maxConnectionsPerIp(Values.integer("http.max_connections_per_ip", v));
        try {
            return h.build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("http: " + e.getMessage(), e);
        }
    }

    private static int intSize(String path, JsonNode v) {
        long s = Values.size(path, v);
        if (s > Integer.MAX_VALUE) {
            throw new ConfigException(path + ": " + s + " is too large");
        }
        return (int) s;
    }

    private static NamespaceConfig namespace(String where, JsonNode n, String name, boolean dev, Path base) {
        if (!n.isObject()) {
            throw new ConfigException(where + ": expected a mapping");
        }
        checkKeys(where, n, NAMESPACE);
        // in dev mode every option starts permissive; an explicit value still wins
        NamespaceConfig.Builder b = dev ? NamespaceConfig.permissive(name).toBuilder() : NamespaceConfig.builder(name);
        JsonNode v;
        if ((v = n.get("history_size")) != null) b.historySize(Values.integer(where + ".history_size", v));
        if ((v = n.get("history_ttl")) != null) b.historyTtl(Values.duration(where + ".history_ttl", v));
        if ((v = n.get("presence")) != null) b.presence(Values.bool(where + ".presence", v));
        if ((v = n.get("join_leave")) != null) b.joinLeave(Values.bool(where + ".join_leave", v));
        if ((v = n.get("allow_subscribe")) != null) b.allowSubscribe(Values.bool(where + ".allow_subscribe", v));
        if ((v = n.get("allow_publish")) != null) b.allowPublish(Values.bool(where + ".allow_publish", v));
        if ((v = n.get("allow_history")) != null) b.allowHistory(Values.bool(where + ".allow_history", v));
        if ((v = n.get("allow_presence")) != null) b.allowPresence(Values.bool(where + ".allow_presence", v));
        if ((v = n.get("allow_signal")) != null) b.allowSignal(Values.bool(where + ".allow_signal", v));
        if ((v = n.get("private")) != null) b.privateChannels(Values.bool(where + ".private", v));
        if ((v = n.get("signal_rate")) != null) b.signalRate(Values.number(where + ".signal_rate", v));
        if ((v = n.get("idempotency_window")) != null) b.idempotencyWindow(Values.duration(where + ".idempotency_window", v));
        JsonNode schema = n.get("schema");
        JsonNode schemaFile = n.get("schema_file");
        if (schema != null && schemaFile != null) {
            throw new ConfigException(where + ": give either schema or schema_file, not both");
        }
        if (schema != null) {
            b.schema(schema.isTextual() ? schema.asText() : schema.toString());
        } else if (schemaFile != null) {
            Path p = base.resolve(Values.string(where + ".schema_file", schemaFile));
            try {
                b.schema(Files.readString(p));
            } catch (IOException e) {
                throw new ConfigException(where + ".schema_file: cannot read " + p + ": " + e.getMessage(), e);
            }
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + ": " + e.getMessage(), e);
        }
    }
}
