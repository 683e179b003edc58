/**
 * The {@link dev.chorus.core.documents.DocumentStore} SPI: durable storage of collaborative
 * documents as opaque update logs with snapshots, the {@link dev.chorus.core.documents.CompactionPolicy}
 * that says when to fold a log into a snapshot, the limits every store enforces
 * ({@link dev.chorus.core.documents.DocumentStoreConfig}), and the single-node
 * {@link dev.chorus.core.documents.MemoryDocumentStore}. SQLite and PostgreSQL stores live in
 * {@code chorus-jdbc}.
 */
package dev.chorus.core.documents;
