package org.smimegw.smtp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.core.cert.Fingerprints;
import org.smimegw.core.mime.RawMessage;
import org.smimegw.core.smime.SigningIdentity;
import org.smimegw.core.smime.SmimeAlgorithms;
import org.smimegw.core.smime.SmimeSigner;
import org.smimegw.core.testing.RevocationPki;
import org.smimegw.core.testing.TestPki;

/**
 * The certificate lifecycle from the command line (docs/design.md §9): {@code crl import}, {@code crl list},
 * {@code cert approve}, the source and revocation status in {@code cert list}, and what revocation and harvesting do
 * to {@code process}, which decides exactly as the relay does.
 */
class LifecycleCommandTest {
    private static final Instant NOW = TestPki.NOW;
    private static final String ORG = "helpdesk@org.example";
    private static final String BOB = "bob@example.com";

    @TempDir
    Path dir;
    Cli cli;
    TestPki.Issued ca;
    TestPki.Issued org;

    @BeforeEach
    void setUp() {
        cli = new Cli(dir, NOW);
        ca = TestPki.ca("Lifecycle CA");
        org = TestPki.client(ORG).issuedBy(ca).build();
        TestPki.writePem(cli.file("ca.pem"), ca.certificate());
        TestPki.writePem(cli.file("org.pem"), org.key(), org.certificate());
        assertEquals(0, cli.run("cert", "import", cli.file("ca.pem").toString()).exit());
        assertEquals(0, cli.run("key", "import", cli.file("org.pem").toString()).exit());
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(cli.file(name), bytes);
    }

    private Cli.Result importCert(TestPki.Issued certificate, String name) {
        TestPki.writePem(cli.file(name), certificate.certificate());
        return cli.run("cert", "import", cli.file(name).toString());
    }

    private Cli.Result importCrl(byte[] der, String name) throws IOException {
        return cli.run("crl", "import", write(name, der).toString());
    }

