package org.smimegw.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A schema of its own on the test PostgreSQL ({@code postgres.url}, which {@code ./test} points at the private
 * server it starts; default {@code jdbc:postgresql://127.0.0.1:5432/test}, user {@code postgres}, trust
 * authentication), for one test: made by {@link #create}, dropped with everything in it by {@link #drop}. Fails,
 * never skips, when PostgreSQL is down. The store tests, the cluster tests and the cluster benchmark test share it.
 */
public final class PostgresSchema {
    public static final String SERVER = System.getProperty("postgres.url", "jdbc:postgresql://127.0.0.1:5432/test");
    public static final String USER = System.getProperty("postgres.user", "postgres");

    private String schema;

    /** Creates the schema; returns the JDBC URL whose connections use it. */
    public String create() throws SQLException {
        schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        execute("CREATE SCHEMA " + schema);
        return SERVER + (SERVER.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    public void drop() throws SQLException {
        if (schema != null) {
            execute("DROP SCHEMA " + schema + " CASCADE");
            schema = null;
        }
    }

    private static void execute(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(SERVER, USER, "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
