package org.smimegw.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Where the benchmark's gateway nodes keep their state: embedded H2 in the run's temporary directory (the default),
 * or a schema of its own, created for the run and dropped after it, in a PostgreSQL database that the caller names.
 * Every node of the run opens the same URL.
 */
final class BenchDatabase implements AutoCloseable {
    private final String url;
    private final String user;
    private final String password;
    private final String description;
    private final Runnable drop;

    private BenchDatabase(String url, String user, String password, String description, Runnable drop) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.description = description;
        this.drop = drop;
    }

    static BenchDatabase h2(Path dir) {
        return new BenchDatabase("jdbc:h2:file:" + dir.resolve("data/gateway").toAbsolutePath(), "sa", "",
                "embedded H2 in a temporary directory", () -> { });
    }

    /**
     * Creates a fresh schema in the PostgreSQL database at {@code server} (a {@code jdbc:postgresql:} URL without
     * {@code currentSchema}); closing drops it with everything in it.
     */
    static BenchDatabase postgres(String server, String user, String password) throws SQLException {
        if (!server.startsWith("jdbc:postgresql:") || server.contains("currentSchema")) {
            throw new IllegalArgumentException("--store-url must be a jdbc:postgresql: URL without currentSchema"
                    + " (the benchmark makes a schema of its own): " + server);
        }
        String schema = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute(server, user, password, "CREATE SCHEMA " + schema);
        String url = server + (server.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        return new BenchDatabase(url, user, password, "PostgreSQL " + server.replaceFirst("\\?.*", "")
                + ", schema " + schema + " (dropped after the run)", () -> {
                    try {
                        execute(server, user, password, "DROP SCHEMA " + schema + " CASCADE");
                    } catch (SQLException e) {
                        throw new IllegalStateException("cannot drop schema " + schema + ": " + e.getMessage(), e);
                    }
                });
    }

    String url() {
        return url;
    }

    String user() {
        return user;
    }

    String password() {
        return password;
    }

    String description() {
        return description;
    }

    private static void execute(String server, String user, String password, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(server, user, password);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    @Override
    public void close() {
        drop.run();
    }
}
