/**
 * {@link dev.chorus.core.documents.DocumentStore}s over JDBC: {@link dev.chorus.jdbc.SqliteDocumentStore},
 * the embedded default (one file under the data directory), and
 * {@link dev.chorus.jdbc.PostgresDocumentStore}, shared by many nodes. Both create and migrate their
 * tables at start (scripts under {@code dev/chorus/jdbc/migrations/}), write through one thread
 * that group-commits, and load on threads of their own.
 */
package dev.chorus.jdbc;
