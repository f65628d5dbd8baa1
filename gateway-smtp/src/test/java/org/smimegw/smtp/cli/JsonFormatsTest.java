package org.smimegw.smtp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;

import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.core.cert.Fingerprints;
import org.smimegw.core.testing.TestPki;

/**
 * Pins {@code cert list --json} and {@code log --json} character for character (docs/json-formats.md): scripts
 * parse them, so a renamed, reordered or retyped field must fail here before it reaches a user.
 */
class JsonFormatsTest {
    @TempDir
    Path dir;
    private Cli cli;

    @BeforeEach
    void setUp() {
        cli = new Cli(dir, TestPki.NOW);
    }

    @Test
    void certListJsonIsOneObjectPerCertificateWithTheDocumentedFieldsInOrder() {
        TestPki.Issued ca = TestPki.ca("JSON Test CA");
        TestPki.Issued alice = TestPki.client("alice@example.com", "a.l@example.com").issuedBy(ca)
                .serial(BigInteger.valueOf(0xABCDEFL))
                .valid(TestPki.NOW.minus(Duration.ofDays(10)), TestPki.NOW.plus(Duration.ofDays(20)))
                .eku(KeyPurposeId.id_kp_emailProtection).build();
        cli.run("cert", "import", TestPki.writePem(cli.file("alice.pem"), alice.certificate()).toString());
        String fp = Fingerprints.sha256(alice.certificate());

        Cli.Result list = cli.run("cert", "list", "--email", "alice@example.com", "--json");

        assertEquals(0, list.exit(), list.toString());
        assertEquals("{\"fingerprint\":\"" + fp + "\",\"kind\":\"client\","
                + "\"emails\":[\"alice@example.com\",\"a.l@example.com\"],"
                + "\"subject\":\"CN=alice@example.com\",\"issuer\":\"CN=JSON Test CA\",\"serial\":\"abcdef\","
                + "\"notBefore\":\"2026-05-22T12:00:00Z\",\"notAfter\":\"2026-06-21T12:00:00Z\","
                + "\"keyUsage\":[\"digitalSignature\",\"keyEncipherment\"],\"keyAlgorithm\":\"RSA\","
                + "\"hasPrivateKey\":false,\"source\":\"imported\",\"revocation\":\"none\",\"revokedAt\":null}\n",
                list.out());
    }

    @Test
    void keyListJsonPrintsPendingRequestsFirstWithTheDocumentedFields() throws Exception {
        Cli.Result requested = cli.run("key", "request", "--email", "Helpdesk@Org.example", "--algorithm", "ec-p256",
                "--subject", "CN=Helpdesk,O=Org", "--out", cli.file("request.pem").toString());
        assertEquals(0, requested.exit(), requested.toString());
        String id = requested.out().split(" ")[1];

        Cli.Result list = cli.run("key", "list", "--json");

        assertEquals("{\"pendingRequest\":\"" + id + "\",\"email\":\"helpdesk@org.example\","
                + "\"subject\":\"CN=Helpdesk,O=Org\",\"algorithm\":\"ec-p256\","
                + "\"requestedAt\":\"2026-06-01T12:00:00Z\"}\n", list.out());
    }

    @Test
    void logJsonIsOneObjectPerEventNewestFirstWithStringFieldsAndControlCharactersEscaped() {
        TestPki.Issued noEmail = TestPki.certificate().subject("Nobody", null).build();
        Path refused = TestPki.writePem(cli.file("tab\there.pem"), noEmail.certificate());
        cli.run("cert", "import", refused.toString());
        TestPki.Issued ca = TestPki.ca("Log CA");
        cli.run("cert", "import", TestPki.writePem(cli.file("ca.pem"), ca.certificate()).toString());

        Cli.Result log = cli.run("log", "--json");

        assertEquals(0, log.exit(), log.toString());
        String[] lines = log.out().split("\n");
        assertEquals(2, lines.length, log.out());
        assertEquals("{\"at\":\"2026-06-01T12:00:00Z\",\"action\":\"cert.import\",\"subject\":\""
                + Fingerprints.sha256(ca.certificate()) + "\",\"decision\":\"imported\",\"detail\":\""
                + cli.file("ca.pem") + ": ca\"}", lines[0]);
        // the tab in the file name comes out as the two characters \t
        assertEquals("{\"at\":\"2026-06-01T12:00:00Z\",\"action\":\"cert.import\",\"subject\":\""
                + Fingerprints.sha256(noEmail.certificate()) + "\",\"decision\":\"rejected\",\"detail\":\""
                + cli.file("tab\\there.pem") + ": no Subject Alternative Name with an e-mail address (rfc822Name)\"}",
                lines[1]);
    }
}
