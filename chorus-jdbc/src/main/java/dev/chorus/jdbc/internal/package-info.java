/**
 * Internal: the machinery shared by the JDBC stores (write queue with group commit, batch
 * transactions, loads, migrations, connection sources). Not an API; it may change at any time.
 */
package dev.chorus.jdbc.internal;
