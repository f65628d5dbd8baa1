package org.smimegw.core.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.smimegw.core.cert.CertificateAdmin;
import org.smimegw.core.cert.CertificateKind;
import org.smimegw.core.cert.CertificateRecord;
import org.smimegw.core.cert.CertificateSource;
import org.smimegw.core.cert.Fingerprints;
import org.smimegw.core.cert.Selection;
import org.smimegw.core.outbound.CertificateLookup;
import org.smimegw.core.outbound.OutboundPipeline;
import org.smimegw.core.outbound.PolicyMode;
import org.smimegw.core.port.AuditEvent;
import org.smimegw.core.port.ReadScope;
import org.smimegw.core.process.MessageProcessor;
import org.smimegw.core.smime.Envelope;
import org.smimegw.core.smime.SmimeAlgorithms;
import org.smimegw.core.smime.SmimeEncryptor;
import org.smimegw.core.smime.SmimeSigner;
import org.smimegw.core.testing.InMemoryAuditLog;
import org.smimegw.core.testing.InMemoryCertificateDirectory;
import org.smimegw.core.testing.InMemoryOriginalArchive;
import org.smimegw.core.testing.InMemoryPendingKeys;
import org.smimegw.core.testing.InMemoryPrivateKeyRepository;
import org.smimegw.core.testing.TestPki;
import org.smimegw.core.testing.TestPki.Issued;

/**
 * Harvesting (docs/design.md §9) through the same {@link MessageProcessor} the relay uses: what is kept, as what, and
 * the attacks of issue 15 (certificates for other addresses, signer not From, unknown CA, path material after its
 * root is deleted).
 */
class InboundHarvestTest {
    private static final String FROM_ALICE = "From: Alice <alice@example.com>\r\nTo: bob@example.com\r\n"
            + "Subject: hello\r\nMessage-ID: <m1@example.com>\r\n";

    private final InMemoryCertificateDirectory directory = new InMemoryCertificateDirectory();
    private final InMemoryPrivateKeyRepository keys = new InMemoryPrivateKeyRepository();
    private final InMemoryAuditLog audit = new InMemoryAuditLog();
    private final Issued root = TestPki.ca("Example Root CA");
    private final Issued intermediate = TestPki.certificate().subject("Example Issuing CA", null).ca()
            .issuedBy(root).build();
    private final Issued alice = TestPki.client("alice@example.com").issuedBy(intermediate).build();

    InboundHarvestTest() {
        directory.add(root.certificate(), CertificateKind.CA);
    }

    private MessageProcessor processor(HarvestMode mode) {
        SmimeAlgorithms algorithms = SmimeAlgorithms.defaults();
        CertificateLookup lookup = new CertificateLookup(directory, keys);
        return new MessageProcessor(
                new OutboundPipeline(lookup, new SmimeSigner(algorithms), new SmimeEncryptor(algorithms),
                        PolicyMode.NEVER, PolicyMode.IF_POSSIBLE),
                new InboundPipeline(directory, keys, algorithms, "gw.example.org"), audit,
                new InMemoryOriginalArchive(), new Harvester(mode, directory, audit), ReadScope.EACH_LOOKUP);
    }

    private SmimeResult receive(MessageProcessor processor, byte[] message) {
        return processor.inbound(org.smimegw.core.mime.Bytes.of(message),
                new Envelope("alice@example.com", List.of("bob@example.com")), TestPki.NOW).result().verdict();
    }

    private byte[] signedByAlice(String headers, Issued signer, Issued... embedded) {
        List<java.security.cert.X509Certificate> certificates = new java.util.ArrayList<>();
        certificates.add(signer.certificate());
        for (Issued e : embedded) {
            certificates.add(e.certificate());
        }
        return TestMessages.signedBy(headers, signer, certificates);
    }

    private CertificateSource sourceOf(Issued issued) {
        return directory.findByFingerprint(Fingerprints.sha256(issued.certificate()))
                .map(CertificateRecord::source).orElse(null);
    }

    private Selection encryptionTo(String address) {
        return new CertificateLookup(directory, keys).forMessage(TestPki.NOW).encryptionCertificate(address);
    }

