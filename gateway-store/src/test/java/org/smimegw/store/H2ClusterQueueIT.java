package org.smimegw.store;

import java.nio.file.Path;

/**
 * Two nodes on one H2 file database in mixed mode (two stores, two pools, in one process): leases are claimed with
 * the conditional UPDATE, as H2 has no SKIP LOCKED.
 */
class H2ClusterQueueIT extends ClusterQueueSuite {

    @Override
    String createDatabase(Path directory) {
        return "jdbc:h2:file:" + directory.resolve("data").resolve("gateway");
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
