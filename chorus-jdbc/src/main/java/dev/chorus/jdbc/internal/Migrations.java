package dev.chorus.jdbc.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Brings a database's tables up to date at start. The scripts are resources
 * {@code dev/chorus/jdbc/migrations/<dialect>/V<n>__<what>.sql}, listed in order in the folder's
 * {@code index}; each one runs once, in one transaction with the row that records it in
 * {@code chorus_schema_migrations}, so a start that dies halfway leaves the database at the last
 * whole version and running again is harmless. On PostgreSQL an advisory lock keeps two processes
 * starting at once from running the same script twice.
 */
public final class Migrations {
    private static final Pattern FILE = Pattern.compile("V(\\d+)__[A-Za-z0-9_]+\\.sql");
    private static final String TABLE = "CREATE TABLE IF NOT EXISTS chorus_schema_migrations ("
            + "version INTEGER PRIMARY KEY, script VARCHAR(255) NOT NULL, applied_at BIGINT NOT NULL)";

    /** One script. */
    record Script(int version, String file, List<String> statements) {
    }

    private Migrations() {
    }

    /**
     * Applies the scripts the database has not seen yet.
     *
     * @param schema PostgreSQL: the schema to create and migrate (the connection's search path must
     *               already point at it); SQLite: {@code null}
     * @return the versions applied now (empty when the database was up to date)
     */
    public static List<Integer> apply(Connection c, Dialect dialect, String schema) throws SQLException {
        List<Script> scripts = scripts(dialect);
        dialect.begin(c, true);
        try {
            List<Integer> applied = applyLocked(c, dialect, schema, scripts);
            dialect.commit(c);
            return applied;
        } catch (SQLException | RuntimeException e) {
            dialect.rollbackAfter(c, e);
            throw e;
        }
    }

    private static List<Integer> applyLocked(Connection c, Dialect dialect, String schema, List<Script> scripts)
            throws SQLException {
        try (Statement s = c.createStatement()) {
            if (dialect == Dialect.POSTGRES) {
                try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                    lock.setLong(1, ("chorus-migrations:" + schema).hashCode());
                    lock.execute();
                }
                s.execute("CREATE SCHEMA IF NOT EXISTS \"" + schema + "\"");
            }
            s.execute(TABLE);
        }
        Set<Integer> done = new HashSet<>();
        int newest = 0;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT version FROM chorus_schema_migrations")) {
            while (rs.next()) {
                done.add(rs.getInt(1));
                newest = Math.max(newest, rs.getInt(1));
            }
        }
        int known = scripts.isEmpty() ? 0 : scripts.get(scripts.size() - 1).version();
        if (newest > known) {
            throw new SQLException("the database's document tables are at version " + newest
                    + ", newer than this Chorus understands (" + known + "): upgrade Chorus");
        }
        List<Integer> applied = new ArrayList<>();
        for (Script script : scripts) {
            if (done.contains(script.version())) {
                continue;
            }
            try (Statement s = c.createStatement()) {
                for (String sql : script.statements()) {
                    s.execute(sql);
                }
            } catch (SQLException e) {
                throw new SQLException("migration " + script.file() + " failed: " + e.getMessage(), e.getSQLState(), e);
            }
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO chorus_schema_migrations (version, script, applied_at) VALUES (?, ?, ?)")) {
                p.setInt(1, script.version());
                p.setString(2, script.file());
                p.setLong(3, System.currentTimeMillis());
                p.executeUpdate();
            }
            applied.add(script.version());
        }
        return applied;
    }

    /** The dialect's scripts in version order; a broken index is a packaging error and fails loudly. */
    static List<Script> scripts(Dialect dialect) {
        String dir = "/dev/chorus/jdbc/migrations/" + dialect.resourceDir() + "/";
        List<Script> out = new ArrayList<>();
        for (String file : lines(dir + "index")) {
            Matcher m = FILE.matcher(file);
            if (!m.matches()) {
                throw new IllegalStateException("bad migration file name in " + dir + "index: " + file);
            }
            int version = Integer.parseInt(m.group(1));
            if (version != out.size() + 1) {
                throw new IllegalStateException("migration " + file + " should be version " + (out.size() + 1));
            }
            out.add(new Script(version, file, statements(String.join("\n", lines(dir + file)))));
        }
        return out;
    }

    /** Splits a script at semicolons that end a line; lines starting with {@code --} are comments. */
    static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n", -1)) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (t.endsWith(";")) {
                String sql = current.toString().strip();
                out.add(sql.substring(0, sql.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            throw new IllegalStateException("migration script ends without ';': " + current.toString().strip());
        }
        return out;
    }

    private static List<String> lines(String resource) {
        InputStream in = Migrations.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("missing resource " + resource);
        }
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank()) {
                    out.add(line.strip());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