    private Cli.Result outboundToBob() throws IOException {
        Path in = write("out-in.eml", ("From: " + ORG + "\r\nTo: " + BOB + "\r\nSubject: hi\r\nX-SMIME-Encrypt: yes\r\n"
                + "Message-ID: <o@org.example>\r\nContent-Type: text/plain\r\n\r\nHello Bob.\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        return cli.run("process", "--direction", "outbound", "--in", in.toString(), "--out",
                cli.file("out.eml").toString());
    }

    /** A message signed by {@code signer}, with {@code chain} embedded, From the signer's first address. */
    private Path signedBy(TestPki.Issued signer, List<TestPki.Issued> chain, String from) throws IOException {
        RawMessage plain = RawMessage.parse(("From: " + from + "\r\nTo: " + ORG + "\r\nSubject: signed\r\n"
                + "Message-ID: <s" + System.nanoTime() + "@example.com>\r\nContent-Type: text/plain\r\n\r\n"
                + "Hello helpdesk.\r\n").getBytes(StandardCharsets.US_ASCII));
        RawMessage signed = new SmimeSigner(SmimeAlgorithms.defaults()).sign(plain, new SigningIdentity(
                signer.certificate(), signer.key(), chain.stream().map(TestPki.Issued::certificate).toList()), NOW);
        return write("signed.eml", signed.toBytes().toByteArray());
    }

    private String inbound(Path message) throws IOException {
        Cli.Result result = cli.run("process", "--direction", "inbound", "--in", message.toString(), "--out",
                cli.file("delivered.eml").toString());
        assertEquals(0, result.exit(), result.toString());
        return Files.readString(cli.file("delivered.eml"));
    }

    private String listed(TestPki.Issued certificate) {
        String fingerprint = Fingerprints.sha256(certificate.certificate());
        return cli.run("cert", "list").out().lines().filter(l -> l.startsWith(fingerprint)).findFirst()
                .orElse("(not listed)");
    }

    @Test
    void crlImportAcceptsACrlOfAStoredCaAndListsIt() throws IOException {
        TestPki.Issued bob = TestPki.client(BOB).issuedBy(ca).build();

        Cli.Result imported = importCrl(RevocationPki.crl(ca).revoke(bob.certificate(), NOW.minusSeconds(60)).der(),
                "ca.crl");

        assertEquals(0, imported.exit(), imported.toString());
        assertEquals("imported CN=Lifecycle CA thisUpdate=" + NOW.minusSeconds(3600) + " nextUpdate="
                + NOW.plus(Duration.ofDays(7)) + " entries=1\n", imported.out());
        Cli.Result list = cli.run("crl", "list");
        assertEquals("CN=Lifecycle CA thisUpdate=" + NOW.minusSeconds(3600) + " nextUpdate="
                + NOW.plus(Duration.ofDays(7)) + " entries=1 origin=imported issuerFingerprint="
                + Fingerprints.sha256(ca.certificate()) + "\n", list.out());
        assertTrue(cli.run("crl", "list", "--json").out().startsWith("{\"issuer\":\"CN=Lifecycle CA\","));
        assertTrue(cli.run("log").out().contains("crl.import " + Fingerprints.sha256(ca.certificate()) + " imported"));
    }

    @Test
    void crlImportRefusesForgeriesStrangersGarbageAndOlderCrlsNamingTheReason() throws IOException {
        TestPki.Issued impostor = TestPki.ca("Lifecycle CA");
        TestPki.Issued stranger = TestPki.ca("Stranger CA");
        assertEquals(0, importCrl(RevocationPki.crl(ca).der(), "current.crl").exit());

        Cli.Result forged = importCrl(RevocationPki.crl(ca).signedWith(impostor.key()).der(), "forged.crl");
        Cli.Result unknown = importCrl(RevocationPki.crl(stranger).der(), "stranger.crl");
        Cli.Result garbage = cli.run("crl", "import", write("garbage.crl", "not a CRL".getBytes(
                StandardCharsets.US_ASCII)).toString());
        Cli.Result older = importCrl(RevocationPki.crl(ca).updates(NOW.minusSeconds(7200), NOW.plusSeconds(3600))
                .der(), "older.crl");
        Cli.Result missing = cli.run("crl", "import", cli.file("missing.crl").toString());

        for (Cli.Result refused : List.of(forged, unknown, garbage, older, missing)) {
            assertEquals(1, refused.exit(), refused.toString());
            assertEquals(1, refused.err().lines().count(), refused.toString());
            assertTrue(refused.err().startsWith("rejected " + dir), refused.toString());
        }
        assertTrue(forged.err().contains("signed by another key"), forged.toString());
        assertTrue(unknown.err().contains("no stored CA certificate named CN=Stranger CA"), unknown.toString());
        assertTrue(garbage.err().contains("not a CRL"), garbage.toString());
        assertTrue(older.err().contains("not newer than the stored CRL of CN=Lifecycle CA"), older.toString());
        assertEquals(1, cli.run("crl", "list").out().lines().count(), "only the first CRL is stored");
    }

    @Test
    void aRevokedRecipientCertificateIsNeverUsedAndAnotherValidOneIsPicked() throws IOException {
        TestPki.Issued revoked = TestPki.client(BOB).issuedBy(ca).valid(NOW.minus(Duration.ofDays(10)),
                NOW.plus(Duration.ofDays(400))).build();
        assertEquals(0, importCert(revoked, "bob-revoked.pem").exit());
        assertEquals(0, outboundToBob().exit(), "before the CRL, the latest certificate is used");
        assertEquals(0, importCrl(RevocationPki.crl(ca).revoke(revoked.certificate(),
                Instant.parse("2026-05-20T08:00:00Z")).der(), "ca.crl").exit());

        Cli.Result refused = outboundToBob();

        assertEquals(1, refused.exit(), refused.toString());
        assertEquals("smime-gateway: 550 5.7.1 cannot encrypt: no valid certificate for " + BOB
                + " (revoked on 2026-05-20)\n", refused.err());
        assertTrue(listed(revoked).contains(" source=imported revocation=revoked revokedAt=2026-05-20T08:00:00Z "),
                listed(revoked));

        TestPki.Issued good = TestPki.client(BOB).issuedBy(ca).build();
        assertEquals(0, importCert(good, "bob-good.pem").exit());
        assertEquals(0, outboundToBob().exit(), "an unrevoked certificate for the same address is picked");
        assertTrue(listed(good).contains(" revocation=good "), listed(good));
    }

    @Test
    void theOrganisationsRevokedCertificateDoesNotSign() throws IOException {
        assertEquals(0, importCrl(RevocationPki.crl(ca).revoke(org.certificate(), NOW.minusSeconds(600)).der(),
                "ca.crl").exit());

        Cli.Result refused = outboundToBob();

        assertEquals(1, refused.exit(), refused.toString());
        assertTrue(refused.err().contains("cannot sign as " + ORG + ": revoked on 2026-06-01"), refused.err());
    }

    @Test
    void aRevokedSignerIsPolicyWithARevokedReason() throws IOException {
        TestPki.Issued alice = TestPki.client("alice@example.com").issuedBy(ca).build();
        assertEquals(0, importCrl(RevocationPki.crl(ca).revoke(alice.certificate(),
                Instant.parse("2026-05-30T00:00:00Z")).der(), "ca.crl").exit());

        String delivered = inbound(signedBy(alice, List.of(), "alice@example.com"));

        assertTrue(delivered.contains("smime=policy reason=\"signer certificate revoked on 2026-05-30\""), delivered);
        assertEquals("(not listed)", listed(alice), "a revoked signer is not harvested");
    }

    @Test
    void hardModeRefusesARecipientWhoseStatusCannotBeHadAndSoftModeNotesIt() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        TestPki.Issued bob = RevocationPki.client(ca, BOB, null, "http://127.0.0.1:" + closedPort + "/ca.crl");
        assertEquals(0, importCert(bob, "bob.pem").exit());

        assertEquals(0, outboundToBob().exit(), "soft: the message goes on");
        String note = cli.run("log", "--limit", "1").out();
        assertTrue(note.contains("no revocation status for CN=" + BOB), note);
        assertTrue(listed(bob).contains(" revocation=unknown "), listed(bob));

        cli = new Cli(dir, NOW, "revocation.check=hard", "revocation.timeout=2s");
        Cli.Result refused = outboundToBob();
        assertEquals(1, refused.exit(), refused.toString());
        assertTrue(refused.err().contains(BOB + " (revocation status unknown: "), refused.err());
    }

