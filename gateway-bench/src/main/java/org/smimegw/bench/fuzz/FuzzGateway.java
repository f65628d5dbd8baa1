package org.smimegw.bench.fuzz;

import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.smimegw.core.cert.CertificateKind;
import org.smimegw.core.cert.Fingerprints;
import org.smimegw.core.inbound.InboundPipeline;
import org.smimegw.core.mime.Bytes;
import org.smimegw.core.outbound.CertificateLookup;
import org.smimegw.core.outbound.OutboundPipeline;
import org.smimegw.core.outbound.PolicyMode;
import org.smimegw.core.port.AuditEvent;
import org.smimegw.core.port.AuditLog;
import org.smimegw.core.port.OriginalArchive;
import org.smimegw.core.process.MessageProcessor;
import org.smimegw.core.smime.CryptoProviders;
import org.smimegw.core.smime.Envelope;
import org.smimegw.core.smime.SmimeAlgorithms;
import org.smimegw.core.smime.SmimeEncryptor;
import org.smimegw.core.smime.SmimeSigner;
import org.smimegw.core.testing.InMemoryCertificateDirectory;
import org.smimegw.core.testing.InMemoryPrivateKeyRepository;
import org.smimegw.core.testing.TestPki;
import org.smimegw.core.testing.TestPki.Issued;

/**
 * The gateway the fuzzer feeds: both pipelines behind {@link MessageProcessor}, with in-memory ports. Trust is set
 * up as in the corpus tests (the NSS TestCA.pem stored as CA, Bob's key from Bob.p12) plus a generated PKI: a CA,
 * Alice under it and Bob, both stored with their keys, so that outbound signs mail from either and encrypts to
 * either. Keys come from a seeded generator, so the generated seeds are the same in every run. Time is pinned.
 */
public final class FuzzGateway {
    public static final String HOST = "gw.example.org";
    public static final Instant AT = TestPki.NOW;
    public static final String ALICE = "alice@example.com";
    public static final String BOB = "bob@example.com";
    /** Mail from Alice to the organisation. */
    public static final Envelope INBOUND = new Envelope(ALICE, List.of(BOB));
    /** Mail from the organisation's helpdesk to Alice. */
    public static final Envelope OUTBOUND = new Envelope(BOB, List.of(ALICE));

    final Issued ca;
    final Issued alice;
    final Issued bob;
    final MessageProcessor processor;
    final Set<String> keyFingerprints;
    private final AtomicLong kept = new AtomicLong();

    /** @param testdata the third-party test data folder, or empty to run with the generated PKI only */
    public FuzzGateway(Optional<Path> testdata) {
        CryptoProviders.installBouncyCastle();
        SecureRandom keys = deterministic(20260601L);
        ca = TestPki.certificate().subject("Fuzz Root CA", null).ca().keyPair(rsa(keys)).serial(BigInteger.TWO)
                .build();
        alice = TestPki.client(ALICE).issuedBy(ca).keyPair(rsa(keys)).serial(BigInteger.valueOf(3)).build();
        bob = TestPki.client(BOB).keyPair(rsa(keys)).serial(BigInteger.valueOf(4)).build();

        InMemoryCertificateDirectory directory = new InMemoryCertificateDirectory();
        InMemoryPrivateKeyRepository privateKeys = new InMemoryPrivateKeyRepository();
        directory.add(ca.certificate(), CertificateKind.CA);
        directory.add(alice.certificate(), CertificateKind.CLIENT);
        directory.add(bob.certificate(), CertificateKind.CLIENT);
        privateKeys.put(Fingerprints.sha256(bob.certificate()), bob.key());
        // Alice's key too, so that outbound signs the corpus messages (From: Alice) and not only the two From-Bob seeds
        privateKeys.put(Fingerprints.sha256(alice.certificate()), alice.key());
        testdata.ifPresent(dir -> storeCorpusTrust(dir.resolve("thunderbird/smime"), directory, privateKeys));
        keyFingerprints = Set.copyOf(privateKeys.certificateFingerprints());

        SmimeAlgorithms algorithms = SmimeAlgorithms.defaults();
        // if-possible both ways: outbound signs and encrypts what it can and refuses only bad control headers
        OutboundPipeline outbound = new OutboundPipeline(new CertificateLookup(directory, privateKeys),
                new SmimeSigner(algorithms), new SmimeEncryptor(algorithms), PolicyMode.IF_POSSIBLE,
                PolicyMode.IF_POSSIBLE);
        InboundPipeline inbound = new InboundPipeline(directory, privateKeys, algorithms, HOST);
        processor = new MessageProcessor(outbound, inbound, new DiscardingAuditLog(), new ForgetfulArchive(kept));
    }

    /** How many inbound originals the processor asked to keep (decryption failed or verdict not settled). */
    public long keptOriginals() {
        return kept.get();
    }

    private static void storeCorpusTrust(Path smime, InMemoryCertificateDirectory directory,
            InMemoryPrivateKeyRepository keys) {
        try (InputStream in = Files.newInputStream(smime.resolve("TestCA.pem"));
                InputStream p12 = Files.newInputStream(smime.resolve("Bob.p12"))) {
            directory.add((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in),
                    CertificateKind.CA);
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(p12, "nss".toCharArray());
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    X509Certificate certificate = (X509Certificate) store.getCertificate(alias);
                    directory.add(certificate, CertificateKind.CLIENT);
                    keys.put(Fingerprints.sha256(certificate), (PrivateKey) store.getKey(alias, "nss".toCharArray()));
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot load the corpus trust from " + smime + ": " + e.getMessage(), e);
        }
    }

    static SecureRandom deterministic(long seed) {
        try {
            // SHA1PRNG seeded before its first use repeats its output; it only makes test keys and boundaries
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(seed);
            return random;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair rsa(SecureRandom random) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, random);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The fuzzer does not read the audit log; recording nothing keeps a long run's heap flat. */
    private static final class DiscardingAuditLog implements AuditLog {
        @Override
        public void record(AuditEvent event) {
        }

        @Override
        public List<AuditEvent> recent(int limit) {
            return List.of();
        }
    }

    /** Counts what would be kept for {@code reprocess} without holding on to it. */
    private record ForgetfulArchive(AtomicLong count) implements OriginalArchive {
        @Override
        public String keep(String sender, List<String> recipients, Bytes message) {
            return "kept-" + count.incrementAndGet();
        }

        @Override
        public Optional<KeptOriginal> find(String id) {
            return Optional.empty();
        }
    }
}
