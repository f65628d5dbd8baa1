package org.smimegw.smtp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.core.cert.Fingerprints;
import org.smimegw.core.testing.Openssl;
import org.smimegw.core.testing.TestData;
import org.smimegw.core.testing.TestPki;

class KeyCommandTest {
    @TempDir
    Path dir;
    Cli cli;

    @BeforeEach
    void setUp() {
        cli = new Cli(dir, TestPki.NOW);
    }

    private Path password(String value) throws Exception {
        return Files.writeString(cli.file("password.txt"), value + "\n");
    }

    @Test
    void importsRfc9216Pkcs12WithBothKeysAndListsThem() throws Exception {
        Cli.Result result = cli.run("key", "import", TestData.file("rfc9216/alice.p12").toString(),
                "--password-file", password("alice").toString());
        assertEquals(0, result.exit(), result.toString());
        assertEquals(2, result.out().lines().filter(l -> l.contains("alice@smime.example") && l.endsWith(" key"))
                .count(), result.toString());
        Cli.Result list = cli.run("key", "list");
        assertEquals(2, list.out().lines().count(), list.toString());
    }

    @Test
    void refusesWrongPkcs12PasswordInOneLine() throws Exception {
        Cli.Result result = cli.run("key", "import", TestData.file("rfc9216/bob.p12").toString(),
                "--password-file", password("wrong").toString());
        assertEquals(1, result.exit(), result.toString());
        assertEquals(1, result.err().lines().count(), result.toString());
        assertTrue(result.err().contains("wrong password"), result.toString());
        assertEquals("", cli.run("key", "list").out());
    }

    @Test
    void readsPasswordFromEnvironmentVariable() {
        // HOME is set in every environment and is certainly not the password
        Cli.Result result = cli.run("key", "import", TestData.file("rfc9216/bob.p12").toString(),
                "--password-env", "HOME");
        assertEquals(1, result.exit(), result.toString());
        assertTrue(result.err().contains("wrong password"), result.toString());
        Cli.Result unset = cli.run("key", "import", TestData.file("rfc9216/bob.p12").toString(),
                "--password-env", "SMIMEGW_TEST_SURELY_UNSET");
        assertEquals(1, unset.exit());
        assertTrue(unset.err().contains("SMIMEGW_TEST_SURELY_UNSET"), unset.toString());
    }

    @Test
    void refusesLegacyPbeThunderbirdPkcs12BecauseItsCertificateHasNoSan() throws Exception {
        Cli.Result result = cli.run("key", "import", TestData.file("thunderbird/smime/Alice.p12").toString(),
                "--password-file", password("nss").toString());
        assertEquals(1, result.exit(), result.toString());
        assertTrue(result.err().contains("Subject Alternative Name"), result.toString());
    }

    @Test
    void importsPemFileWithKeyAndCertificate() throws Exception {
        Path combined = cli.file("alice-sign.pem");
        Files.writeString(combined, Files.readString(TestData.file("rfc9216/alice.sign.key"))
                + Files.readString(TestData.file("rfc9216/alice.sign.crt")));
        Cli.Result result = cli.run("key", "import", combined.toString());
        assertEquals(0, result.exit(), result.toString());
    }

    @Test
    void importsPemKeyForAnAlreadyStoredCertificate() {
        assertEquals(0, cli.run("cert", "import", TestData.file("rfc9216/bob.encrypt.crt").toString()).exit());
        Cli.Result result = cli.run("key", "import", TestData.file("rfc9216/bob.decrypt.key").toString());
        assertEquals(0, result.exit(), result.toString());
    }

