package org.smimegw.smtp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.core.cert.Fingerprints;
import org.smimegw.core.testing.TestData;
import org.smimegw.core.testing.TestPki;

class CertCommandTest {
    @TempDir
    Path dir;
    Cli cli;

    @BeforeEach
    void setUp() {
        cli = new Cli(dir, TestPki.NOW);
    }

    private Path pem(String name, TestPki.Issued issued) {
        return TestPki.writePem(cli.file(name), issued.certificate());
    }

    private Cli.Result importRejected(TestPki.Builder builder, String expectedReason) {
        Path file = pem("bad.pem", builder.build());
        Cli.Result result = cli.run("cert", "import", file.toString());
        assertEquals(1, result.exit(), result.toString());
        assertTrue(result.err().startsWith("rejected " + file + ": "), result.toString());
        assertTrue(result.err().contains(expectedReason), result.toString());
        assertEquals(1, result.err().lines().count(), result.toString());
        assertEquals("", result.out(), "each line is printed once");
        return result;
    }

    @Test
    void importsCaCertificateAndPrintsFingerprintKindAndNotAfter() {
        TestPki.Issued ca = TestPki.ca("Root");
        Cli.Result result = cli.run("cert", "import", pem("ca.pem", ca).toString());
        assertEquals(0, result.exit(), result.toString());
        assertEquals("imported " + Fingerprints.sha256(ca.certificate()) + " ca - notAfter="
                + ca.certificate().getNotAfter().toInstant() + "\n", result.out());
    }

    @Test
    void aCertificateImportedAgainIsAlreadyStoredAndAnExpiredOneSaysSo() {
        TestPki.Issued ca = TestPki.ca("Root");
        TestPki.Issued old = TestPki.client("old@example.com").valid(TestPki.NOW.minusSeconds(86_400 * 400),
                TestPki.NOW.minusSeconds(86_400 * 35)).build();
        String line = Fingerprints.sha256(ca.certificate()) + " ca - notAfter=" + ca.certificate().getNotAfter()
                .toInstant() + "\n";
        assertEquals("imported " + line, cli.run("cert", "import", pem("ca.pem", ca).toString()).out());

        Cli.Result again = cli.run("cert", "import", pem("ca.pem", ca).toString());
        Cli.Result expired = cli.run("cert", "import", pem("old.pem", old).toString());

        assertEquals("already stored " + line, again.out());
        assertEquals(0, again.exit(), again.toString());
        String notAfter = old.certificate().getNotAfter().toInstant().toString();
        assertTrue(expired.out().startsWith("imported " + Fingerprints.sha256(old.certificate())), expired.out());
        assertTrue(expired.out().endsWith(" notAfter=" + notAfter + " (expired " + notAfter.substring(0, 10)
                + ")\n"), expired.out());
    }

    @Test
    void theSubjectsEmailAddressIsShownReadably() {
        TestPki.Issued alice = TestPki.client("alice@example.com").subject("Alice", "alice@example.com").build();
        cli.run("cert", "import", pem("alice.pem", alice).toString());

        Cli.Result shown = cli.run("cert", "show", Fingerprints.sha256(alice.certificate()));

        assertTrue(shown.out().contains("emailAddress=alice@example.com"), shown.out());
        assertFalse(shown.out().contains("1.2.840.113549.1.9.1"), shown.out());
    }

    @Test
    void importsClientCertificateWithItsAddresses() {
        TestPki.Issued alice = TestPki.client("Alice@Example.com", "a2@example.com").build();
        Cli.Result result = cli.run("cert", "import", pem("alice.pem", alice).toString());
        assertEquals(0, result.exit(), result.toString());
        assertTrue(result.out().contains(" client alice@example.com,a2@example.com notAfter="), result.out());
    }

    @Test
    void rejectsClientWithoutSanNamingTheAttribute() {
        importRejected(TestPki.client().subject("Alice", "alice@example.com").san(), "Subject Alternative Name");
    }

    @Test
    void rejectsClientWithoutKeyUsageNamingTheAttribute() {
        importRejected(TestPki.client("alice@example.com").keyUsage(null), "Key Usage");
    }

