package org.smimegw.core.revocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.core.cert.Fingerprints;
import org.smimegw.core.testing.RevocationPki;
import org.smimegw.core.testing.InMemoryRevocationStore;
import org.smimegw.core.testing.TestPki;

/**
 * {@code openssl ocsp} as the OCSP responder, an implementation independent of ours, answering from its own index
 * file. It signs with the real time, so this test judges at the real time, with certificates made valid around it.
 */
class OpensslOcspResponderTest {
    static final DateTimeFormatter INDEX_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    @TempDir
    Path dir;
    final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    final InMemoryRevocationStore store = new InMemoryRevocationStore();
    final Clock clock = Clock.systemUTC();
    final RevocationChecker checker = new RevocationChecker(store, new RevocationSettings(RevocationMode.SOFT, true,
            Duration.ofSeconds(20), RevocationSettings.DEFAULT_MAX_CRL_BYTES), clock);
    TestPki.Issued ca;
    Process responder;
    int port;

    @BeforeEach
    void makeCa() {
        ca = TestPki.certificate().subject("Openssl OCSP CA", null).ca().valid(now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(1))).build();
        TestPki.writePem(dir.resolve("ca.pem"), ca.certificate());
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterEach
    void stopResponder() throws InterruptedException {
        if (responder != null) {
            responder.destroy();
            if (!responder.waitFor(10, TimeUnit.SECONDS)) {
                responder.destroyForcibly();
            }
        }
    }

    private String url() {
        return "http://127.0.0.1:" + port + "/";
    }

    private TestPki.Issued client(String email) {
        return RevocationPki.client(ca, email, url(), null);
    }

    private TestPki.Issued responderCertificate(boolean withEku) {
        TestPki.Builder builder = TestPki.certificate().subject(withEku ? "Openssl Responder" : "Responder no EKU",
                null).keyUsage(KeyUsage.digitalSignature).issuedBy(ca)
                .valid(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1)));
        return builder.eku(withEku ? new KeyPurposeId[] {KeyPurposeId.id_kp_OCSPSigning} : null).build();
    }

    /** One line of openssl's CA database: V(alid) or R(evoked), expiry, revocation time, serial, file, subject. */
    private static String indexLine(TestPki.Issued certificate, Instant revokedAt) {
        String serial = certificate.certificate().getSerialNumber().toString(16).toUpperCase();
        return String.join("\t", revokedAt == null ? "V" : "R",
                INDEX_TIME.format(certificate.certificate().getNotAfter().toInstant()),
                revokedAt == null ? "" : INDEX_TIME.format(revokedAt), serial.length() % 2 == 0 ? serial : "0" + serial,
                "unknown", "/" + certificate.certificate().getSubjectX500Principal().getName().replace(",", "/"))
                + "\n";
    }

    /** Starts {@code openssl ocsp} signing with the certificate, and waits until it accepts connections. */
    private void startResponder(TestPki.Issued signer, String index) throws Exception {
        Files.writeString(dir.resolve("index.txt"), index);
        TestPki.writePem(dir.resolve("rsigner.pem"), signer.certificate());
        TestPki.writePem(dir.resolve("rkey.pem"), signer.key());
        responder = new ProcessBuilder(List.of("openssl", "ocsp", "-index", "index.txt", "-port",
                Integer.toString(port), "-rsigner", "rsigner.pem", "-rkey", "rkey.pem", "-CA", "ca.pem",
                "-nmin", "10", "-ignore_err")).directory(dir.toFile()).redirectErrorStream(true).start();
        CompletableFuture<String> accepting = new CompletableFuture<>();
        Thread drain = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(responder.getInputStream(),
                    StandardCharsets.UTF_8))) {
                StringBuilder seen = new StringBuilder();
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    seen.append(line).append('\n');
                    if (line.startsWith("ACCEPT")) {
                        accepting.complete(line);
                    }
                }
                accepting.completeExceptionally(new AssertionError("openssl ocsp ended: " + seen));
            } catch (IOException e) {
                accepting.completeExceptionally(e);
            }
        }, "openssl-ocsp-output");
        drain.setDaemon(true);
        drain.start();
        assertTrue(accepting.get(30, TimeUnit.SECONDS).contains(":" + port));
    }

    @Test
    void opensslResponderWithDelegatedCertificateSaysGoodAndRevoked() throws Exception {
        TestPki.Issued good = client("good@example.org");
        TestPki.Issued revoked = client("revoked@example.org");
        Instant revokedAt = now.minus(Duration.ofHours(1));
        startResponder(responderCertificate(true), indexLine(good, null) + indexLine(revoked, revokedAt));

        RevocationCheck check = checker.begin(clock.instant());
        assertEquals(new RevocationStatus.Good("OCSP responder " + url()),
                check.status(good.certificate(), ca.certificate()));
        assertEquals(new RevocationStatus.Revoked(revokedAt, "OCSP responder " + url()),
                check.status(revoked.certificate(), ca.certificate()));
        OcspAnswer saved = store.ocsp(Fingerprints.sha256(revoked.certificate())).orElseThrow();
        assertTrue(saved.revoked());
        assertTrue(saved.nextUpdate().isAfter(saved.thisUpdate()));
        assertTrue(check.notes().isEmpty());
    }

    @Test
    void opensslResponderSaysUnknownForACertificateNotInItsIndex() throws Exception {
        TestPki.Issued listed = client("listed@example.org");
        TestPki.Issued stranger = client("stranger@example.org");
        startResponder(ca, indexLine(listed, null));
        RevocationCheck check = checker.begin(clock.instant());
        assertEquals(new RevocationStatus.Good("OCSP responder " + url()),
                check.status(listed.certificate(), ca.certificate()));
        assertEquals("OCSP responder " + url() + " does not know the certificate (status unknown)",
                assertInstanceOf(RevocationStatus.Unknown.class, check.status(stranger.certificate(),
                        ca.certificate())).why());
    }

    @Test
    void opensslResponderSigningWithACertificateWithoutOcspSigningIsNotBelieved() throws Exception {
        TestPki.Issued good = client("good@example.org");
        startResponder(responderCertificate(false), indexLine(good, null));
        assertEquals("OCSP responder " + url() + " sent a response signed by CN=Responder no EKU, which the CA"
                + " issued without Extended Key Usage id-kp-OCSPSigning",
                assertInstanceOf(RevocationStatus.Unknown.class, checker.begin(clock.instant())
                        .status(good.certificate(), ca.certificate())).why());
    }
}