    @Test
    void passingSignerIsHarvestedForItsFromAddressAndItsIntermediateKeptAsPathMaterial() {
        assertInstanceOf(Selection.Unavailable.class, encryptionTo("alice@example.com"));

        SmimeResult verdict = receive(processor(HarvestMode.TRUSTED), signedByAlice(FROM_ALICE, alice, intermediate));

        assertInstanceOf(SmimeResult.Pass.class, verdict);
        assertEquals(CertificateSource.HARVESTED, sourceOf(alice));
        assertEquals(CertificateSource.PATH, sourceOf(intermediate));
        Selection selection = encryptionTo("alice@example.com");
        assertEquals(Fingerprints.sha256(alice.certificate()),
                assertInstanceOf(Selection.Selected.class, selection).certificate().fingerprint());
        List<String> harvests = audit.all().stream().filter(e -> e.action().equals("cert.harvest"))
                .map(AuditEvent::decision).toList();
        assertEquals(List.of("path", "harvested"), harvests);
        AuditEvent inbound = audit.all().stream().filter(e -> e.action().equals("inbound")).findFirst().orElseThrow();
        assertTrue(inbound.detail().contains("harvested " + Fingerprints.sha256(alice.certificate())),
                inbound.detail());
    }

    @Test
    void certificatesForOtherAddressesCarriedInThePassingSignatureAreNeverHarvested() {
        Issued carol = TestPki.client("carol@example.com").issuedBy(intermediate).build();
        Issued other = TestPki.ca("Other Root CA");

        receive(processor(HarvestMode.PENDING), signedByAlice(FROM_ALICE, alice, intermediate, carol, other));

        assertEquals(CertificateSource.HARVESTED, sourceOf(alice));
        assertEquals(null, sourceOf(carol));
        assertEquals(null, sourceOf(other));
    }

    @Test
    void aSignerThatIsNotTheFromAddressIsNotHarvestedEvenAsPending() {
        String fromMallory = FROM_ALICE.replace("Alice <alice@example.com>", "mallory@example.com");

        SmimeResult verdict = receive(processor(HarvestMode.PENDING), signedByAlice(fromMallory, alice, intermediate));

        assertInstanceOf(SmimeResult.Policy.class, verdict);
        assertEquals(null, sourceOf(alice));
        assertEquals(null, sourceOf(intermediate));
    }

    @Test
    void aSignatureThatFailsIsNeverHarvested() {
        byte[] signed = signedByAlice(FROM_ALICE, alice, intermediate);
        String text = new String(signed, StandardCharsets.ISO_8859_1)
                .replace(TestMessages.TEXT, "Hello Bob, changed!!");

        SmimeResult verdict = receive(processor(HarvestMode.PENDING), text.getBytes(StandardCharsets.ISO_8859_1));

        assertInstanceOf(SmimeResult.Fail.class, verdict);
        assertEquals(null, sourceOf(alice));
    }

    @Test
    void harvestingOffKeepsNothing() {
        receive(processor(HarvestMode.OFF), signedByAlice(FROM_ALICE, alice, intermediate));

        assertEquals(null, sourceOf(alice));
        assertEquals(null, sourceOf(intermediate));
    }