    @Test
    void rejectsClientWithKeyUsageWithoutSigningOrEncipherment() {
        importRejected(TestPki.client("alice@example.com").keyUsage(KeyUsage.keyCertSign), "Key Usage");
    }

    @Test
    void rejectsClientWithEkuLackingEmailProtection() {
        importRejected(TestPki.client("alice@example.com").eku(KeyPurposeId.id_kp_clientAuth),
                "Extended Key Usage lacks emailProtection");
    }

    @Test
    void importsEveryBlockOfAPemBundleAndReportsEachOne() {
        TestPki.Issued ca = TestPki.ca("Bundle CA");
        TestPki.Issued good = TestPki.client("good@example.com").issuedBy(ca).build();
        TestPki.Issued bad = TestPki.client("bad@example.com").keyUsage(null).issuedBy(ca).build();
        Path bundle = TestPki.writePem(cli.file("bundle.pem"), ca.certificate(), good.certificate(),
                bad.certificate());
        Cli.Result result = cli.run("cert", "import", bundle.toString());
        assertEquals(1, result.exit(), result.toString());
        assertEquals(2, result.out().lines().filter(l -> l.startsWith("imported ")).count(), result.toString());
        assertTrue(result.err().contains("rejected " + bundle + ": CN=bad@example.com: no Key Usage"),
                result.toString());
    }

    @Test
    void rejectsClientWhoseKeyUsageHasOnlyNonRepudiation() {
        importRejected(TestPki.client("alice@example.com").keyUsage(KeyUsage.nonRepudiation),
                "Key Usage has neither digitalSignature nor keyEncipherment (only nonRepudiation)");
    }

    @Test
    void rejectsCertificatesWithAnUnknownCriticalExtensionNamingTheOid() {
        importRejected(TestPki.client("alice@example.com").extension("1.2.3.4.5.6", true, DERNull.INSTANCE),
                "unsupported critical extension 1.2.3.4.5.6");
        importRejected(TestPki.certificate().subject("Odd CA", null).ca()
                .extension("1.2.3.4.5.6", true, DERNull.INSTANCE), "unsupported critical extension 1.2.3.4.5.6");
        assertEquals("", cli.run("cert", "list").out());
    }

    @Test
    void rejectsRfc822NameThatIsNotAnEmailAddressInOneLine() {
        importRejected(TestPki.client("not-an-email"),
                "invalid e-mail address in Subject Alternative Name: \"not-an-email\"");
        Cli.Result result = importRejected(TestPki.client("evil\"x\r\ny@smime.example"),
                "invalid e-mail address in Subject Alternative Name: \"evil\\\"x\\r\\ny@smime.example\"");
        assertEquals(1, result.err().lines().count(), result.toString());
        assertEquals("", cli.run("cert", "list").out());
    }

    @Test
    void rejectsPemFileWithABrokenBlockNamingTheBlock() throws Exception {
        Path file = cli.file("mixed.pem");
        Files.writeString(file, Files.readString(pem("a.pem", TestPki.client("a@example.com").build()))
                + "-----BEGIN CERTIFICATE-----\nAAAAbroken\n-----END CERTIFICATE-----\n"
                + Files.readString(pem("b.pem", TestPki.client("b@example.com").build())));
        Cli.Result result = cli.run("cert", "import", file.toString());
        assertEquals(1, result.exit(), result.toString());
        assertEquals("rejected " + file + ": malformed PEM: block 2 is not valid base64\n", result.err());
    }

    @Test
    void importsDerCertificate() throws Exception {
        TestPki.Issued alice = TestPki.client("alice@example.com").build();
        Path der = Files.write(cli.file("alice.der"), alice.certificate().getEncoded());
        assertEquals(0, cli.run("cert", "import", der.toString()).exit());
    }

    @Test
    void rejectsFileThatHoldsNoCertificate() throws Exception {
        Path junk = Files.writeString(cli.file("junk.txt"), "not a certificate");
        Cli.Result result = cli.run("cert", "import", junk.toString());
        assertEquals(1, result.exit());
        assertTrue(result.err().startsWith("rejected " + junk + ": no certificate found"), result.toString());
    }