    @Test
    void aKeyWhoseStoredCertificateIsACaCertificateIsRefusedSayingSo() {
        // what `openssl req -x509` makes unless told otherwise: a self-signed certificate with CA:TRUE
        TestPki.Issued selfSigned = TestPki.client("helpdesk@org.example").ca().build();
        TestPki.writePem(cli.file("self.pem"), selfSigned.certificate());
        TestPki.writePem(cli.file("self.key"), selfSigned.key());
        assertTrue(cli.run("cert", "import", cli.file("self.pem").toString()).out().contains(" ca "));

        Cli.Result result = cli.run("key", "import", cli.file("self.key").toString());

        assertEquals(1, result.exit(), result.toString());
        assertTrue(result.err().contains("the certificate for the key (") && result.err().contains(") is a CA "
                + "certificate (Basic Constraints CA:TRUE); an organisation key needs a client certificate (CA:FALSE, "
                + "its address in the Subject Alternative Name)"), result.toString());
    }

    @Test
    void aCaCertificateInAKeyFileThatIsAlreadyStoredSaysSo() throws Exception {
        TestPki.Issued ca = TestPki.ca("Org CA");
        TestPki.Issued org = TestPki.client("helpdesk@org.example").issuedBy(ca).build();
        TestPki.writePem(cli.file("ca.pem"), ca.certificate());
        TestPki.writePem(cli.file("org.pem"), org.key(), org.certificate(), ca.certificate());
        assertEquals(0, cli.run("cert", "import", cli.file("ca.pem").toString()).exit());

        Cli.Result result = cli.run("key", "import", cli.file("org.pem").toString());

        assertEquals(0, result.exit(), result.toString());
        assertTrue(result.out().contains("\nalready stored " + Fingerprints.sha256(ca.certificate()) + " ca "),
                result.toString());
    }

    @Test
    void refusesPemKeyWithoutAnyMatchingCertificate() {
        Cli.Result result = cli.run("key", "import", TestData.file("rfc9216/bob.decrypt.key").toString());
        assertEquals(1, result.exit(), result.toString());
        assertTrue(result.err().contains("no certificate in the file or in the store matches"), result.toString());
    }

    @Test
    void importsEncryptedPkcs8KeyWithPasswordAndRefusesWrongOne() throws Exception {
        Path encrypted = cli.file("enc.key");
        new Openssl(dir).run("pkcs8", "-topk8", "-v2", "aes-256-cbc",
                "-in", TestData.file("rfc9216/alice.decrypt.key").toString(), "-out", encrypted.toString(),
                "-passout", "pass:s3cret").assertSuccess();
        Files.writeString(encrypted, Files.readString(encrypted)
                + Files.readString(TestData.file("rfc9216/alice.encrypt.crt")));
        Cli.Result noPassword = cli.run("key", "import", encrypted.toString());
        assertEquals(1, noPassword.exit());
        assertTrue(noPassword.err().contains("--password-env or --password-file"), noPassword.toString());
        Cli.Result wrong = cli.run("key", "import", encrypted.toString(), "--password-file", password("nope").toString());
        assertEquals(1, wrong.exit());
        assertTrue(wrong.err().contains("wrong password"), wrong.toString());
        Cli.Result right = cli.run("key", "import", encrypted.toString(), "--password-file",
                password("s3cret").toString());
        assertEquals(0, right.exit(), right.toString());
    }

    @Test
    void importsEcOrganisationKeyFromPkcs8Sec1AndPkcs12() throws Exception {
        TestPki.Issued ec = TestPki.client("ec@example.org").ec()
                .keyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement).build();
        TestPki.writePem(cli.file("ec.pem"), ec.certificate());
        TestPki.writePem(cli.file("ec.key"), ec.key());
        Openssl openssl = new Openssl(dir);
        openssl.run("ec", "-in", "ec.key", "-out", "ec-sec1.key").assertSuccess();
        openssl.run("pkcs12", "-export", "-in", "ec.pem", "-inkey", "ec.key", "-out", "ec.p12",
                "-passout", "pass:ec").assertSuccess();
        Files.writeString(cli.file("pkcs8.pem"), Files.readString(cli.file("ec.key"))
                + Files.readString(cli.file("ec.pem")));
        Files.writeString(cli.file("sec1.pem"), Files.readString(cli.file("ec-sec1.key"))
                + Files.readString(cli.file("ec.pem")));

