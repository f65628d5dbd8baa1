package org.smimegw.smtp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.smimegw.core.cert.Fingerprints;
import org.smimegw.core.testing.Openssl;
import org.smimegw.core.testing.TestPki;

/**
 * {@code key export}, judged from outside: what openssl reads in the file, a restore into another store that then
 * signs, the audit log, and every refusal as one line that leaves no file behind.
 */
class KeyExportTest {
    private static final String ORG = "helpdesk@org.example";
    private static final String PROTECTION = "(PKCS#12: AES-256-CBC, PBKDF2-HMAC-SHA256, SHA-256 MAC)";
    /** Both bags as openssl 3 describes them, with the iteration count the gateway writes. */
    private static final String PBES2 = "PBES2, PBKDF2, AES-256-CBC, Iteration 600000, PRF hmacWithSHA256";

    @TempDir
    Path dir;
    Cli cli;
    Openssl openssl;
    TestPki.Issued root;
    TestPki.Issued intermediate;
    /** The identity {@link #identity} imported last. */
    TestPki.Issued org;

    @BeforeEach
    void setUp() {
        cli = new Cli(dir, TestPki.NOW);
        openssl = new Openssl(dir);
        root = TestPki.ca("Org Root CA");
        intermediate = TestPki.certificate().subject("Org Mail CA", null).ca().issuedBy(root).build();
        TestPki.writePem(cli.file("root.pem"), root.certificate());
        TestPki.writePem(cli.file("chain.pem"), root.certificate(), intermediate.certificate());
        assertEquals(0, cli.run("cert", "import", cli.file("chain.pem").toString()).exit());
    }