    @Test
    void rejectsMissingFileNamingIt() {
        Cli.Result result = cli.run("cert", "import", "/nonexistent/x.pem");
        assertEquals(1, result.exit());
        assertTrue(result.err().contains("rejected /nonexistent/x.pem: file not found"), result.toString());
    }

    @Test
    void rejectsEd25519AndX25519CertificatesOfRfc9216() {
        for (String name : new String[] {"carlos.sign.crt", "carlos.encrypt.crt", "dana.sign.crt"}) {
            Path file = TestData.file("rfc9216/" + name);
            Cli.Result result = cli.run("cert", "import", file.toString());
            assertEquals(1, result.exit(), result.toString());
            assertTrue(result.err().contains("neither RSA nor EC"), result.toString());
        }
    }

    @Test
    void importsRfc9216CaAndAliceCertificates() {
        Cli.Result result = cli.run("cert", "import", TestData.file("rfc9216/ca.rsa.crt").toString(),
                TestData.file("rfc9216/alice.sign.crt").toString(),
                TestData.file("rfc9216/alice.encrypt.crt").toString());
        assertEquals(0, result.exit(), result.toString());
        assertEquals(3, result.out().lines().count());
    }

    @Test
    void rejectsThunderbirdCertificateThatHasOnlyALegacySubjectAddress() throws Exception {
        java.security.KeyStore p12 = java.security.KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(TestData.file("thunderbird/smime/Bob.p12"))) {
            p12.load(in, "nss".toCharArray());
        }
        java.security.cert.X509Certificate bob = null;
        for (String alias : java.util.Collections.list(p12.aliases())) {
            if (p12.isKeyEntry(alias)) {
                bob = (java.security.cert.X509Certificate) p12.getCertificate(alias);
            }
        }
        Path file = TestPki.writePem(cli.file("bob.pem"), bob);
        Cli.Result result = cli.run("cert", "import", file.toString());
        assertEquals(1, result.exit(), result.toString());
        assertTrue(result.err().contains("no Subject Alternative Name"), result.toString());
    }

    @Test
    void listsShowsExportsAndDeletesByFingerprintPrefix() {
        TestPki.Issued alice = TestPki.client("alice@example.com").build();
        String fp = Fingerprints.sha256(alice.certificate());
        cli.run("cert", "import", pem("alice.pem", alice).toString());

        assertTrue(cli.run("cert", "list").out().startsWith(fp + " client alice@example.com"));
        assertTrue(cli.run("cert", "list", "--email", "ALICE@example.com", "--json").out()
                .contains("\"fingerprint\":\"" + fp + "\""));
        assertEquals("", cli.run("cert", "list", "--email", "nobody@example.com").out());
        String colons = fp.substring(0, 2).toUpperCase() + ":" + fp.substring(2, 4).toUpperCase() + ":" + fp.substring(4, 10);
        assertTrue(cli.run("cert", "show", colons).out().contains("subject: CN=alice@example.com"));
        assertTrue(cli.run("cert", "export", fp.substring(0, 12)).out().startsWith("-----BEGIN CERTIFICATE-----"));
        assertEquals(0, cli.run("cert", "delete", fp).exit());
        Cli.Result gone = cli.run("cert", "show", fp);
        assertEquals(1, gone.exit());
        assertEquals("smime-gateway: no certificate with fingerprint " + fp + "\n", gone.err());
    }

    @Test
    void acceptsConfigOptionBeforeTheSubcommand() {
        Cli.Result result = cli.runRaw("--config", cli.config.toString(), "cert", "list");
        assertEquals(0, result.exit(), result.toString());
        Cli.Result middle = cli.runRaw("cert", "--config", cli.config.toString(), "list");
        assertEquals(0, middle.exit(), middle.toString());
    }

    @Test
    void unknownSubcommandIsAUsageError() {
        assertEquals(2, cli.run("cert", "frobnicate").exit());
    }

    @Test
    void timeOfImportDoesNotMatterForExpiredCertificates() {
        TestPki.Issued old = TestPki.client("old@example.com")
                .valid(Instant.parse("2019-01-01T00:00:00Z"), Instant.parse("2020-01-01T00:00:00Z")).build();
        assertEquals(0, cli.run("cert", "import", pem("old.pem", old).toString()).exit());
    }
}
