package dev.chorus.jdbc.internal;

import dev.chorus.core.documents.StoredDocument;
import dev.chorus.core.documents.StoredUpdate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a document in one read transaction, so head row and updates come from the same snapshot
 * of the database (SQLite: a WAL read transaction; PostgreSQL: REPEATABLE READ) and a compaction
 * committing meanwhile is seen entirely or not at all.
 */
final class DocumentLoader {
    private static final String HEAD = "SELECT last_seq, snapshot_seq, snapshot FROM chorus_documents WHERE name = ?";
    private static final String UPDATES = "SELECT seq, data FROM chorus_document_updates WHERE name = ? AND seq > ? ORDER BY seq";

    private DocumentLoader() {
    }

    static StoredDocument load(Connection c, Dialect dialect, String doc) throws SQLException {
        dialect.begin(c, false);
        try {
            StoredDocument d = read(c, doc);
            dialect.commit(c);
            return d;
        } catch (SQLException | RuntimeException e) {
            dialect.rollbackAfter(c, e);
            throw e;
        }
    }

    private static StoredDocument read(Connection c, String doc) throws SQLException {
        long lastSeq;
        long snapshotSeq;
        byte[] snapshot;
        try (PreparedStatement s = c.prepareStatement(HEAD)) {
            s.setString(1, doc);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return StoredDocument.empty(doc);
                }
                lastSeq = rs.getLong(1);
                snapshotSeq = rs.getLong(2);
                snapshot = rs.getBytes(3);
            }
        }
        List<StoredUpdate> updates = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(UPDATES)) {
            s.setString(1, doc);
            s.setLong(2, snapshotSeq);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    updates.add(new StoredUpdate(rs.getLong(1), rs.getBytes(2)));
                }
            }
        }
        if (snapshotSeq + updates.size() != lastSeq) {
            throw new SQLException("document '" + doc + "' is inconsistent: head says last seq " + lastSeq
                    + ", snapshot holds " + snapshotSeq + " and " + updates.size() + " updates follow");
        }
        try {
            return new StoredDocument(doc, snapshot, snapshotSeq, updates);
        } catch (IllegalArgumentException e) {
            throw new SQLException("document '" + doc + "' is inconsistent: " + e.getMessage(), e);
        }
    }
}
