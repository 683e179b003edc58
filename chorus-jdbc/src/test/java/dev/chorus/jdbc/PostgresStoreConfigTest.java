package dev.chorus.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Configuration checks and the error for a database that is not there; no PostgreSQL needed. */
class PostgresStoreConfigTest {
    @Test
    void anUnreachableDatabaseIsAClearError() {
        PostgresStoreConfig config = PostgresStoreConfig.builder("jdbc:postgresql://127.0.0.1:1/test")
                .user("nobody").connectTimeout(Duration.ofMillis(500)).build();
        assertThatThrownBy(() -> PostgresDocumentStore.open(config)).isInstanceOf(SQLException.class)
                .hasMessageContaining("cannot connect to PostgreSQL at jdbc:postgresql://127.0.0.1:1/test");
    }

    @Test
    void configRefusesBadValues() {
        assertThatThrownBy(() -> PostgresStoreConfig.builder("jdbc:mysql://x/y").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jdbc:postgresql:");
        assertThatThrownBy(() -> PostgresStoreConfig.builder(PostgresTestDatabase.URL).schema("a\"; drop").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("schema");
        assertThatThrownBy(() -> PostgresStoreConfig.builder(PostgresTestDatabase.URL).schema("x".repeat(64)).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PostgresStoreConfig.builder(PostgresTestDatabase.URL).readThreads(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("readThreads");
        assertThat(PostgresStoreConfig.builder(PostgresTestDatabase.URL).build().schema()).isEqualTo("public");
    }
}
