package dev.chorus.core.config;

import dev.chorus.core.auth.AuthConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a Chorus node is configured with. Immutable; build with {@link #builder()}. The
 * standalone server fills it from YAML and {@code CHORUS_*} environment variables; embedding
 * applications build it in code. Defaults are listed in the README's configuration table.
 */
public final class ChorusConfig {
    private final String host;
    private final int port;
    private final String nodeName;
    private final Path dataDir;
    private final boolean dev;
    private final boolean allowAnonymous;
    private final Duration pingInterval;
    private final Duration heartbeatTimeout;
    private final Duration connectTimeout;
    private final Duration shutdownGrace;
    private final boolean compression;
    private final int ioThreads;
    private final int hookThreads;
    private final Limits limits;
    private final HttpConfig http;
    private final DocumentsConfig documents;
    private final AuthConfig auth;
    private final NamespaceConfig defaultNamespace;
    private final Map<String, NamespaceConfig> namespaces;
    private final boolean undeclaredNamespacesAllowed;

    private ChorusConfig(Builder b) {
        this.host = Objects.requireNonNull(b.host, "host");
        if (b.port < 0 || b.port > 65535) {
            throw new IllegalArgumentException("port out of range: " + b.port);
        }
        this.port = b.port;
        this.nodeName = Objects.requireNonNull(b.nodeName, "nodeName");
        this.dataDir = b.dataDir;
        this.dev = b.dev;
        this.allowAnonymous = b.allowAnonymous || b.dev;
        this.pingInterval = requirePositive(b.pingInterval, "pingInterval");
        this.heartbeatTimeout = requirePositive(b.heartbeatTimeout, "heartbeatTimeout");
        if (heartbeatTimeout.compareTo(pingInterval) <= 0) {
            throw new IllegalArgumentException("heartbeatTimeout (" + heartbeatTimeout + ") must be longer than pingInterval (" + pingInterval + ")");
        }
        this.connectTimeout = requirePositive(b.connectTimeout, "connectTimeout");
        this.shutdownGrace = Objects.requireNonNull(b.shutdownGrace, "shutdownGrace");
        this.compression = b.compression;
        if (b.ioThreads < 0 || b.hookThreads <= 0) {
            throw new IllegalArgumentException("ioThreads must be >= 0 and hookThreads > 0");
        }
        this.ioThreads = b.ioThreads;
        this.hookThreads = b.hookThreads;
        this.limits = Objects.requireNonNull(b.limits, "limits");
        NamespaceConfig def = b.namespaces.get("");
        if (def == null) {
            def = b.dev ? NamespaceConfig.permissive("") : NamespaceConfig.builder("").build();
        }
        this.defaultNamespace = def;
        Map<String, NamespaceConfig> ns = new LinkedHashMap<>(b.namespaces);
        ns.remove("");
        this.namespaces = Map.copyOf(ns);
        this.undeclaredNamespacesAllowed = b.undeclaredNamespacesAllowed != null ? b.undeclaredNamespacesAllowed : b.dev;
        this.http = Objects.requireNonNull(b.http, "http");
        this.documents = Objects.requireNonNull(b.documents, "documents");
        this.auth = Objects.requireNonNull(b.auth, "auth");
    }

    private static Duration requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be > 0: " + d);
        }
        return d;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A configuration for tests and demos: {@code --dev} defaults on an ephemeral port of 127.0.0.1. */
    public static ChorusConfig devDefaults() {
        return builder().host("127.0.0.1").port(0).dev(true).build();
    }

    public Builder toBuilder() {
        Builder b = new Builder().host(host).port(port).nodeName(nodeName).dataDir(dataDir).dev(dev)
                .allowAnonymous(allowAnonymous).pingInterval(pingInterval).heartbeatTimeout(heartbeatTimeout)
                .connectTimeout(connectTimeout).shutdownGrace(shutdownGrace).compression(compression)
                .ioThreads(ioThreads).hookThreads(hookThreads).limits(limits).http(http).auth(auth).documents(documents)
                .undeclaredNamespacesAllowed(undeclaredNamespacesAllowed);
        b.namespace(defaultNamespace);
        namespaces.values().forEach(b::namespace);
        return b;
    }

    /** Address to bind. Default {@code 0.0.0.0}. */
    public String host() {
        return host;
    }

    /** Port to bind (0: any free port). Default 8080. */
    public int port() {
        return port;
    }

    /** Name of this node, reported to clients and in logs. Default: a random id. */
    public String nodeName() {
        return nodeName;
    }

    /** Directory for data kept on disk, or {@code null}. Default {@code ./data} in the server. */
    public Path dataDir() {
        return dataDir;
    }

    /** Development mode: anonymous clients, permissive namespaces. Default false. */
    public boolean dev() {
        return dev;
    }

    /** Whether clients may connect without a token (implied by {@link #dev()}). Default false. */
    public boolean allowAnonymous() {
        return allowAnonymous;
    }

    /** Interval of the server's pings. Default 10 s. */
    public Duration pingInterval() {
        return pingInterval;
    }

    /** Silence after which a client is disconnected and removed from presence. Default 30 s. */
    public Duration heartbeatTimeout() {
        return heartbeatTimeout;
    }

    /** Time a new connection has to send {@code connect}. Default 10 s. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** How long shutdown waits for in-flight work after telling clients to reconnect. Default 10 s. */
    public Duration shutdownGrace() {
        return shutdownGrace;
    }

    /** Whether permessage-deflate may be negotiated. Default true. */
    public boolean compression() {
        return compression;
    }

    /** Network event-loop threads (0: two per core). Default 0. */
    public int ioThreads() {
        return ioThreads;
    }

    /** Threads running application hooks and RPC handlers. Default 16. */
    public int hookThreads() {
        return hookThreads;
    }

    /** Token authentication (JWT); {@link AuthConfig#none()} by default. */
    public AuthConfig auth() {
        return auth;
    }

    /** Collaborative documents in memory: idle unload, limits, compaction. */
    public DocumentsConfig documents() {
        return documents;
    }

    /** The HTTP side: server API keys, SSE, origins, connections per IP. */
    public HttpConfig http() {
        return http;
    }

    public Limits limits() {
        return limits;
    }

    /** Options of channels without a namespace. */
    public NamespaceConfig defaultNamespace() {
        return defaultNamespace;
    }

    /** Declared namespaces by name (without the default namespace). */
    public Map<String, NamespaceConfig> namespaces() {
        return namespaces;
    }

    /**
     * Whether channels of undeclared namespaces are accepted, with the default namespace's options
     * (else they get error 102). Default: true with {@link #dev()}, else false.
     */
    public boolean undeclaredNamespacesAllowed() {
        return undeclaredNamespacesAllowed;
    }

    /**
     * The options for a namespace name, or {@code null} when it is not declared and undeclared
     * namespaces are refused.
     */
    public NamespaceConfig namespace(String name) {
        if (name.isEmpty()) {
            return defaultNamespace;
        }
        NamespaceConfig ns = namespaces.get(name);
        if (ns == null && undeclaredNamespacesAllowed) {
            return defaultNamespace;
        }
        return ns;
    }

    public static final class Builder {
        private String host = "0.0.0.0";
        private int port = 8080;
        private String nodeName = "node-" + Long.toString(Double.doubleToLongBits(Math.random()) & 0xffffff, 36);
        private Path dataDir;
        private boolean dev;
        private boolean allowAnonymous;
        private Duration pingInterval = Duration.ofSeconds(10);
        private Duration heartbeatTimeout = Duration.ofSeconds(30);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration shutdownGrace = Duration.ofSeconds(10);
        private boolean compression = true;
        private int ioThreads = 0;
        private int hookThreads = 16;
        private Limits limits = Limits.defaults();
        private HttpConfig http = HttpConfig.defaults();
        private DocumentsConfig documents = DocumentsConfig.defaults();
        private AuthConfig auth = AuthConfig.none();
        private final Map<String, NamespaceConfig> namespaces = new LinkedHashMap<>();
        private Boolean undeclaredNamespacesAllowed;

        private Builder() {
        }

        public Builder host(String v) {
            this.host = v;
            return this;
        }

        public Builder port(int v) {
            this.port = v;
            return this;
        }

        public Builder nodeName(String v) {
            this.nodeName = v;
            return this;
        }

        public Builder dataDir(Path v) {
            this.dataDir = v;
            return this;
        }

        public Builder dev(boolean v) {
            this.dev = v;
            return this;
        }

        public Builder allowAnonymous(boolean v) {
            this.allowAnonymous = v;
            return this;
        }

        public Builder pingInterval(Duration v) {
            this.pingInterval = v;
            return this;
        }

        public Builder heartbeatTimeout(Duration v) {
            this.heartbeatTimeout = v;
            return this;
        }

        public Builder connectTimeout(Duration v) {
            this.connectTimeout = v;
            return this;
        }

        public Builder shutdownGrace(Duration v) {
            this.shutdownGrace = v;
            return this;
        }

        public Builder compression(boolean v) {
            this.compression = v;
            return this;
        }

        public Builder ioThreads(int v) {
            this.ioThreads = v;
            return this;
        }

        public Builder hookThreads(int v) {
            this.hookThreads = v;
            return this;
        }

        public Builder auth(AuthConfig v) {
            this.auth = v;
            return this;
        }

        public Builder documents(DocumentsConfig v) {
            this.documents = v;
            return this;
        }

        public Builder http(HttpConfig v) {
            this.http = v;
            return this;
        }

        public Builder limits(Limits v) {
            this.limits = v;
            return this;
        }

        /** Declares a namespace (name {@code ""} replaces the default namespace's options). */
        public Builder namespace(NamespaceConfig ns) {
            this.namespaces.put(ns.name(), ns);
            return this;
        }

        public Builder namespaces(Collection<NamespaceConfig> all) {
            all.forEach(this::namespace);
            return this;
        }

        public Builder undeclaredNamespacesAllowed(boolean v) {
            this.undeclaredNamespacesAllowed = v;
            return this;
        }

        public ChorusConfig build() {
            return new ChorusConfig(this);
        }
    }
}
