package org.smimegw.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.smimegw.core.queue.Direction;
import org.smimegw.core.revocation.RevocationMode;
import org.smimegw.smtp.CryptoSetup;
import org.smimegw.smtp.Gateway;
import org.smimegw.smtp.Relay;
import org.smimegw.smtp.cli.DemoCertificates;
import org.smimegw.smtp.config.GatewayConfig;
import org.smimegw.smtp.config.HostPort;
import org.smimegw.smtp.operations.CrlImport;
import org.smimegw.smtp.operations.ImportResult;
import org.smimegw.smtp.server.ListenerConfig;

/**
 * The gateway under test, started as {@code ./smime-gateway demo} starts it: a store (embedded H2) in a temporary
 * directory, the organisation's key and CA, the partner CA and the contact's certificate imported, with a current
 * CRL of each CA ({@link BenchPki#crl}) and revocation checked as the run says, both listeners on
 * free loopback ports, and both relays pointing at the sink ({@link DeliveryCheck#sink}). Any gateway key can still
 * be overridden with {@code -Dkey=value} (e.g. {@code -Ddelivery.workers=8}). Closing it stops the relay;
 * {@link BenchCluster} owns the directory and the database, which one node or several share.
 */
final class BenchGateway implements AutoCloseable {
    private final Gateway gateway;
    private final Relay relay;

    private BenchGateway(Gateway gateway, Relay relay) {
        this.gateway = gateway;
        this.relay = relay;
    }

    /**
     * Node {@code index} of a run: its configuration in {@code dir}, the master key {@code dir/data/master.key}
     * shared by every node, state in {@code database}. Node 0 imports the parties; the others find them in the
     * shared store.
     */
    static BenchGateway start(BenchIdentities parties, int sinkPort, Clock clock, Path dir, BenchDatabase database,
            int index, RevocationMode revocation) throws IOException, GeneralSecurityException {
        String sink = "127.0.0.1:" + sinkPort;
        Path properties = dir.resolve("node-" + index + ".properties");
        // a name per node: the nodes share this JVM's PID, and lease owners are <hostname>/<pid>-<worker>
        Files.writeString(properties, "gateway.hostname=node" + index + ".gateway.bench\n"
                + "store.url=" + database.url() + "\nstore.user=" + database.user() + "\n"
                + (database.password().isEmpty() ? "" : "store.password=" + database.password() + "\n")
                + "store.master.key.file=" + dir.resolve("data/master.key").toAbsolutePath() + "\n"
                + "outbound.relay=" + sink + "\ninbound.relay=" + sink + "\n"
                + "outbound.relay.tls=none\ninbound.relay.tls=none\n"
                + "revocation.check=" + revocation.word() + "\nrevocation.fetch=false\n");
        GatewayConfig config = GatewayConfig.load(properties, true);
        Files.delete(properties);
        Gateway gateway = Gateway.open(config, clock);
        try {
            if (index == 0) {
                gateway.admin().importCertificate(parties.orgCa().certificate(), "bench");
                gateway.admin().importKey(parties.org().key(), List.of(parties.org().certificate()), "bench");
                gateway.admin().importCertificate(parties.partnerCa().certificate(), "bench");
                gateway.admin().importCertificate(parties.contact().certificate(), "bench");
                CrlImport crls = new CrlImport(gateway.certificates(), gateway.revocationData(), gateway.audit(),
                        config.lifecycle().revocation().maxCrlBytes(), clock);
                for (DemoCertificates.Issued ca : List.of(parties.orgCa(), parties.partnerCa())) {
                    ImportResult imported = crls.importFile(BenchPki.crl(ca, clock.instant()), "bench");
                    if (!imported.imported()) {
                        throw new IllegalStateException("bench CRL not imported: " + imported.line());
                    }
                }
            }
            HostPort anyPort = new HostPort("127.0.0.1", 0);
            Relay relay = Relay.start(gateway, clock,
                    ListenerConfig.of(config, Direction.OUTBOUND).withListen(anyPort),
                    ListenerConfig.of(config, Direction.INBOUND).withListen(anyPort));
            return new BenchGateway(gateway, relay);
        } catch (RuntimeException e) {
            gateway.close();
            throw e;
        }
    }

    int port(Direction direction) {
        return direction == Direction.OUTBOUND ? relay.outboundPort() : relay.inboundPort();
    }

    int deliveryWorkers() {
        return gateway.config().delivery().workers();
    }

    String crypto() {
        return CryptoSetup.providerSummary();
    }

    @Override
    public void close() throws IOException {
        try {
            relay.close();
        } finally {
            gateway.close();
        }
    }

    static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