    @Test
    void aSignerWhoseStatusCannotBeHadPassesUnderSoftWithANoteAndIsTemperrorUnderHard() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        TestPki.Issued alice = RevocationPki.client(ca, "alice@example.com", "http://127.0.0.1:" + closedPort + "/ocsp",
                null);
        Path signed = signedBy(alice, List.of(), "alice@example.com");

        assertTrue(inbound(signed).contains("smime=pass"), "soft: the verdict stands");
        String log = cli.run("log", "--limit", "3").out();
        assertTrue(log.contains("smime=pass") && log.contains("no revocation status for CN=alice@example.com"), log);

        cli = new Cli(dir, NOW, "revocation.check=hard", "inbound.harvest=off");
        Cli.Result hard = cli.run("process", "--direction", "inbound", "--in", signed.toString(), "--out",
                cli.file("hard.eml").toString());
        assertEquals(0, hard.exit(), hard.toString());
        String delivered = Files.readString(cli.file("hard.eml"));
        assertTrue(delivered.contains("smime=temperror reason=\"revocation status unknown for the signer certificate: "
                + "OCSP responder http://127.0.0.1:" + closedPort + "/ocsp"), delivered);
        assertTrue(hard.err().contains("original kept as "), hard.toString());
    }

    @Test
    void aPassingSignerIsHarvestedAndEncryptedToFromTheNextMessageOn() throws IOException {
        TestPki.Issued bob = TestPki.client(BOB).issuedBy(ca).build();
        assertEquals(1, outboundToBob().exit(), "no certificate for Bob yet");

        String delivered = inbound(signedBy(bob, List.of(ca), BOB));

        assertTrue(delivered.contains("smime=pass"), delivered);
        assertTrue(listed(bob).contains(" source=harvested revocation=none "), listed(bob));
        assertTrue(cli.run("log").out().contains("cert.harvest " + Fingerprints.sha256(bob.certificate())
                + " harvested " + BOB), cli.run("log").out());
        assertEquals(0, outboundToBob().exit(), "the harvested certificate is used");
    }

    @Test
    void harvestingOffKeepsNothing() throws IOException {
        cli = new Cli(dir, NOW, "inbound.harvest=off");
        TestPki.Issued bob = TestPki.client(BOB).issuedBy(ca).build();

        assertTrue(inbound(signedBy(bob, List.of(ca), BOB)).contains("smime=pass"));

        assertEquals("(not listed)", listed(bob));
    }

    @Test
    void aPendingCertificateIsApprovedOnceFromTheCommandLine() throws IOException {
        cli = new Cli(dir, NOW, "inbound.harvest=pending");
        TestPki.Issued otherCa = TestPki.ca("Unknown CA");
        TestPki.Issued bob = TestPki.client(BOB).issuedBy(otherCa).build();
        String fingerprint = Fingerprints.sha256(bob.certificate());

        assertTrue(inbound(signedBy(bob, List.of(otherCa), BOB))
                .contains("smime=policy reason=\"signer not trusted\""));
        assertTrue(listed(bob).contains(" source=pending "), listed(bob));
        Cli.Result stillRefused = outboundToBob();
        assertEquals(1, stillRefused.exit(), stillRefused.toString());
        assertTrue(stillRefused.err().contains("only a pending certificate, not yet approved"), stillRefused.err());

        Cli.Result approved = cli.run("cert", "approve", fingerprint.substring(0, 12));
        assertEquals(0, approved.exit(), approved.toString());
        assertEquals("approved " + fingerprint + " " + BOB + "\n", approved.out());
        assertTrue(listed(bob).contains(" source=approved "), listed(bob));
        assertEquals(0, outboundToBob().exit(), "an approved certificate is used");
        assertTrue(inbound(signedBy(bob, List.of(), BOB)).contains("smime=pass"), "and trusted as a signer");

        Cli.Result again = cli.run("cert", "approve", fingerprint);
        assertEquals(1, again.exit(), again.toString());
        assertEquals("smime-gateway: certificate " + fingerprint + " is not pending (source approved)\n", again.err());
        assertFalse(cli.run("log").out().lines().filter(l -> l.contains("cert.approve")).count() != 1);
    }
}
