package org.smimegw.core.cert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.core.testing.TestPki;

class CertificateFileReaderTest {
    @TempDir
    Path dir;

    private String pem(TestPki.Issued issued) throws Exception {
        return Files.readString(TestPki.writePem(dir.resolve("c.pem"), issued.certificate()));
    }

    private String refusal(String text) {
        return assertThrows(CertificateFileException.class,
                () -> CertificateFileReader.read(text.getBytes(StandardCharsets.US_ASCII))).getMessage();
    }

    @Test
    void readsEveryCertificateOfAPemBundle() throws Exception {
        TestPki.Issued first = TestPki.client("a@example.com").build();
        TestPki.Issued second = TestPki.client("b@example.com").build();

        assertEquals(List.of(first.certificate(), second.certificate()), CertificateFileReader.read(
                (pem(first) + pem(second)).getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void refusesPemWithABrokenBlockNamingTheBlockRatherThanQuotingTheParser() throws Exception {
        String broken = "-----BEGIN CERTIFICATE-----\nAAAAbroken\n-----END CERTIFICATE-----\n";
        String text = pem(TestPki.client("a@example.com").build()) + broken
                + pem(TestPki.client("b@example.com").build());

        assertEquals("malformed PEM: block 2 is not valid base64", refusal(text));
    }

    @Test
    void refusesPemBlockWhoseContentIsNotACertificate() throws Exception {
        String text = pem(TestPki.client("a@example.com").build())
                + "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";

        assertEquals("malformed PEM: block 2 of type \"CERTIFICATE\" cannot be decoded", refusal(text));
    }

    @Test
    void refusesPemBlockWithoutEndLine() throws Exception {
        String text = pem(TestPki.client("a@example.com").build()) + "-----BEGIN CERTIFICATE-----\nAAAA\n";

        assertEquals("malformed PEM: block 2 has no matching END line or a malformed BEGIN line", refusal(text));
    }
}
