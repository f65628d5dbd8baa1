package org.smimegw.smtp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;

import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.core.testing.Openssl;
import org.smimegw.core.cert.Fingerprints;
import org.smimegw.core.testing.TestData;
import org.smimegw.core.testing.TestPki;

/** The {@code process} command, judged from outside: exit status, stderr, and openssl on the output. */
class ProcessCommandTest {
    private static final Instant NOW = TestPki.NOW;
    private static final String ORG = "helpdesk@org.example";
    private static final String BOB = "bob@example.com";

    @TempDir
    Path dir;
    Cli cli;
    Openssl openssl;
    TestPki.Issued ca;
    TestPki.Issued org;

    @BeforeEach
    void setUp() {
        cli = new Cli(dir, NOW);
        openssl = new Openssl(dir);
        ca = TestPki.ca("Org CA");
        org = TestPki.client(ORG).issuedBy(ca).build();
        TestPki.writePem(cli.file("ca.pem"), ca.certificate());
        TestPki.writePem(cli.file("org.pem"), org.key(), org.certificate());
        assertEquals(0, cli.run("cert", "import", cli.file("ca.pem").toString()).exit());
        assertEquals(0, cli.run("key", "import", cli.file("org.pem").toString()).exit());
    }

    private Path message(String name, String extraHeaders, String contentHeaders, String body) throws Exception {
        return Files.write(cli.file(name), ("From: Help Desk <" + ORG + ">\r\nTo: " + BOB + "\r\nSubject: test\r\n"
                + "Message-ID: <" + name + "@org.example>\r\n" + extraHeaders + "MIME-Version: 1.0\r\n"
                + contentHeaders + "\r\n" + body).getBytes(StandardCharsets.UTF_8));
    }

    private Path plain(String name) throws Exception {
        return message(name, "", "Content-Type: text/plain; charset=us-ascii\r\n", "Hello Bob.\r\n");
    }

    private TestPki.Issued bob(Instant from, Instant until, String file) {
        TestPki.Issued bob = TestPki.client(BOB).issuedBy(ca).valid(from, until).build();
        TestPki.writePem(cli.file(file + ".pem"), bob.certificate());
        TestPki.writePem(cli.file(file + ".key"), bob.key());
        assertEquals(0, cli.run("cert", "import", cli.file(file + ".pem").toString()).exit());
        return bob;
    }

