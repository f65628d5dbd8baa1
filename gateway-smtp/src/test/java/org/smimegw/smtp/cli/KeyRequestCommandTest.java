package org.smimegw.smtp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.smimegw.core.testing.Openssl;

/**
 * {@code key request} (docs/design.md §14) against openssl: openssl checks every request, plays the CA that issues
 * the certificate, verifies what the completed identity signs and encrypts to it; and the refusals that keep a
 * request pending.
 */
class KeyRequestCommandTest {
    private static final String ORG = "helpdesk@org.example";

    @TempDir
    Path dir;
    private Cli cli;
    private Openssl openssl;

    @BeforeEach
    void setUp() throws Exception {
        // a minute ahead of real time: openssl dates what it issues now, and it must be valid on the CLI's clock
        cli = new Cli(dir, Instant.now().plusSeconds(60));
        openssl = new Openssl(dir);
        openssl.run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
                "-subj", "/CN=Test CA", "-days", "30", "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign").assertSuccess();
        assertEquals(0, cli.run("cert", "import", cli.file("ca.pem").toString()).exit());
    }

    private Cli.Result request(String... extra) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("key", "request"));
        args.addAll(java.util.List.of(extra));
        return cli.run(args.toArray(String[]::new));
    }

    /** openssl as the CA: a certificate for the request, with the request's extensions or those of {@code ext}. */
    private void issue(String request, String certificate, String ext) throws Exception {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("x509", "-req", "-in", request,
                "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "20", "-out", certificate));
        if (ext == null) {
            args.addAll(java.util.List.of("-copy_extensions", "copy"));
        } else {
            Files.writeString(cli.file("ext.cnf"), ext);
            args.addAll(java.util.List.of("-extfile", "ext.cnf"));
        }
        openssl.run(args.toArray(String[]::new)).assertSuccess();
    }

    @ParameterizedTest
    @CsvSource({"rsa-3072, 3072 bit, Key Encipherment", "rsa-2048, 2048 bit, Key Encipherment",
        "ec-p256, 256 bit, Key Agreement", "ec-p384, 384 bit, Key Agreement"})
    void eachAlgorithmMakesARequestThatOpensslVerifiesWithTheAddressAndTheUsages(String algorithm, String bits,
            String usage) throws Exception {
        Cli.Result result = request("--email", ORG, "--algorithm", algorithm, "--subject", "CN=Helpdesk,O=Example Org",
                "--out", cli.file("request.pem").toString());

        assertEquals(0, result.exit(), result.toString());
        assertTrue(result.out().startsWith("requested ") && result.out().contains(" " + ORG + " " + algorithm
                + " subject=CN=Helpdesk,O=Example Org\n"), result.toString());
        openssl.run("req", "-in", "request.pem", "-verify", "-noout").assertSuccess();
        String text = openssl.run("req", "-in", "request.pem", "-noout", "-text").assertSuccess().stdout();
        assertTrue(text.contains("(" + bits + ")") && text.contains("email:" + ORG)
                && text.contains("Digital Signature, " + usage) && text.contains("E-mail Protection")
                && text.contains("CA:FALSE"), text);
        String list = cli.run("key", "list").out();
        assertTrue(list.startsWith("pending ") && list.contains(" " + ORG + " " + algorithm + " requested="), list);
        assertFalse(Files.readString(cli.file("request.pem")).contains("PRIVATE"), "the private key never leaves");
    }

    @Test
    void theIssuedCertificateCompletesTheIdentityWhichSignsAndDecryptsForOpenssl() throws Exception {
        Cli.Result requested = request("--email", ORG, "--out", cli.file("request.pem").toString());
        assertEquals(0, requested.exit(), requested.toString());
        issue("request.pem", "org.pem", null);

        Cli.Result imported = cli.run("cert", "import", cli.file("org.pem").toString());

        assertEquals(0, imported.exit(), imported.toString());
        assertTrue(imported.out().startsWith("imported ") && imported.out().contains(" client " + ORG + " notAfter=")
                && imported.out().contains(" key (completes the request "), imported.toString());
        String list = cli.run("key", "list").out();
        assertFalse(list.contains("pending "), list);
        assertTrue(list.contains(" client " + ORG + " "), list);

        // it signs like an imported PKCS#12: openssl verifies against the CA
        Files.writeString(cli.file("in.eml"), "From: " + ORG + "\r\nTo: alice@partner.example\r\nSubject: Ticket"
                + "\r\nMessage-ID: <1@org.example>\r\nContent-Type: text/plain\r\n\r\nYour ticket is solved.\r\n");
        Cli.Result signed = cli.run("process", "--direction", "outbound", "--in", cli.file("in.eml").toString(),
                "--out", cli.file("signed.eml").toString());
        assertEquals(0, signed.exit(), signed.toString());
        openssl.run("cms", "-verify", "-in", "signed.eml", "-CAfile", "ca.pem", "-purpose", "any", "-out",
                "content.txt").assertSuccess();
        assertTrue(Files.readString(cli.file("content.txt")).contains("Your ticket is solved."));

        // and decrypts what openssl encrypts to it
        Files.writeString(cli.file("secret.txt"), "Content-Type: text/plain\r\n\r\nFor the helpdesk only.\r\n");
        openssl.run("cms", "-encrypt", "-aes-256-cbc", "-in", "secret.txt", "-out", "encrypted.eml", "-from",
                "alice@partner.example", "-to", ORG, "-subject", "Secret", "org.pem").assertSuccess();
        Cli.Result decrypted = cli.run("process", "--direction", "inbound", "--in", cli.file("encrypted.eml")
                .toString(), "--out", cli.file("decrypted.eml").toString());
        assertEquals(0, decrypted.exit(), decrypted.toString());
        String delivered = Files.readString(cli.file("decrypted.eml"), StandardCharsets.UTF_8);
        assertTrue(delivered.contains("For the helpdesk only.") && delivered.contains("X-SMIME-Encryption: decrypted"),
                delivered);
    }

    @Test
    void aCertificateForAnotherAddressOrACaCertificateIsRefusedAndTheRequestStays() throws Exception {
        assertEquals(0, request("--email", ORG, "--algorithm", "ec-p256", "--out",
                cli.file("request.pem").toString()).exit());
        issue("request.pem", "other.pem", "subjectAltName=email:someone@else.example\n"
                + "keyUsage=critical,digitalSignature,keyAgreement\nextendedKeyUsage=emailProtection\n");
        issue("request.pem", "ca-for-key.pem", "basicConstraints=critical,CA:TRUE\n"
                + "keyUsage=critical,keyCertSign\nsubjectAltName=email:" + ORG + "\n");

        Cli.Result other = cli.run("cert", "import", cli.file("other.pem").toString());
        Cli.Result ca = cli.run("cert", "import", cli.file("ca-for-key.pem").toString());

        assertEquals(1, other.exit(), other.toString());
        assertTrue(other.err().contains("certificate for the pending request ") && other.err().contains("(" + ORG
                + ") refused: it carries someone@else.example, not the requested " + ORG
                + "; the request stays pending"), other.toString());
        assertEquals(1, ca.exit(), ca.toString());
        assertTrue(ca.err().contains("refused: it is a CA certificate") && ca.err().contains("stays pending"),
                ca.toString());
        assertTrue(cli.run("key", "list").out().startsWith("pending "), "the request is still pending");
        assertFalse(cli.run("cert", "list").out().contains("someone@else.example"), "nothing stored");

        // the right certificate still completes it afterwards
        issue("request.pem", "org.pem", null);
        assertTrue(cli.run("cert", "import", cli.file("org.pem").toString()).out().contains("completes the request"));
    }

    @Test
    void aRequestForAnAddressWithAValidIdentityIsARenewalAndSaysSo() throws Exception {
        assertEquals(0, request("--email", ORG, "--out", cli.file("first.pem").toString()).exit());
        issue("first.pem", "org.pem", null);
        assertEquals(0, cli.run("cert", "import", cli.file("org.pem").toString()).exit());

        Cli.Result renewal = request("--email", ORG, "--out", cli.file("second.pem").toString());

        assertEquals(0, renewal.exit(), renewal.toString());
        assertTrue(renewal.out().contains("note: " + ORG + " already has a valid identity (")
                && renewal.out().contains("a renewal"), renewal.toString());
        String list = cli.run("key", "list").out();
        assertTrue(list.startsWith("pending ") && list.contains(" client " + ORG + " "), list);
    }

    @Test
    void selfSignedIdentitySignsAtOnceAndSaysContactsImportItByHand() throws Exception {
        Cli.Result result = request("--email", ORG, "--self-signed", "--days", "30", "--algorithm", "ec-p256",
                "--out", cli.file("self.pem").toString());

        assertEquals(0, result.exit(), result.toString());
        assertTrue(result.out().startsWith("imported ") && result.out().contains(" client " + ORG + " ")
                && result.out().contains("contacts must import it by hand"), result.toString());
        String text = openssl.run("x509", "-in", "self.pem", "-noout", "-text").assertSuccess().stdout();
        assertTrue(text.contains("CA:FALSE") && text.contains("email:" + ORG) && text.contains("E-mail Protection"),
                text);
        Files.writeString(cli.file("in.eml"), "From: " + ORG + "\r\nTo: alice@partner.example\r\nSubject: Trial"
                + "\r\nMessage-ID: <2@org.example>\r\nContent-Type: text/plain\r\n\r\nA trial.\r\n");
        assertEquals(0, cli.run("process", "--direction", "outbound", "--in", cli.file("in.eml").toString(), "--out",
                cli.file("signed.eml").toString()).exit());
        openssl.run("cms", "-verify", "-in", "signed.eml", "-CAfile", "self.pem", "-partial_chain", "-purpose", "any",
                "-out", "content.txt").assertSuccess();
    }

    @Test
    void aPendingRequestIsDeletedByItsId() throws Exception {
        Cli.Result requested = request("--email", ORG, "--algorithm", "ec-p256", "--out",
                cli.file("request.pem").toString());
        String id = requested.out().split(" ")[1];

        Cli.Result deleted = cli.run("key", "delete", id.substring(0, 12));

        assertEquals("deleted pending request " + id + " " + ORG + "\n", deleted.out(), deleted.toString());
        assertEquals("", cli.run("key", "list").out());
        assertTrue(cli.run("log").out().contains("key.request"), "requests are audited");
    }

    @Test
    void badInputIsOneLineAndKeepsNoKey() throws Exception {
        Cli.Result algorithm = request("--email", ORG, "--algorithm", "rsa-1024", "--out",
                cli.file("a.pem").toString());
        assertEquals(1, algorithm.exit());
        assertEquals("smime-gateway: --algorithm: 'rsa-1024' is not rsa-3072, rsa-2048, ec-p256 or ec-p384\n",
                algorithm.err());

        Cli.Result subject = request("--email", ORG, "--subject", "Helpdesk", "--out", cli.file("b.pem").toString());
        assertEquals(1, subject.exit());
        assertTrue(subject.err().startsWith("smime-gateway: --subject: 'Helpdesk' is not a distinguished name"),
                subject.toString());

        Cli.Result address = request("--email", "not an address", "--out", cli.file("c.pem").toString());
        assertEquals(1, address.exit());
        assertTrue(address.err().startsWith("smime-gateway: --email: 'not an address' is not an e-mail address"),
                address.toString());

        Path unwritable = dir.resolve("missing/dir/request.pem");
        Cli.Result out = request("--email", ORG, "--out", unwritable.toString());
        assertEquals(1, out.exit());
        assertEquals("smime-gateway: cannot write " + unwritable + ": directory " + unwritable.getParent()
                + " does not exist\n", out.err());

        Files.writeString(cli.file("exists.pem"), "keep me");
        Cli.Result exists = request("--email", ORG, "--out", cli.file("exists.pem").toString());
        assertEquals(1, exists.exit());
        assertTrue(exists.err().contains(cli.file("exists.pem") + " already exists; name a new file"),
                exists.toString());
        assertEquals("keep me", Files.readString(cli.file("exists.pem")));

        Cli.Result days = request("--email", ORG, "--days", "30", "--out", cli.file("d.pem").toString());
        assertEquals(1, days.exit());
        assertTrue(days.err().contains("--days: only with --self-signed"), days.toString());

        assertEquals("", cli.run("key", "list").out(), "no key was kept for a request that was not written");
        for (String name : java.util.List.of("a.pem", "b.pem", "c.pem", "d.pem")) {
            assertFalse(Files.exists(cli.file(name)), name);
        }
    }
}
