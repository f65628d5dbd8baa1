package org.smimegw.core.revocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.core.testing.RevocationPki;
import org.smimegw.core.testing.InMemoryRevocationStore;
import org.smimegw.core.testing.Openssl;
import org.smimegw.core.testing.TestPki;

/**
 * {@code openssl verify -crl_check} and {@code openssl ca -gencrl} as an independent CRL implementation: for every
 * certificate and CRL made here, openssl and the checker agree. (They differ on purpose in one case not tested here:
 * openssl counts a listed certificate as revoked whatever its revocation date, the checker only from that date.)
 */
class OpensslCrlAgreementTest {
    static final TestPki.Issued CA = TestPki.ca("Agreement CA");
    static final TestPki.Issued GOOD = TestPki.client("good@example.org").issuedBy(CA).build();
    static final TestPki.Issued REVOKED = TestPki.client("revoked@example.org").issuedBy(CA).build();
    static final Instant REVOKED_AT = TestPki.NOW.minus(Duration.ofDays(3));
    static final DateTimeFormatter OPENSSL_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    @TempDir
    Path dir;
    Openssl openssl;
    final InMemoryRevocationStore store = new InMemoryRevocationStore();
    final RevocationChecker checker = new RevocationChecker(store, RevocationSettings.DEFAULTS,
            Clock.fixed(TestPki.NOW, ZoneOffset.UTC));

    @BeforeEach
    void writeCertificates() {
        openssl = new Openssl(dir);
        TestPki.writePem(dir.resolve("ca.pem"), CA.certificate());
        TestPki.writePem(dir.resolve("good.pem"), GOOD.certificate());
        TestPki.writePem(dir.resolve("revoked.pem"), REVOKED.certificate());
    }

    private void importCrl(byte[] crl, Instant at) throws Exception {
        store.saveCrl(CrlVerifier.verify(crl, "imported", List.of(CA.certificate()), at,
                RevocationSettings.DEFAULT_MAX_CRL_BYTES));
    }

    private Openssl.Result opensslVerify(String certificate, String crlFile) throws Exception {
        return openssl.run("verify", "-crl_check", "-CAfile", "ca.pem", "-CRLfile", crlFile, "-attime",
                Long.toString(TestPki.NOW.getEpochSecond()), certificate);
    }

    private RevocationStatus checked(TestPki.Issued certificate) {
        return checker.stored(TestPki.NOW).status(certificate.certificate(), CA.certificate());
    }

    @Test
    void opensslAndTheCheckerAgreeOnGoodAndRevokedCertificates() throws Exception {
        byte[] crl = RevocationPki.crl(CA).revoke(REVOKED.certificate(), REVOKED_AT).der();
        Files.write(dir.resolve("crl.der"), crl);
        openssl.run("crl", "-inform", "DER", "-in", "crl.der", "-out", "crl.pem").assertSuccess();
        importCrl(Files.readAllBytes(dir.resolve("crl.pem")), TestPki.NOW);

        Openssl.Result good = opensslVerify("good.pem", "crl.pem");
        assertEquals(0, good.exitCode(), good.stderr() + good.stdout());
        assertInstanceOf(RevocationStatus.Good.class, checked(GOOD));

        Openssl.Result revoked = opensslVerify("revoked.pem", "crl.pem");
        assertEquals(2, revoked.exitCode(), revoked.stderr() + revoked.stdout());
        assertTrue((revoked.stderr() + revoked.stdout()).contains("certificate revoked"), revoked.stderr());
        assertEquals(REVOKED_AT, assertInstanceOf(RevocationStatus.Revoked.class, checked(REVOKED)).revokedAt());
    }

    @Test
    void expiredCrlFailsInOpensslAndIsUnknownToTheChecker() throws Exception {
        Instant nextUpdate = TestPki.NOW.minusSeconds(60);
        byte[] crl = RevocationPki.crl(CA).updates(TestPki.NOW.minus(Duration.ofDays(8)), nextUpdate).der();
        Files.write(dir.resolve("expired.der"), crl);
        openssl.run("crl", "-inform", "DER", "-in", "expired.der", "-out", "expired.pem").assertSuccess();
        importCrl(crl, TestPki.NOW.minus(Duration.ofDays(7)));

        for (TestPki.Issued certificate : List.of(GOOD, REVOKED)) {
            String file = certificate == GOOD ? "good.pem" : "revoked.pem";
            Openssl.Result result = opensslVerify(file, "expired.pem");
            assertEquals(2, result.exitCode(), result.stderr() + result.stdout());
            assertTrue((result.stderr() + result.stdout()).contains("CRL has expired"), result.stderr());
            assertEquals("the stored CRL of CN=Agreement CA expired on " + nextUpdate,
                    assertInstanceOf(RevocationStatus.Unknown.class, checked(certificate)).why());
        }
    }

    @Test
    void crlMadeByOpensslCaIsImportedAndAgreesWithOpensslVerify() throws Exception {
        TestPki.writePem(dir.resolve("ca.key"), CA.key());
        String serial = REVOKED.certificate().getSerialNumber().toString(16).toUpperCase();
        Files.writeString(dir.resolve("index.txt"), String.join("\t", "R",
                OPENSSL_TIME.format(REVOKED.certificate().getNotAfter().toInstant()).substring(2),
                OPENSSL_TIME.format(REVOKED_AT).substring(2), serial.length() % 2 == 0 ? serial : "0" + serial,
                "unknown", "/CN=revoked@example.org") + "\n");
        Files.writeString(dir.resolve("ca.cnf"), "[ca]\ndefault_ca = gateway_test\n[gateway_test]\n"
                + "database = index.txt\ndefault_md = sha256\n");
        openssl.run("ca", "-gencrl", "-config", "ca.cnf", "-cert", "ca.pem", "-keyfile", "ca.key",
                "-crl_lastupdate", OPENSSL_TIME.format(TestPki.NOW.minusSeconds(3600)),
                "-crl_nextupdate", OPENSSL_TIME.format(TestPki.NOW.plus(Duration.ofDays(7))),
                "-out", "openssl-crl.pem").assertSuccess();
        importCrl(Files.readAllBytes(dir.resolve("openssl-crl.pem")), TestPki.NOW);

        assertEquals(0, opensslVerify("good.pem", "openssl-crl.pem").exitCode());
        assertInstanceOf(RevocationStatus.Good.class, checked(GOOD));
        assertEquals(2, opensslVerify("revoked.pem", "openssl-crl.pem").exitCode());
        assertEquals(REVOKED_AT, assertInstanceOf(RevocationStatus.Revoked.class, checked(REVOKED)).revokedAt());
    }
}
