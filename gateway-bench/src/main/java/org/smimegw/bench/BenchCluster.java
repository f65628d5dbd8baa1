package org.smimegw.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.smimegw.core.queue.Direction;
import org.smimegw.core.revocation.RevocationMode;

/**
 * The gateway nodes of one run, all in this JVM: one node on embedded H2 (the default), or N nodes sharing one
 * PostgreSQL schema and one master key file, each with its own listeners, connection pool, caches and delivery
 * workers, as separate processes would have. They share this JVM's CPU, heap and JIT with the load generator.
 * Closing stops every node, drops the schema and deletes the temporary directory.
 */
final class BenchCluster implements AutoCloseable {
    private final Path dir;
    private final BenchDatabase database;
    private final List<BenchGateway> nodes;
    private final RevocationMode revocation;

    private BenchCluster(Path dir, BenchDatabase database, List<BenchGateway> nodes, RevocationMode revocation) {
        this.dir = dir;
        this.database = database;
        this.nodes = nodes;
        this.revocation = revocation;
    }

    /** A PostgreSQL store is {@code postgres}; an empty one means H2 (one node only). */
    static BenchCluster start(BenchIdentities parties, int sinkPort, Clock clock, int nodeCount,
            Optional<PostgresServer> postgres, RevocationMode revocation) throws Exception {
        if (nodeCount > 1 && postgres.isEmpty()) {
            throw new IllegalArgumentException("several nodes need a shared PostgreSQL store (--store-url)");
        }
        Path dir = Files.createTempDirectory("smime-gateway-bench-");
        BenchDatabase database = null;
        List<BenchGateway> nodes = new ArrayList<>();
        try {
            database = postgres.isPresent()
                    ? BenchDatabase.postgres(postgres.get().url(), postgres.get().user(), postgres.get().password())
                    : BenchDatabase.h2(dir);
            for (int i = 0; i < nodeCount; i++) {
                nodes.add(BenchGateway.start(parties, sinkPort, clock, dir, database, i, revocation));
            }
            return new BenchCluster(dir, database, nodes, revocation);
        } catch (Exception e) {
            new BenchCluster(dir, database, nodes, revocation).close();
            throw e;
        }
    }

    /** The PostgreSQL database to make the run's schema in. */
    record PostgresServer(String url, String user, String password) {
    }

    /** The listener ports of every node for this direction, node 0 first. */
    List<Integer> ports(Direction direction) {
        return nodes.stream().map(node -> node.port(direction)).toList();
    }

    int size() {
        return nodes.size();
    }

    BenchGateway first() {
        return nodes.get(0);
    }

    String description() {
        return nodes.size() + (nodes.size() == 1 ? " node" : " nodes in this JVM") + " on "
                + database.description() + ", " + first().deliveryWorkers() + " delivery workers per node,"
                + " revocation.check=" + revocation.word() + " against a current imported CRL of each CA";
    }

    @Override
    public void close() throws IOException {
        try {
            for (BenchGateway node : nodes) {
                node.close();
            }
        } finally {
            try {
                if (database != null) {
                    database.close();
                }
            } finally {
                BenchGateway.delete(dir);
            }
        }
    }
}