    /** Imports an organisation identity issued by the intermediate CA; returns its fingerprint. */
    private String identity(String algorithm) {
        TestPki.Builder builder = TestPki.client(ORG).issuedBy(intermediate);
        if ("EC".equals(algorithm)) {
            builder.ec().keyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement);
        }
        org = builder.build();
        TestPki.writePem(cli.file("org-key.pem"), org.key(), org.certificate());
        TestPki.writePem(cli.file("org.pem"), org.certificate());
        Cli.Result imported = cli.run("key", "import", cli.file("org-key.pem").toString());
        assertEquals(0, imported.exit(), imported.toString());
        return Fingerprints.sha256(org.certificate());
    }

    private Path password(String value) throws Exception {
        return Files.writeString(cli.file("password.txt"), value + "\n", StandardCharsets.UTF_8);
    }

    private Cli.Result export(String fingerprint, String... more) {
        List<String> args = new ArrayList<>(List.of("key", "export", fingerprint));
        args.addAll(List.of(more));
        return cli.run(args.toArray(String[]::new));
    }

    /** A refusal: exit 1, one line on stderr naming {@code expected}, nothing on stdout. */
    private static void assertRefused(Cli.Result result, String expected) {
        assertEquals(1, result.exit(), result.toString());
        assertEquals("", result.out(), result.toString());
        assertEquals(1, result.err().lines().count(), result.toString());
        assertTrue(result.err().startsWith("smime-gateway: ") && result.err().contains(expected), result.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"RSA", "EC"})
    void writesAFileOpensslOpensWithModernProtectionAndTheWholeChain(String algorithm) throws Exception {
        String fp = identity(algorithm);
        // a password beyond ASCII: openssl must derive the same keys from its UTF-8 bytes
        Path passwordFile = password("Grüße aus Zürich ✓");
        Path out = cli.file("org.p12");

        Cli.Result result = export(fp.substring(0, 12), "--password-file", passwordFile.toString(),
                "--out", out.toString());

        assertEquals(0, result.exit(), result.toString());
        assertEquals("exported " + fp + " " + ORG + " to " + out + " " + PROTECTION + "\n", result.out());
        assertEquals("", result.err());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));

        Openssl.Result info = openssl.run("pkcs12", "-in", "org.p12", "-info", "-noout",
                "-passin", "file:password.txt").assertSuccess();
        List<String> lines = (info.stdout() + info.stderr()).lines().toList();
        assertTrue(lines.contains("MAC: sha256, Iteration 600000"), lines.toString());
        assertTrue(lines.contains("PKCS7 Encrypted data: " + PBES2), lines.toString());
        assertTrue(lines.contains("Shrouded Keybag: " + PBES2), lines.toString());
        assertEquals(3, lines.stream().filter("Certificate bag"::equals).count(), lines.toString());

        openssl.run("pkcs12", "-in", "org.p12", "-nodes", "-out", "restored.pem",
                "-passin", "file:password.txt").assertSuccess();
        String restored = Files.readString(cli.file("restored.pem"));
        assertTrue(restored.contains("friendlyName: " + ORG), restored);
        assertEquals(3, restored.split("-----BEGIN CERTIFICATE-----", -1).length - 1, restored);
        String keyPublic = openssl.run("pkey", "-in", "restored.pem", "-pubout").assertSuccess().stdout();
        String certificatePublic = openssl.run("x509", "-in", "org.pem", "-pubkey", "-noout").assertSuccess()
                .stdout();
        assertTrue(keyPublic.startsWith("-----BEGIN PUBLIC KEY-----"), keyPublic);
        assertEquals(certificatePublic, keyPublic);
        openssl.run("verify", "-CAfile", "root.pem", "-untrusted", "restored.pem", "org.pem").assertSuccess();
    }

    @ParameterizedTest
    @ValueSource(strings = {"RSA", "EC"})
    void restoresIntoAFreshStoreThatSignsWithTheIdentity(String algorithm) throws Exception {
        String fp = identity(algorithm);
        // HOME is set in every environment, here and for openssl, and is certainly not empty
        assertEquals(0, export(fp, "--password-env", "HOME", "--out", cli.file("org.p12").toString()).exit());
        Cli node2 = new Cli(Files.createDirectories(dir.resolve("node2")), TestPki.NOW);

        Cli.Result imported = node2.run("key", "import", cli.file("org.p12").toString(), "--password-env", "HOME");

        assertEquals(0, imported.exit(), imported.toString());
        List<String> lines = imported.out().lines().toList();
        assertTrue(lines.get(0).startsWith("imported " + fp + " client " + ORG + " ") && lines.get(0).endsWith(" key"),
                imported.toString());
        for (TestPki.Issued ca : List.of(root, intermediate)) {
            assertTrue(lines.contains("imported " + Fingerprints.sha256(ca.certificate()) + " ca - notAfter="
                    + ca.certificate().getNotAfter().toInstant()), imported.toString());
        }
        assertTrue(node2.run("key", "list").out().startsWith(fp + " client " + ORG + " "));

        Files.writeString(node2.file("in.eml"), "From: Help Desk <" + ORG + ">\r\nTo: bob@example.com\r\n"
                + "Subject: restored\r\nMessage-ID: <restored@org.example>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\n\r\nSigned on the second node.\r\n");
        Cli.Result signed = node2.run("process", "--direction", "outbound", "--in", node2.file("in.eml").toString(),
                "--out", node2.file("out.eml").toString());
        assertEquals(0, signed.exit(), signed.toString());
        // only the root is given: the intermediate must come from the signature, as the restored store had it
        openssl.run("cms", "-verify", "-in", "node2/out.eml", "-CAfile", "root.pem", "-purpose", "any",
                "-signer", "signer.pem", "-out", "content.txt").assertSuccess();
        assertEquals(Files.readString(cli.file("org.pem")), Files.readString(cli.file("signer.pem")));
        assertTrue(Files.readString(cli.file("content.txt")).contains("Signed on the second node."));
    }

    @Test
    void eachExportAndARefusalOfAKnownIdentityAreAudited() throws Exception {
        String fp = identity("RSA");
        Path out = cli.file("org.p12");
        assertEquals(0, export(fp, "--password-file", password("s3cret").toString(), "--out", out.toString())
                .exit());
        assertEquals(1, export(fp, "--password-file", password("s3cret").toString(), "--out", out.toString())
                .exit());

        List<String> log = cli.run("log", "--json").out().lines().toList();

        assertTrue(log.get(0).contains("\"action\":\"key.export\",\"subject\":\"" + fp + "\",\"decision\":"
                + "\"refused\",\"detail\":\"" + out + ": " + out + " already exists; name a new file (none is ever "
                + "overwritten)\""), log.get(0));
        assertTrue(log.get(1).contains("\"action\":\"key.export\",\"subject\":\"" + fp + "\",\"decision\":"
                + "\"exported\",\"detail\":\"" + out + "\""), log.get(1));
        assertEquals(TestPki.NOW + " key.export " + fp + " exported " + out,
                cli.run("log", "--limit", "2").out().lines().toList().get(1));
    }

    @Test
    void refusesWithoutAPasswordNamingTheOptions() {
        String fp = identity("RSA");

        Cli.Result result = export(fp, "--out", cli.file("org.p12").toString());

        assertRefused(result, "key export needs a password for the file: give --password-env VAR or "
                + "--password-file F");
        assertFalse(Files.exists(cli.file("org.p12")));
    }

    @Test
    void refusesAnEmptyPasswordNamingTheOption() throws Exception {
        String fp = identity("RSA");
        Path empty = password("");

        Cli.Result result = export(fp, "--password-file", empty.toString(), "--out", cli.file("org.p12").toString());

        assertRefused(result, "the first line of password file " + empty + " (--password-file) is empty; key export "
                + "needs a password");
        assertFalse(Files.exists(cli.file("org.p12")));
    }

    @Test
    void refusesAnUnknownFingerprintAndAnAmbiguousPrefixAsCertShowDoes() throws Exception {
        identity("RSA");
        Path passwordFile = password("s3cret");
        String unknown = "ab".repeat(32);

        Cli.Result result = export(unknown, "--password-file", passwordFile.toString(),
                "--out", cli.file("org.p12").toString());

        assertRefused(result, "no certificate with fingerprint " + unknown);
        assertEquals(cli.run("cert", "show", unknown).err(), result.err());
        // sixteen hex digits can begin a fingerprint, so seventeen certificates share a first digit at the latest
        String shared = null;
        for (int i = 0; shared == null; i++) {
            TestPki.writePem(cli.file("ca" + i + ".pem"), TestPki.ca("Other CA " + i).certificate());
            assertEquals(0, cli.run("cert", "import", cli.file("ca" + i + ".pem").toString()).exit());
            shared = sharedFirstDigit(cli.run("cert", "list").out().lines().map(l -> l.substring(0, 1)).toList());
        }
        Cli.Result ambiguous = export(shared, "--password-file", passwordFile.toString(),
                "--out", cli.file("org.p12").toString());
        assertRefused(ambiguous, "fingerprint prefix " + shared + " matches ");
        assertRefused(ambiguous, " certificates; give more digits");
        assertFalse(Files.exists(cli.file("org.p12")));
    }

    private static String sharedFirstDigit(List<String> digits) {
        return digits.stream().filter(d -> digits.indexOf(d) != digits.lastIndexOf(d)).findFirst().orElse(null);
    }

    @Test
    void refusesACertificateWithoutAPrivateKey() throws Exception {
        identity("RSA");
        String ca = Fingerprints.sha256(intermediate.certificate());

        Cli.Result result = export(ca, "--password-file", password("s3cret").toString(),
                "--out", cli.file("org.p12").toString());

        assertRefused(result, "certificate " + ca + " has no private key; key list shows the identities that have "
                + "one");
        assertFalse(Files.exists(cli.file("org.p12")));
    }

    @Test
    void neverOverwritesAFileNorFollowsALinkThere() throws Exception {
        String fp = identity("RSA");
        Path out = Files.writeString(cli.file("org.p12"), "an older backup");
        Path passwordFile = password("s3cret");

        Cli.Result result = export(fp, "--password-file", passwordFile.toString(), "--out", out.toString());

        assertRefused(result, out + " already exists; name a new file (none is ever overwritten)");
        assertEquals("an older backup", Files.readString(out));
        Path link = Files.createSymbolicLink(cli.file("link.p12"), cli.file("nowhere.p12"));
        assertRefused(export(fp, "--password-file", passwordFile.toString(), "--out", link.toString()),
                link + " already exists; name a new file (none is ever overwritten)");
        assertFalse(Files.exists(cli.file("nowhere.p12")));
        assertRefused(export(fp, "--password-file", passwordFile.toString(), "--out", dir.toString()),
                dir + " already exists");
    }

    @Test
    void anUnwritablePathIsOneLineNamingIt() throws Exception {
        String fp = identity("RSA");
        Path passwordFile = password("s3cret");
        Path missing = dir.resolve("missing/org.p12");
        Path underAFile = dir.resolve("password.txt/org.p12");

        assertRefused(export(fp, "--password-file", passwordFile.toString(), "--out", missing.toString()),
                "cannot write " + missing + ": directory " + missing.getParent() + " does not exist");
        assertRefused(export(fp, "--password-file", passwordFile.toString(), "--out", underAFile.toString()),
                "cannot write " + underAFile + ": " + underAFile.getParent() + " is not a directory");
        assertFalse(Files.exists(dir.resolve("missing")));
    }

    @Test
    void printsNeitherThePasswordNorTheKey() throws Exception {
        String fp = identity("RSA");
        String secret = "correct-horse-battery-staple";
        Path passwordFile = password(secret);
        String[] options = {"--password-file", passwordFile.toString(), "--out", cli.file("org.p12").toString()};

        // the second export is refused (the file exists), so both outcomes and their audit events are looked at
        String all = export(fp, options).toString() + export(fp, options) + cli.run("log", "--json").out()
                + cli.run("log").out();

        assertTrue(all.contains("exported " + fp) && all.contains("already exists"), all);
        assertFalse(all.contains(secret), all);
        byte[] pkcs8 = org.key().getEncoded();
        assertFalse(all.contains(Base64.getEncoder().encodeToString(pkcs8).substring(40, 80)), "key material printed");
        assertFalse(all.contains(HexFormat.of().formatHex(pkcs8, 30, 60)), "key material printed");
        assertFalse(all.contains("PRIVATE KEY"), all);
    }
}