    @Test
    void aSignerUnderAnUnknownCaIsPendingUnderPendingNeitherUsedNorTrustedUntilApproved() {
        Issued unknownRoot = TestPki.ca("Unknown Root CA");
        Issued stranger = TestPki.client("alice@example.com").issuedBy(unknownRoot).build();
        MessageProcessor trusted = processor(HarvestMode.TRUSTED);
        MessageProcessor pending = processor(HarvestMode.PENDING);

        SmimeResult underTrusted = receive(trusted, signedByAlice(FROM_ALICE, stranger, unknownRoot));
        assertEquals("signer not trusted", underTrusted.reason().orElseThrow());
        assertEquals(null, sourceOf(stranger));

        receive(pending, signedByAlice(FROM_ALICE, stranger, unknownRoot));
        assertEquals(CertificateSource.PENDING, sourceOf(stranger));
        assertEquals(null, sourceOf(unknownRoot), "a CA certificate carried in a message is never kept");
        assertEquals("only a pending certificate, not yet approved",
                assertInstanceOf(Selection.Unavailable.class, encryptionTo("alice@example.com")).reason());
        assertInstanceOf(SmimeResult.Policy.class, receive(pending, signedByAlice(FROM_ALICE, stranger)),
                "a pending certificate is not trusted");

        CertificateAdmin admin = new CertificateAdmin(directory, keys, new InMemoryPendingKeys(), audit,
                java.time.Clock.systemUTC());
        CertificateRecord record = directory.findByFingerprint(Fingerprints.sha256(stranger.certificate()))
                .orElseThrow();
        assertInstanceOf(CertificateAdmin.Outcome.Imported.class, admin.approve(record));

        assertEquals(CertificateSource.APPROVED, sourceOf(stranger));
        assertInstanceOf(Selection.Selected.class, encryptionTo("alice@example.com"));
        assertInstanceOf(SmimeResult.Pass.class, receive(pending, signedByAlice(FROM_ALICE, stranger)));
        assertTrue(audit.all().stream().anyMatch(e -> e.action().equals("cert.approve")));
    }

    @Test
    void approvingACertificateThatIsNotPendingIsRefused() {
        directory.add(alice.certificate(), CertificateKind.CLIENT);
        CertificateAdmin admin = new CertificateAdmin(directory, keys, new InMemoryPendingKeys(), audit,
                java.time.Clock.systemUTC());

        CertificateAdmin.Outcome outcome = admin.approve(
                directory.findByFingerprint(Fingerprints.sha256(alice.certificate())).orElseThrow());

        assertTrue(assertInstanceOf(CertificateAdmin.Outcome.Rejected.class, outcome).reason()
                .endsWith("is not pending (source imported)"));
    }

    @Test
    void harvestedPathMaterialAnchorsNothingOnceItsRootIsDeleted() {
        MessageProcessor processor = processor(HarvestMode.TRUSTED);
        receive(processor, signedByAlice(FROM_ALICE, alice, intermediate));
        assertEquals(CertificateSource.PATH, sourceOf(intermediate));
        Issued dave = TestPki.client("dave@example.com").issuedBy(intermediate).build();
        String fromDave = FROM_ALICE.replace("Alice <alice@example.com>", "dave@example.com");
        assertInstanceOf(SmimeResult.Pass.class, receive(processor, signedByAlice(fromDave, dave)),
                "the stored intermediate completes a path to the stored root");

        directory.delete(Fingerprints.sha256(root.certificate()));

        assertEquals("signer not trusted", receive(processor, signedByAlice(fromDave, dave)).reason().orElseThrow());
        assertEquals("signer not trusted", receive(processor, signedByAlice(FROM_ALICE, alice)).reason()
                .orElseThrow(), "a harvested certificate is trusted only through its path");
    }

    @Test
    void importingAHarvestedCertificateMakesItImported() {
        receive(processor(HarvestMode.TRUSTED), signedByAlice(FROM_ALICE, alice, intermediate));
        CertificateAdmin admin = new CertificateAdmin(directory, keys, new InMemoryPendingKeys(), audit,
                java.time.Clock.systemUTC());

        admin.importCertificate(intermediate.certificate(), "issuing-ca.pem");

        assertEquals(CertificateSource.IMPORTED, sourceOf(intermediate));
        assertTrue(directory.findByFingerprint(Fingerprints.sha256(intermediate.certificate())).orElseThrow().anchor());
    }

    @Test
    void aCaCertificateIsNeverHarvestedAsASigner() {
        Harvester harvester = new Harvester(HarvestMode.PENDING, directory, audit);

        String said = harvester.harvest(new HarvestCandidate(intermediate.certificate(), List.of(), "ca@example.com",
                true), "<m@example.com>", TestPki.NOW).orElseThrow();

        assertEquals("not harvested: the signer certificate is a CA certificate", said);
        assertFalse(directory.findByFingerprint(Fingerprints.sha256(intermediate.certificate())).isPresent());
    }
}
