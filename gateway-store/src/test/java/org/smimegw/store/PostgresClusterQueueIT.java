package org.smimegw.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Two nodes on the PostgreSQL that CI starts (as {@link PostgresStoreIT}), in a schema of their own that is dropped
 * afterwards: leases are claimed with {@code FOR UPDATE SKIP LOCKED}. Fails, never skips, when PostgreSQL is down.
 */
class PostgresClusterQueueIT extends ClusterQueueSuite {
    private static final String SERVER = System.getProperty("postgres.url", "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String USER = System.getProperty("postgres.user", "postgres");

    private String schema;

    @Override
    String createDatabase(Path directory) throws SQLException {
        schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        execute("CREATE SCHEMA " + schema);
        return SERVER + (SERVER.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    @Override
    void dropDatabase() throws SQLException {
        if (schema != null) {
            execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    @Override
    String user() {
        return USER;
    }

    private static void execute(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(SERVER, USER, "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
