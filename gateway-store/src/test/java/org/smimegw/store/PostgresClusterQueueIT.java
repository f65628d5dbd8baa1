package org.smimegw.store;

import java.nio.file.Path;
import java.sql.SQLException;

/**
 * Two nodes on the PostgreSQL that CI starts, in a schema of their own that is dropped afterwards
 * ({@link PostgresSchema}): leases are claimed with {@code FOR UPDATE SKIP LOCKED}. Fails, never skips, when
 * PostgreSQL is down.
 */
class PostgresClusterQueueIT extends ClusterQueueSuite {
    private final PostgresSchema schema = new PostgresSchema();

    @Override
    String createDatabase(Path directory) throws SQLException {
        return schema.create();
    }

    @Override
    void dropDatabase() throws SQLException {
        schema.drop();
    }

    @Override
    String user() {
        return PostgresSchema.USER;
    }
}