    private Cli.Result outbound(Path in, String... extra) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("process", "--direction", "outbound",
                "--in", in.toString(), "--out", cli.file("out.eml").toString()));
        args.addAll(java.util.List.of(extra));
        return cli.run(args.toArray(String[]::new));
    }

    private boolean opensslDecrypts(String keyName) throws Exception {
        return openssl.run("cms", "-decrypt", "-in", "out.eml", "-recip", keyName + ".pem", "-inkey",
                keyName + ".key", "-out", "decrypted-" + keyName + ".eml").exitCode() == 0;
    }

    @Test
    void encryptsToTheValidCertificateWithLatestNotAfterAmongExpiredNewerExpiredAndFuture() throws Exception {
        bob(NOW.minus(Duration.ofDays(800)), NOW.minus(Duration.ofDays(30)), "expired");
        bob(NOW.minus(Duration.ofDays(100)), NOW.plus(Duration.ofDays(100)), "valid-short");
        bob(NOW.minus(Duration.ofDays(50)), NOW.plus(Duration.ofDays(300)), "valid-long");
        bob(NOW.minus(Duration.ofDays(5)), NOW.minus(Duration.ofDays(1)), "newer-expired");
        bob(NOW.plus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(900)), "future");
        Cli.Result result = outbound(plain("in.eml"));
        assertEquals(0, result.exit(), result.toString());
        assertTrue(opensslDecrypts("valid-long"));
        for (String other : new String[] {"expired", "valid-short", "newer-expired", "future"}) {
            assertFalse(opensslDecrypts(other), other + " must not be a recipient");
        }
        openssl.run("cms", "-verify", "-in", "decrypted-valid-long.eml", "-CAfile", "ca.pem", "-purpose", "any",
                "-out", "content.txt").assertSuccess();
        assertTrue(Files.readString(cli.file("content.txt")).contains("Hello Bob."));
    }

    @Test
    void refusesRequiredEncryptionNamingTheAddressAndExpiryDate() throws Exception {
        bob(Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2025-07-31T00:00:00Z"), "expired");
        Cli.Result result = outbound(message("in.eml", "X-SMIME-Encrypt: yes\r\n",
                "Content-Type: text/plain\r\n", "secret\r\n"));
        assertEquals(1, result.exit(), result.toString());
        assertEquals("smime-gateway: 550 5.7.1 cannot encrypt: no valid certificate for bob@example.com "
                + "(expired on 2025-07-31)\n", result.err());
        assertFalse(Files.exists(cli.file("out.eml")), "nothing may be written for a refused message");
    }

    @Test
    void refusesAMessageOverAnInputLimitWithTheReplyTheListenerGives() throws Exception {
        Cli.Result result = outbound(message("in.eml", "X-Long: " + "x".repeat(1000) + "\r\n",
                "Content-Type: text/plain\r\n", "hello\r\n"));
        assertEquals(1, result.exit(), result.toString());
        assertEquals("smime-gateway: 554 5.6.0 message refused: header line longer than 998 octets\n", result.err());
        assertFalse(Files.exists(cli.file("out.eml")), "nothing may be written for a refused message");
    }

    @Test
    void refusalNamesEveryAddressConcerned() throws Exception {
        bob(NOW.plus(Duration.ofDays(10)), NOW.plus(Duration.ofDays(400)), "future");
        Cli.Result result = outbound(message("in.eml", "X-SMIME-Encrypt: yes\r\nCc: carol@example.com\r\n",
                "Content-Type: text/plain\r\n", "secret\r\n"));
        assertEquals(1, result.exit(), result.toString());
        assertTrue(result.err().contains("bob@example.com (not yet valid (from "), result.err());
        assertTrue(result.err().contains("carol@example.com (no certificate)"), result.err());
    }

    @Test
    void atOptionJudgesValidityAtThatInstant() throws Exception {
        bob(Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2025-07-31T00:00:00Z"), "old");
        // the organisation certificate was not yet valid then, so this message is encrypted but not signed
        Path in = message("in.eml", "X-SMIME-Sign: no\r\nX-SMIME-Encrypt: yes\r\n", "Content-Type: text/plain\r\n",
                "x\r\n");
        assertEquals(1, outbound(in).exit());
        Cli.Result then = outbound(in, "--at", "2025-06-01T00:00:00Z");
        assertEquals(0, then.exit(), then.toString());
        assertTrue(opensslDecrypts("old"));
    }

    @Test
    void explainNamesTheRuleAndTheCertificateOfEachRecipientAndWritesNothingWithoutOut() throws Exception {
        TestPki.Issued bob = bob(NOW.minusSeconds(86_400), NOW.plusSeconds(86_400 * 30), "bob");
        Cli ruled = new Cli(dir, NOW, "outbound.encrypt.required.for=example.com",
                "outbound.encrypt.never.for=robot@example.com");
        Path in = plain("explain.eml");

        Cli.Result result = ruled.run("process", "--direction", "outbound", "--in", in.toString(), "--explain",
                "--recipient", BOB, "--recipient", "robot@example.com", "--recipient", "carol@elsewhere.example");

        assertEquals(0, result.exit(), result.toString());
        String[] lines = result.out().split("\n");
        assertTrue(lines[0].startsWith("sign as " + ORG + ": required (outbound.sign=required): certificate "),
                result.out());
        assertTrue(lines[1].startsWith("encrypt to " + BOB + ": required (outbound.encrypt.required.for=example.com)"
                + ": certificate " + Fingerprints.sha256(bob.certificate()) + " (imported, "
                + "notAfter "), result.out());
        assertEquals("encrypt to robot@example.com: never (outbound.encrypt.never.for=robot@example.com): "
                + "not encrypted", lines[2]);
        assertEquals("encrypt to carol@elsewhere.example: if-possible (outbound.encrypt=if-possible): "
                + "no certificate: gets the unencrypted copy", lines[3]);
        assertEquals("2 copies: signed+encrypted to " + BOB + "; signed to robot@example.com,"
                + "carol@elsewhere.example", lines[4]);
        assertFalse(Files.exists(cli.file("out.eml")));
    }

    @Test
    void explainIsForOutboundOnly() throws Exception {
        Cli.Result result = cli.run("process", "--direction", "inbound", "--in", plain("in.eml").toString(),
                "--explain");

        assertEquals(2, result.exit(), result.toString());
        assertTrue(result.err().contains("--explain: only for --direction outbound"), result.toString());
    }

    @Test
    void aSplitMessageWritesEachCopyToItsOwnFile() throws Exception {
        bob(NOW.minusSeconds(86_400), NOW.plusSeconds(86_400 * 30), "bob");

        Cli.Result result = outbound(plain("in.eml"), "--recipient", BOB, "--recipient", "carol@elsewhere.example");

        assertEquals(0, result.exit(), result.toString());
        assertTrue(Files.readString(cli.file("out.eml")).contains("application/pkcs7-mime"));
        assertTrue(Files.readString(cli.file("out.2.eml")).contains("multipart/signed"));
        assertTrue(result.err().contains("signed+encrypted (to 2 certificates) for " + BOB + " -> "
                + cli.file("out.eml") + "; signed for carol@elsewhere.example -> " + cli.file("out.2.eml")),
                result.toString());
        assertTrue(opensslDecrypts("bob"));
    }

    @Test
    void sendsPlainSignedMessageWhenEncryptionIsOnlyIfPossible() throws Exception {
        Cli.Result result = outbound(plain("in.eml"));
        assertEquals(0, result.exit(), result.toString());
        String out = Files.readString(cli.file("out.eml"));
        assertTrue(out.contains("multipart/signed"), out);
        openssl.run("cms", "-verify", "-in", "out.eml", "-CAfile", "ca.pem", "-purpose", "any", "-out",
                "content.txt").assertSuccess();
    }

    @Test
    void encryptsToEcRecipient() throws Exception {
        TestPki.Issued ec = TestPki.client(BOB).ec().keyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement)
                .issuedBy(ca).build();
        TestPki.writePem(cli.file("ec.pem"), ec.certificate());
        TestPki.writePem(cli.file("ec.key"), ec.key());
        cli.run("cert", "import", cli.file("ec.pem").toString());
        assertEquals(0, outbound(plain("in.eml")).exit());
        assertTrue(opensslDecrypts("ec"));
    }

    @Test
    void signsWithAnEcOrganisationKeyThatOpensslVerifies() throws Exception {
        String rsaOrg = cli.run("key", "list").out().split(" ")[0];
        assertEquals(0, cli.run("cert", "delete", rsaOrg).exit());
        TestPki.Issued ecOrg = TestPki.client(ORG).ec().keyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement)
                .issuedBy(ca).build();
        TestPki.writePem(cli.file("ec-org.pem"), ecOrg.key(), ecOrg.certificate());
        Cli.Result imported = cli.run("key", "import", cli.file("ec-org.pem").toString());
        assertEquals(0, imported.exit(), imported.toString());

        Cli.Result result = outbound(plain("in.eml"));

        assertEquals(0, result.exit(), result.toString());
        TestPki.writePem(cli.file("ec-org-cert.pem"), ecOrg.certificate());
        openssl.run("cms", "-verify", "-in", "out.eml", "-CAfile", "ca.pem", "-purpose", "any",
                "-certfile", "ec-org-cert.pem", "-signer", "signer.pem", "-out", "content.txt").assertSuccess();
        assertEquals(Files.readString(cli.file("ec-org-cert.pem")), Files.readString(cli.file("signer.pem")));
        assertTrue(Files.readString(cli.file("content.txt")).contains("Hello Bob."));
    }

    @Test
    void eightBitBodySurvivesSigning() throws Exception {
        String text = "Grüße aus Köln – naïve café, 100 €\r\n";
        Path in = message("in.eml", "X-SMIME-Encrypt: no\r\n",
                "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n", text);
        assertEquals(0, outbound(in).exit());
        String out = Files.readString(cli.file("out.eml"), StandardCharsets.ISO_8859_1);
        assertTrue(out.chars().allMatch(c -> c < 128), "signed output must be 7bit");
        openssl.run("cms", "-verify", "-in", "out.eml", "-CAfile", "ca.pem", "-purpose", "any",
                "-out", "content.eml").assertSuccess();
        try (var stream = Files.newInputStream(cli.file("content.eml"))) {
            jakarta.mail.internet.MimeBodyPart part = new jakarta.mail.internet.MimeBodyPart(stream);
            assertEquals(text, part.getContent());
        }
        Cli.Result inbound = cli.run("process", "--direction", "inbound", "--in", cli.file("out.eml").toString(),
                "--out", cli.file("delivered.eml").toString());
        assertEquals(0, inbound.exit(), inbound.toString());
        assertTrue(Files.readString(cli.file("delivered.eml")).contains("smime=pass"));
    }

    @Test
    void controlHeadersAreRemovedAndNoMeansNo() throws Exception {
        Path in = message("in.eml", "X-SMIME-Sign: no\r\nX-SMIME-Encrypt: no\r\n", "Content-Type: text/plain\r\n",
                "hi\r\n");
        assertEquals(0, outbound(in).exit());
        String out = Files.readString(cli.file("out.eml"));
        assertFalse(out.contains("X-SMIME"), out);
        assertFalse(out.contains("pkcs7"), out);
    }

    @Test
    void refusesInvalidControlHeaderValue() throws Exception {
        Cli.Result result = outbound(message("in.eml", "X-SMIME-Sign: maybe\r\n", "Content-Type: text/plain\r\n",
                "hi\r\n"));
        assertEquals(1, result.exit());
        assertTrue(result.err().contains("X-SMIME-Sign must be yes or no"), result.err());
    }

    @Test
    void refusesRequiredSigningWithoutPrivateKeyNamingTheFromAddress() throws Exception {
        String fp = cli.run("key", "list").out().split(" ")[0];
        assertEquals(0, cli.run("key", "delete", fp).exit());
        Cli.Result result = outbound(plain("in.eml"));
        assertEquals(1, result.exit());
        assertEquals("smime-gateway: 550 5.7.1 cannot sign as " + ORG + ": no private key\n", result.err());
    }

    @Test
    void inboundVerifiesThunderbirdSignatureAgainstStoredCa() throws Exception {
        assertEquals(0, cli.run("cert", "import", TestData.file("thunderbird/smime/TestCA.pem").toString()).exit());
        Path out = cli.file("in-out.eml");
        Cli.Result result = cli.run("process", "--direction", "inbound", "--in",
                TestData.file("thunderbird/smime/alice.dsig.SHA256.multipart.eml").toString(), "--out", out.toString());
        assertEquals(0, result.exit(), result.toString());
        String annotated = Files.readString(out);
        assertTrue(annotated.startsWith("Authentication-Results: gw.test; smime=pass"), annotated);
        assertTrue(annotated.contains("X-SMIME-Encryption: none"), annotated);
    }

    @Test
    void inboundWithoutStoredTrustIsPolicyAndKeepsTheOriginal() throws Exception {
        Path out = cli.file("in-out.eml");
        Cli.Result result = cli.run("process", "--direction", "inbound", "--in",
                TestData.file("thunderbird/smime/alice.dsig.SHA256.multipart.eml").toString(), "--out", out.toString());
        assertEquals(0, result.exit(), result.toString());
        assertTrue(Files.readString(out).contains("smime=policy"));
        assertTrue(result.err().contains("original kept as "), result.err());
        assertTrue(cli.run("log").out().contains("inbound"));
    }

    @Test
    void inboundUndecryptableMessagePassesThroughAnnotatedFailed() throws Exception {
        Path out = cli.file("in-out.eml");
        Path in = TestData.file("thunderbird/smime/alice.env.eml");
        Cli.Result result = cli.run("process", "--direction", "inbound", "--in", in.toString(), "--out",
                out.toString());
        assertEquals(0, result.exit(), result.toString());
        String annotated = Files.readString(out);
        assertTrue(annotated.contains("X-SMIME-Encryption: failed; reason="), annotated);
        String body = Files.readString(in).replace("\r\n", "\n");
        String tail = body.substring(body.indexOf("\n\n"));
        assertTrue(annotated.replace("\r\n", "\n").endsWith(tail), "the encrypted body must pass unchanged");
    }

    @Test
    void missingInputFileIsOneLineRefusal() {
        Cli.Result result = cli.run("process", "--direction", "inbound", "--in", "/nonexistent.eml", "--out",
                cli.file("x").toString());
        assertEquals(1, result.exit());
        assertEquals("smime-gateway: cannot read /nonexistent.eml: file not found\n", result.err());
    }

    @Test
    void badAtValueIsAUsageError() throws Exception {
        Cli.Result result = outbound(plain("in.eml"), "--at", "yesterday");
        assertEquals(2, result.exit(), result.toString());
        assertTrue(result.err().contains("--at"), result.err());
    }

    @Test
    void envelopeAddressThatIsNotAnAddressIsAUsageError() throws Exception {
        for (String bad : new String[] {"", "not an address", "Bob <bob@example.com>"}) {
            Cli.Result result = outbound(plain("in.eml"), "--recipient", bad);
            assertEquals(2, result.exit(), result.toString());
            assertTrue(result.err().contains("--recipient: '" + bad + "' is not an e-mail address"), result.err());
        }
        assertEquals(2, outbound(plain("in.eml"), "--sender", "bad sender <<").exit());
    }

    private static final Pattern BCC_FIELD = Pattern.compile("(?im)^bcc:");

    @Test
    void bccAddressesAreRecipientsButTheHeaderIsRemoved() throws Exception {
        bob(NOW.minus(Duration.ofDays(10)), NOW.plus(Duration.ofDays(100)), "bob");
        TestPki.Issued carol = TestPki.client("carol@example.com").issuedBy(ca).build();
        TestPki.writePem(cli.file("carol.pem"), carol.certificate());
        TestPki.writePem(cli.file("carol.key"), carol.key());
        assertEquals(0, cli.run("cert", "import", cli.file("carol.pem").toString()).exit());

        Cli.Result result = outbound(message("in.eml", "Bcc: carol@example.com\r\nX-SMIME-Encrypt: yes\r\n",
                "Content-Type: text/plain\r\n", "Hello.\r\n"));

        assertEquals(0, result.exit(), result.toString());
        assertTrue(opensslDecrypts("carol"), "the Bcc recipient must be able to read the message");
        // a Bcc field, not the letters: base64 of a signature with random keys may contain "Bcc" (it has no colon)
        assertFalse(BCC_FIELD.matcher(Files.readString(cli.file("decrypted-carol.eml"))).find());
        assertFalse(BCC_FIELD.matcher(Files.readString(cli.file("out.eml"))).find());
    }

    @Test
    void outputThroughASymbolicLinkWritesItsTargetAndKeepsTheLink() throws Exception {
        Path target = Files.writeString(cli.file("target.eml"), "old");
        Path link = Files.createSymbolicLink(cli.file("link.eml"), target);

        Cli.Result result = cli.run("process", "--direction", "outbound", "--in", plain("in.eml").toString(),
                "--out", link.toString());

        assertEquals(0, result.exit(), result.toString());
        assertTrue(Files.isSymbolicLink(link));
        assertTrue(Files.readString(target).contains("multipart/signed"));
    }

    @Test
    void replacedOutputFileKeepsItsPermissions() throws Exception {
        Path out = Files.writeString(cli.file("out.eml"), "old");
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rw-r--r--"));

        assertEquals(0, outbound(plain("in.eml")).exit());

        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
        assertTrue(Files.readString(out).contains("multipart/signed"));
    }

    @Test
    void unwritableOutputIsOneLineNamingTheCause() throws Exception {
        Cli.Result directory = cli.run("process", "--direction", "outbound", "--in", plain("in.eml").toString(),
                "--out", dir.toString());
        assertEquals("smime-gateway: cannot write " + dir + ": it is a directory\n", directory.err());

        Path missing = dir.resolve("missing/out.eml");
        Cli.Result noParent = cli.run("process", "--direction", "outbound", "--in", plain("in.eml").toString(),
                "--out", missing.toString());
        assertEquals("smime-gateway: cannot write " + missing + ": directory " + missing.getParent()
                + " does not exist\n", noParent.err());
        assertEquals(1, noParent.exit());
    }

    @Test
    void logLimitBelowOneIsAUsageError() {
        Cli.Result result = cli.run("log", "--limit", "0");
        assertEquals(2, result.exit(), result.toString());
        assertTrue(result.err().contains("--limit must be at least 1"), result.err());
    }
}
