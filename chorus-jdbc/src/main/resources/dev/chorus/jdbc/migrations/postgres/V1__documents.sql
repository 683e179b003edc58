-- Documents: one head row per document, with the latest snapshot and the numbering state.
-- last_seq is the sequence number of the last update ever appended (updates are numbered from 1);
-- snapshot holds updates 1..snapshot_seq; the updates after it are in chorus_document_updates.
-- Writers lock the head row (SELECT ... FOR UPDATE) for the whole transaction, which orders the
-- appends of several processes to one document; the primary key (name, seq) backs that up.
CREATE TABLE IF NOT EXISTS chorus_documents (
    name VARCHAR(255) NOT NULL PRIMARY KEY,
    last_seq BIGINT NOT NULL,
    snapshot_seq BIGINT NOT NULL,
    snapshot BYTEA
);
CREATE TABLE IF NOT EXISTS chorus_document_updates (
    name VARCHAR(255) NOT NULL,
    seq BIGINT NOT NULL,
    data BYTEA NOT NULL,
    PRIMARY KEY (name, seq)
);