        for (String[] args : new String[][] {{"pkcs8.pem"}, {"sec1.pem"},
            {"ec.p12", "--password-file", password("ec").toString()}}) {
            Cli.Result result = cli.run(concat(new String[] {"key", "import", cli.file(args[0]).toString()},
                    java.util.Arrays.copyOfRange(args, 1, args.length)));
            assertEquals(0, result.exit(), args[0] + ": " + result);
            assertTrue(result.out().contains(" client ec@example.org ") && result.out().contains(" key"), result.out());
            assertTrue(cli.run("key", "list").out().contains(" EC subject="), args[0]);
        }
    }

    private static String[] concat(String[] first, String[] second) {
        String[] all = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }

    @Test
    void importsPkcs12MadeWithAnEmptyPasswordWithOrWithoutAnEmptyPasswordFile() throws Exception {
        TestPki.Issued alice = TestPki.client("alice@example.org").build();
        TestPki.writePem(cli.file("alice.pem"), alice.certificate());
        TestPki.writePem(cli.file("alice.key"), alice.key());
        new Openssl(dir).run("pkcs12", "-export", "-in", "alice.pem", "-inkey", "alice.key", "-out", "empty.p12",
                "-passout", "pass:").assertSuccess();

        Cli.Result emptyFile = cli.run("key", "import", cli.file("empty.p12").toString(),
                "--password-file", password("").toString());
        assertEquals(0, emptyFile.exit(), emptyFile.toString());
        Cli.Result none = cli.run("key", "import", cli.file("empty.p12").toString());
        assertEquals(0, none.exit(), none.toString());
        assertEquals(1, cli.run("key", "list").out().lines().count());
    }

    @Test
    void refusesEd25519KeyOfRfc9216() throws Exception {
        Cli.Result result = cli.run("key", "import", TestData.file("rfc9216/carlos.p12").toString(),
                "--password-file", password("carlos").toString());
        assertEquals(1, result.exit(), result.toString());
        assertTrue(result.err().contains("neither RSA nor EC"), result.toString());
    }

    @Test
    void keyDeleteKeepsTheCertificate() throws Exception {
        cli.run("key", "import", TestData.file("rfc9216/bob.p12").toString(), "--password-file",
                password("bob").toString());
        String fp = cli.run("key", "list").out().lines().findFirst().orElseThrow().split(" ")[0];
        assertEquals(0, cli.run("key", "delete", fp).exit());
        assertFalse(cli.run("key", "list").out().contains(fp));
        assertTrue(cli.run("cert", "list").out().contains(fp));
        assertEquals(1, cli.run("key", "delete", fp).exit());
    }

    @Test
    void neverPrintsKeyMaterial() throws Exception {
        Cli.Result result = cli.run("key", "import", TestData.file("rfc9216/bob.p12").toString(),
                "--password-file", password("bob").toString());
        String all = result.out() + result.err() + cli.run("log", "--json").out()
                + cli.run("key", "list", "--json").out();
        java.security.KeyStore p12 = java.security.KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(TestData.file("rfc9216/bob.p12"))) {
            p12.load(in, "bob".toCharArray());
        }
        for (String alias : java.util.Collections.list(p12.aliases())) {
            if (p12.isKeyEntry(alias)) {
                byte[] pkcs8 = p12.getKey(alias, "bob".toCharArray()).getEncoded();
                String base64 = java.util.Base64.getEncoder().encodeToString(pkcs8);
                assertFalse(all.contains(base64.substring(40, 80)), "key material printed");
                assertFalse(all.contains(java.util.HexFormat.of().formatHex(pkcs8, 30, 60)), "key material printed");
            }
        }
        assertFalse(all.contains("PRIVATE KEY"));
    }
}
