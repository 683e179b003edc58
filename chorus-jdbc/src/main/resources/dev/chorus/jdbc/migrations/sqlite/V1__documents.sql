-- Documents: one head row per document, with the latest snapshot and the numbering state.
-- last_seq is the sequence number of the last update ever appended (updates are numbered from 1);
-- snapshot holds updates 1..snapshot_seq; the updates after it are in chorus_document_updates.
CREATE TABLE IF NOT EXISTS chorus_documents (
    name TEXT NOT NULL PRIMARY KEY,
    last_seq INTEGER NOT NULL,
    snapshot_seq INTEGER NOT NULL,
    snapshot BLOB
);
CREATE TABLE IF NOT EXISTS chorus_document_updates (
    name TEXT NOT NULL,
    seq INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (name, seq)
);
