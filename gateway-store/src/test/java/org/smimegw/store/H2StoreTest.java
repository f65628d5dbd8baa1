package org.smimegw.store;

import java.nio.file.Path;

/** The port contracts on an H2 file database in a temporary directory. */
class H2StoreTest extends StoreContractSuite {

    @Override
    String createDatabase(Path directory) {
        return "jdbc:h2:file:" + directory.resolve("db").resolve("gateway");
    }

    @Override
    void dropDatabase() {
        // the temporary directory goes with the test
    }

    @Override
    String user() {
        return "sa";
    }
}
