package org.smimegw.smtp;

import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.smimegw.core.cert.CertificateAdmin;
import org.smimegw.core.cert.CertificateKind;
import org.smimegw.core.cert.Fingerprints;
import org.smimegw.core.inbound.Harvester;
import org.smimegw.core.inbound.InboundPipeline;
import org.smimegw.core.limits.MessageLimits;
import org.smimegw.core.mime.SpoolArea;
import org.smimegw.core.outbound.CertificateLookup;
import org.smimegw.core.outbound.OutboundPipeline;
import org.smimegw.core.outbound.RecipientDiscovery;
import org.smimegw.core.port.AuditLog;
import org.smimegw.core.port.CertificateDirectory;
import org.smimegw.core.port.OriginalArchive;
import org.smimegw.core.port.PrivateKeyRepository;
import org.smimegw.core.port.RecipientDirectory;
import org.smimegw.core.port.RevocationStore;
import org.smimegw.core.queue.Direction;
import org.smimegw.core.revocation.RevocationChecker;
import org.smimegw.core.queue.MessageQueue;
import org.smimegw.core.process.MessageProcessor;
import org.smimegw.core.smime.CryptoProviders;
import org.smimegw.core.smime.SmimeAlgorithms;
import org.smimegw.core.smime.SmimeEncryptor;
import org.smimegw.core.smime.SmimeSigner;
import org.smimegw.smtp.config.ConfigException;
import org.smimegw.smtp.config.GatewayConfig;
import org.smimegw.smtp.lookup.DaneDirectory;
import org.smimegw.smtp.lookup.LdapDirectory;
import org.smimegw.smtp.monitor.Monitoring;
import org.smimegw.store.Store;

/**
 * The composition root: the only place that creates concrete adapters and wires them to the core. One instance
 * per process (or per command), closed at the end.
 */
public final class Gateway implements AutoCloseable {
    /** How long the driver may take to say the store's connection is valid, for {@code /health}. */
    private static final int STORE_CHECK_SECONDS = 1;
    private final GatewayConfig config;
    private final SpoolArea spool;
    private final Store store;
    private final CertificateAdmin admin;
    private final MessageProcessor processor;
    private final RevocationChecker revocation;
    private final CertificateLookup lookup;
    private final Clock clock;
    /** Created on first use: most commands never need the metrics. */
    private Monitoring monitoring;

    private Gateway(GatewayConfig config, SpoolArea spool, Store store, Clock clock) {
        this.config = config;
        this.spool = spool;
        this.store = store;
        SmimeAlgorithms algorithms = config.algorithms();
        // nothing expanded may be larger than what the listeners accept in the first place
        MessageLimits limits = MessageLimits.DEFAULTS.withExpandedBytes(config.maxMessageBytes());
        this.admin = new CertificateAdmin(store.certificates(), store.privateKeys(), store.pendingKeys(),
                store.auditLog(), clock);
        this.revocation = new RevocationChecker(store.revocation(), config.lifecycle().revocation(), clock);
        List<RecipientDirectory> directories = new ArrayList<>();
        config.lookup().ldap().ifPresent(ldap -> directories.add(new LdapDirectory(ldap)));
        // usage 1 (PKIX-EE) counts only for a certificate that chains to a stored anchor
        CertificateLookup chains = new CertificateLookup(store.certificates(), store.privateKeys());
        config.lookup().daneResolver().ifPresent(resolver -> directories.add(new DaneDirectory(
                new InetSocketAddress(resolver.host(), resolver.port()),
                certificate -> anchored(store.certificates(), chains.chain(certificate)))));
        this.lookup = new CertificateLookup(store.certificates(), store.privateKeys(), revocation,
                new RecipientDiscovery(directories, store.certificates(), store.auditLog(),
                        config.lookup().negativeTtl()), config.lookup().timeout());
        OutboundPipeline outbound = new OutboundPipeline(lookup,
                new SmimeSigner(algorithms), new SmimeEncryptor(algorithms),
                config.outboundPolicy(), config.headerProtection(), limits, config.helpdesk().subjectTags());
        InboundPipeline inbound = new InboundPipeline(store.certificates(), store.privateKeys(), algorithms,
                config.hostname(), limits, revocation, config.helpdesk());
        this.processor = new MessageProcessor(outbound, inbound, store.auditLog(), store.originals(),
                new Harvester(config.lifecycle().harvest(), store.certificates(), store.auditLog()),
                store.readScope());
        this.clock = clock;
    }

