package org.smimegw.store;

import java.nio.file.Path;
import java.sql.SQLException;

/**
 * The port contracts on the PostgreSQL that CI starts, each test in a schema of its own that is dropped afterwards
 * ({@link PostgresSchema}). Fails, never skips, when PostgreSQL is not reachable.
 */
class PostgresStoreIT extends StoreContractSuite {
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
