package org.smimegw.smtp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