    /** Whether an issuing chain ends in a CA certificate the operator stored as a trust anchor (docs/design.md §4). */
    private static boolean anchored(CertificateDirectory certificates, List<X509Certificate> chain) {
        return !chain.isEmpty() && certificates.findByFingerprint(Fingerprints.sha256(chain.get(chain.size() - 1)))
                .filter(root -> root.kind() == CertificateKind.CA && root.source().vouched()).isPresent();
    }

    /** Registers the crypto providers, opens the spool area, opens (and migrates) the store and wires the pipelines. */
    public static Gateway open(GatewayConfig config, Clock clock) {
        CryptoSetup.install(config.cryptoProvider());
        CryptoProviders.installBouncyCastle();
        SpoolArea spool;
        try {
            spool = new SpoolArea(config.spool());
        } catch (java.io.UncheckedIOException e) {
            throw new ConfigException("spool.dir: " + e.getMessage());
        }
        Store store = Store.open(config.store(), clock, spool);
        return new Gateway(config, spool, store, clock);
    }

    public GatewayConfig config() {
        return config;
    }

    /** Whether opening this gateway created its store (a database without a schema until now). */
    public boolean storeCreated() {
        return store.created();
    }

    /** Where the store is: its URL (a password masked) and its master key file, as one phrase. */
    public String storeLocation() {
        return store.shownUrl() + " with master key " + config.masterKeyFile();
    }

    /** Where message contents are spooled (ADR 10): what comes in through the listeners or {@code process}. */
    public SpoolArea spool() {
        return spool;
    }

    public CertificateDirectory certificates() {
        return store.certificates();
    }

    public PrivateKeyRepository keys() {
        return store.privateKeys();
    }

    public AuditLog audit() {
        return store.auditLog();
    }

    /** The clock every judgement of validity uses. */
    public Clock clock() {
        return clock;
    }

    public CertificateAdmin admin() {
        return admin;
    }

    public MessageProcessor processor() {
        return processor;
    }

    /** The revocation data every node shares: CRLs and cached OCSP answers (docs/design.md §9). */
    public RevocationStore revocationData() {
        return store.revocation();
    }

    /** Asks for certificates' revocation status under the configured {@code revocation.*} keys. */
    public RevocationChecker revocation() {
        return revocation;
    }

    /** The stored certificates as outbound mail finds them: issuing chains, signing identities. */
    public CertificateLookup lookup() {
        return lookup;
    }

    /** The store's URL with any password masked, for the start-up summary. */
    public String storeDescription() {
        return store.toString();
    }

    /** Decrypts every stored key once, so that a wrong master key file stops start-up (see Store). */
    public void checkMasterKey() {
        store.checkMasterKey();
    }

    public MessageQueue queue() {
        return store.queue();
    }

    public OriginalArchive originals() {
        return store.originals();
    }

    /** Turns received messages into queued ones; {@code queued} runs after each commit (to wake the workers). */
    public QueueIntake intake(Runnable queued) {
        return new QueueIntake(processor, store.queue(), store.auditLog(), queued, monitoring().events());
    }

    /**
     * The metrics, {@code /health} and the certificate-expiry watch of this gateway (docs/monitoring.md): one
     * instance, created on the first call.
     */
    public synchronized Monitoring monitoring() {
        if (monitoring == null) {
            monitoring = new Monitoring(store.queue(), store.certificates(), store.privateKeys(),
                    () -> store.reachable(STORE_CHECK_SECONDS),
                    Map.of(Direction.OUTBOUND, config.outboundRelay(), Direction.INBOUND, config.inboundRelay()),
                    config.admin().healthGrace(), config.admin().expiryWarningDays(), clock);
        }
        return monitoring;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (monitoring != null) {
                monitoring.close();
            }
        }
        store.close();
    }
}
