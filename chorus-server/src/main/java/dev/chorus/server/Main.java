package dev.chorus.server;

import dev.chorus.core.documents.DocumentStore;
import dev.chorus.jdbc.SqliteStoreConfig;
import dev.chorus.server.config.BrokerSettings;
import dev.chorus.server.config.StoreSettings;
import dev.chorus.core.Chorus;
import dev.chorus.core.Node;
import dev.chorus.core.config.ChorusConfig;
import dev.chorus.server.config.ConfigException;
import dev.chorus.server.config.ConfigLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The standalone Chorus server. */
@Command(name = "chorus", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Chorus: real-time state synchronization server (WebSocket at /ws, health at /health).")
public final class Main implements Callable<Integer> {
    /** Exit code for a configuration the server refuses to run with. */
    public static final int EXIT_CONFIG = 2;

    private static final Logger log = LoggerFactory.getLogger(Main.class);

    @Option(names = "--host", description = "Address to bind (default 0.0.0.0).")
    String host;

    @Option(names = "--port", description = "Port to bind (default 8080; 0 picks a free port).")
    Integer port;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file (chorus.yaml).")
    Path config;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Directory for data kept on disk (default ./data).")
    Path dataDir;

    @Option(names = "--dev", description = "Development mode: anonymous clients, permissive namespaces. Not for production.")
    boolean dev;

    private final Map<String, String> env;
    private final PrintWriter err;

    Main(Map<String, String> env, PrintWriter err) {
        this.env = env;
        this.err = err;
    }

    public static void main(String[] args) {
        PrintWriter err = new PrintWriter(System.err, true);
        int code = commandLine(System.getenv(), err).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    static CommandLine commandLine(Map<String, String> env, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main(env, err));
        cl.setErr(err);
        return cl;
    }

    /** Loads and checks the configuration; {@link ConfigException} when it cannot be used. */
    ChorusConfig configuration() {
        return load().config();
    }

    private ConfigLoader.Loaded load() {
        ConfigLoader.Loaded loaded = ConfigLoader.load(config, env, new ConfigLoader.Flags(host, port, dataDir, dev ? Boolean.TRUE : null));
        for (String name : loaded.unknownEnvironment()) {
            log.warn("ignoring environment variable {}: it matches no configuration key", name);
        }
        AuthCheck.requireAuthentication(loaded.config());
        return loaded;
    }

    @Override
    public Integer call() throws Exception {
        ChorusConfig c;
        Chorus chorus;
        DocumentStore store = null;
        try {
            ConfigLoader.Loaded loaded = load();
            c = loaded.config();
            store = loaded.store().open(c.dataDir());
            log.info("documents are kept in {}", describe(loaded.store(), c));
            BrokerSettings.Backends backends = loaded.broker().open();
            log.info("broker: {}", loaded.broker().describe());
            chorus = Chorus.builder().config(c).documentStore(store).broker(backends.broker())
                    .presenceStore(backends.presence()).build();
        } catch (ConfigException | IllegalArgumentException e) {
            if (store != null) {
                store.close();
            }
            err.println("chorus: " + e.getMessage());
            return EXIT_CONFIG;
        }
        if (c.dev()) {
            log.warn("development mode: anonymous clients and permissive namespaces; do not use in production");
        }
        try {
            chorus.start();
        } catch (IllegalStateException e) {
            err.println("chorus: " + e.getMessage());
            return 1;
        }
        String shownHost = c.host().equals("0.0.0.0") ? "localhost" : c.host();
        log.info("Chorus {} listening on http://{}:{} (WebSocket: ws://{}:{}/ws)", Node.VERSION, shownHost, chorus.port(), shownHost, chorus.port());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("shutting down: telling clients to reconnect elsewhere");
            chorus.close();
            log.info("stopped");
            stopped.countDown();
        }, "chorus-shutdown"));
        stopped.await();
        return 0;
    }

    private static String describe(StoreSettings s, ChorusConfig c) {
        return switch (s.kind()) {
            case SQLITE -> c.dataDir().resolve(SqliteStoreConfig.FILE_NAME).toAbsolutePath().toString();
            case POSTGRES -> "PostgreSQL (schema " + s.postgresSchema() + ")";
            case MEMORY -> "memory (lost at exit)";
        };
    }

    /** Reports the server version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"chorus " + Node.VERSION};
        }
    }
}
