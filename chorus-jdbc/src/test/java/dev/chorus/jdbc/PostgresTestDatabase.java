package dev.chorus.jdbc;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL the tests run against: {@code CHORUS_TEST_POSTGRES_URL}, else
 * {@code jdbc:postgresql://127.0.0.1:5432/test} as user {@code postgres} or {@code root} (trust
 * auth). When it cannot be reached the tests are skipped with a message, except with
 * {@code CI=true}, where they fail. Each test class works in a schema of its own,
 * {@code chorus_test_<random>}, dropped afterwards: the server is shared between runs.
 */
final class PostgresTestDatabase {
    static final String URL = System.getenv().getOrDefault("CHORUS_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");

    private static String user;

    private PostgresTestDatabase() {
    }

    /** The user that could connect; skips (or, on CI, fails) when none could. */
    static synchronized String requireReachable() {
        if (user != null) {
            return user;
        }
        List<String> errors = new ArrayList<>();
        for (String candidate : new String[] {"postgres", "root"}) {
            try (Connection c = connect(candidate)) {
                if (!c.isValid(3)) {
                    errors.add(candidate + ": connection not valid");
                    continue;
                }
                user = candidate;
                return user;
            } catch (SQLException e) {
                errors.add(candidate + ": " + e.getMessage());
            }
        }
        String message = "PostgreSQL not reachable at " + URL + " (" + String.join("; ", errors) + ")";
        if ("true".equals(System.getenv("CI"))) {
            fail(message + ": with CI=true the PostgreSQL tests must run");
        }
        Assumptions.abort(message + ": skipping the PostgreSQL tests");
        return null;
    }

    static Connection connect(String as) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", as);
        p.setProperty("connectTimeout", "3");
        p.setProperty("loginTimeout", "3");
        return DriverManager.getConnection(URL, p);
    }

    static String newSchema() {
        return "chorus_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    static PostgresStoreConfig.Builder config(String schema) {
        return PostgresStoreConfig.builder(URL).user(requireReachable()).schema(schema);
    }

    static void dropSchema(String schema) throws SQLException {
        if (user == null) {
            return;
        }
        try (Connection c = connect(user); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
        }
    }
}
