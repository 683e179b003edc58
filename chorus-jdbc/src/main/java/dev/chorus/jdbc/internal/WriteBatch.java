package dev.chorus.jdbc.internal;

import dev.chorus.core.documents.DocumentInput;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Runs a batch of writes as one transaction and works out each write's result. Nothing is handed
 * to the callers here: {@link #run} returns the results, and the writer delivers them only after
 * the commit, so a caller never sees a sequence number that a rollback could take back.
 *
 * <p>The head rows of all documents in the batch are read (and, on PostgreSQL, locked) first, in
 * name order, so two processes writing the same documents never lock them in opposite orders.
 * Sequence numbers are the head's {@code last_seq} plus one per append, so they have no gaps;
 * the {@code (name, seq)} primary key would turn any double use into an error instead of a
 * duplicate.
 */
final class WriteBatch {
    private static final String ENSURE = "INSERT INTO chorus_documents (name, last_seq, snapshot_seq) VALUES (?, 0, 0) "
            + "ON CONFLICT (name) DO NOTHING";
    private static final String INSERT_HEAD = "INSERT INTO chorus_documents (name, last_seq, snapshot_seq) VALUES (?, 0, 0)";
    private static final String HEAD = "SELECT last_seq, snapshot_seq FROM chorus_documents WHERE name = ?";
    private static final String INSERT_UPDATE = "INSERT INTO chorus_document_updates (name, seq, data) VALUES (?, ?, ?)";
    private static final String SET_LAST = "UPDATE chorus_documents SET last_seq = ? WHERE name = ?";
    private static final String SET_SNAPSHOT = "UPDATE chorus_documents SET snapshot = ?, snapshot_seq = ? WHERE name = ?";
    private static final String DROP_UPDATES_UP_TO = "DELETE FROM chorus_document_updates WHERE name = ? AND seq <= ?";
    private static final String DROP_UPDATES = "DELETE FROM chorus_document_updates WHERE name = ?";
    private static final String DROP_HEAD = "DELETE FROM chorus_documents WHERE name = ?";

    private final Connection c;
    private final Dialect dialect;
    private final Map<String, Head> heads = new HashMap<>();
    private PreparedStatement inserts;
    private int pendingInserts;

    private WriteBatch(Connection c, Dialect dialect) {
        this.c = c;
        this.dialect = dialect;
    }

    /** A document's head row as this transaction sees it. */
    private static final class Head {
        boolean exists;
        long lastSeq;
        long snapshotSeq;
        boolean lastSeqChanged;
    }

    /**
     * Applies {@code ops} in order inside the connection's current transaction (without
     * committing). Result {@code i} is the value for op {@code i}, or the
     * {@link IllegalArgumentException} it is refused with (a refused write changes nothing).
     */
    static Object[] run(Connection c, Dialect dialect, List<WriteOp> ops) throws SQLException {
        WriteBatch batch = new WriteBatch(c, dialect);
        try {
            return batch.apply(ops);
        } finally {
            if (batch.inserts != null) {
                batch.inserts.close();
            }
        }
    }

    private Object[] apply(List<WriteOp> ops) throws SQLException {
        lockHeads(ops);
        Object[] results = new Object[ops.size()];
        for (int i = 0; i < ops.size(); i++) {
            WriteOp op = ops.get(i);
            Head head = heads.get(op.doc());
            if (op instanceof WriteOp.Append a) {
                results[i] = append(head, a);
            } else if (op instanceof WriteOp.Compact k) {
                results[i] = compact(head, k);
            } else if (op instanceof WriteOp.Delete d) {
                results[i] = delete(head, d);
            }
        }
        flushInserts();
        try (PreparedStatement s = c.prepareStatement(SET_LAST)) {
            for (Map.Entry<String, Head> e : heads.entrySet()) {
                Head h = e.getValue();
                if (h.exists && h.lastSeqChanged) {
                    s.setLong(1, h.lastSeq);
                    s.setString(2, e.getKey());
                    s.addBatch();
                }
            }
            s.executeBatch();
        }
        return results;
    }

    private void lockHeads(List<WriteOp> ops) throws SQLException {
        TreeSet<String> names = new TreeSet<>();
        TreeSet<String> appended = new TreeSet<>();
        for (WriteOp op : ops) {
            names.add(op.doc());
            if (op instanceof WriteOp.Append) {
                appended.add(op.doc());
            }
        }
        try (PreparedStatement ensure = c.prepareStatement(ENSURE);
                PreparedStatement select = c.prepareStatement(HEAD + dialect.lockClause())) {
            for (String name : names) {
                if (appended.contains(name)) {
                    ensure.setString(1, name);
                    ensure.executeUpdate();
                }
                select.setString(1, name);
                Head h = new Head();
                try (ResultSet rs = select.executeQuery()) {
                    if (rs.next()) {
                        h.exists = true;
                        h.lastSeq = rs.getLong(1);
                        h.snapshotSeq = rs.getLong(2);
                    }
                }
                heads.put(name, h);
            }
        }
    }

    private Object append(Head head, WriteOp.Append a) throws SQLException {
        if (!head.exists) {
            // deleted earlier in this batch: the row is recreated, numbering starts over
            flushInserts();
            try (PreparedStatement s = c.prepareStatement(INSERT_HEAD)) {
                s.setString(1, a.doc());
                s.executeUpdate();
            }
            head.exists = true;
            head.lastSeq = 0;
            head.snapshotSeq = 0;
        }
        long seq = ++head.lastSeq;
        head.lastSeqChanged = true;
        if (inserts == null) {
            inserts = c.prepareStatement(INSERT_UPDATE);
        }
        inserts.setString(1, a.doc());
        inserts.setLong(2, seq);
        inserts.setBytes(3, a.data());
        inserts.addBatch();
        pendingInserts++;
        return seq;
    }

    private Object compact(Head head, WriteOp.Compact k) throws SQLException {
        long last = head.exists ? head.lastSeq : 0;
        if (k.upToSeq() > last) {
            return DocumentInput.pastLastUpdate(k.doc(), k.upToSeq(), last);
        }
        if (k.upToSeq() <= head.snapshotSeq) {
            return Boolean.FALSE;
        }
        flushInserts();
        try (PreparedStatement s = c.prepareStatement(SET_SNAPSHOT)) {
            s.setBytes(1, k.snapshot());
            s.setLong(2, k.upToSeq());
            s.setString(3, k.doc());
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement(DROP_UPDATES_UP_TO)) {
            s.setString(1, k.doc());
            s.setLong(2, k.upToSeq());
            s.executeUpdate();
        }
        head.snapshotSeq = k.upToSeq();
        return Boolean.TRUE;
    }

    private Object delete(Head head, WriteOp.Delete d) throws SQLException {
        if (!head.exists) {
            return Boolean.FALSE;
        }
        flushInserts();
        try (PreparedStatement s = c.prepareStatement(DROP_UPDATES)) {
            s.setString(1, d.doc());
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement(DROP_HEAD)) {
            s.setString(1, d.doc());
            s.executeUpdate();
        }
        head.exists = false;
        head.lastSeq = 0;
        head.snapshotSeq = 0;
        head.lastSeqChanged = false;
        return Boolean.TRUE;
    }

    private void flushInserts() throws SQLException {
        if (pendingInserts > 0) {
            inserts.executeBatch();
            pendingInserts = 0;
        }
    }
}
