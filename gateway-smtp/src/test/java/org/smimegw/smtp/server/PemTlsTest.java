package org.smimegw.smtp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.smimegw.core.testing.Openssl;
import org.smimegw.core.testing.TestPki;
import org.smimegw.smtp.config.ConfigException;

class PemTlsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"false,PKCS8", "false,TRADITIONAL", "true,PKCS8", "true,TRADITIONAL"})
    void loadsRsaAndEcKeysInPkcs8AndTraditionalPem(boolean ec, TestTls.KeyFormat format) throws Exception {
        TestTls tls = TestTls.create(dir, ec, format);
        String pem = Files.readString(tls.keyFile());
        assertTrue(pem.contains(format == TestTls.KeyFormat.PKCS8 ? "BEGIN PRIVATE KEY"
                : ec ? "BEGIN EC PRIVATE KEY" : "BEGIN RSA PRIVATE KEY"), pem.lines().findFirst().orElse(""));
        assertNotNull(PemTls.context(tls.certificateFile(), tls.keyFile()));
    }

    @ParameterizedTest
    @CsvSource({"ecparam -name prime256v1 -genkey -noout -out key.pem, EC PRIVATE KEY",
        "genrsa -traditional -out key.pem 2048, RSA PRIVATE KEY",
        "genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out key.pem, BEGIN PRIVATE KEY"})
    void loadsKeysAndCertificatesWrittenByOpenssl(String generate, String marker) throws Exception {
        Openssl openssl = new Openssl(dir);
        openssl.run(generate.split(" ")).assertSuccess();
        openssl.run("req", "-new", "-x509", "-key", "key.pem", "-subj", "/CN=localhost", "-days", "2",
                "-out", "cert.pem").assertSuccess();
        assertTrue(Files.readString(dir.resolve("key.pem")).contains(marker));
        assertNotNull(PemTls.context(dir.resolve("cert.pem"), dir.resolve("key.pem")));
    }

    @Test
    void refusesAKeyThatBelongsToAnotherCertificate() {
        TestTls tls = TestTls.rsa(dir);
        Path otherKey = TestPki.writePem(dir.resolve("other.pem"), TestPki.freshRsaKeyPair().getPrivate());
        ConfigException e = assertThrows(ConfigException.class,
                () -> PemTls.context(tls.certificateFile(), otherKey));
        assertEquals("smtp.tls.key: " + otherKey + " does not belong to any certificate in " + tls.certificateFile(),
                e.getMessage());
    }

    @Test
    void namesTheKeyAndFileWhenAFileIsMissingOrNotPem() throws Exception {
        TestTls tls = TestTls.rsa(dir);
        Path missing = dir.resolve("missing.pem");
        assertEquals("smtp.tls.certificate: " + missing + " not found", assertThrows(ConfigException.class,
                () -> PemTls.context(missing, tls.keyFile())).getMessage());
        assertEquals("smtp.tls.key: " + missing + " not found", assertThrows(ConfigException.class,
                () -> PemTls.context(tls.certificateFile(), missing)).getMessage());
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate");
        assertTrue(assertThrows(ConfigException.class, () -> PemTls.context(garbage, tls.keyFile())).getMessage()
                .startsWith("smtp.tls.certificate: " + garbage + ": "));
        assertTrue(assertThrows(ConfigException.class, () -> PemTls.context(tls.certificateFile(), garbage))
                .getMessage().startsWith("smtp.tls.key: " + garbage + ": "));
    }
}
