package org.smimegw.smtp.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.core.cert.Fingerprints;
import org.smimegw.core.port.PendingKeys;
import org.smimegw.core.testing.MutableClock;
import org.smimegw.core.testing.Openssl;
import org.smimegw.core.testing.TestPki;

/**
 * The organisation's key pair made on the admin page (docs/design.md §14): the request form, the request's page and
 * download (checked by openssl), the upload of the issued certificate, and the refusals.
 */
class AdminKeyRequestTest {
    private static final String ORG = "helpdesk@org.example";

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(TestPki.NOW);
    private AdminFixture fixture;
    private AdminClient client;

    @BeforeEach
    void start() {
        fixture = new AdminFixture(dir, clock, true, Map.of());
        client = fixture.client();
        client.loginOk(AdminFixture.USER, AdminFixture.PASSWORD);
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    private PendingKeys.Pending onlyPending() {
        List<PendingKeys.Pending> pending = fixture.gateway.admin().pending();
        assertEquals(1, pending.size(), pending.toString());
        return pending.get(0);
    }

    @Test
    void theFormMakesAPendingRequestWhosePemOpensslVerifiesAndTheIssuedCertificateCompletesIt() throws Exception {
        HttpResponse<String> posted = client.postWithCsrf(KeysPage.REQUEST, Map.of("email", ORG, "algorithm",
                "ec-p256", "subject", ""));
        PendingKeys.Pending pending = onlyPending();
        assertEquals(303, posted.statusCode());
        assertEquals(Optional.of("/keys/request?id=" + pending.id()), posted.headers().firstValue("Location"));

        HttpResponse<String> page = client.follow(posted);
        assertTrue(page.body().contains("requested " + pending.id() + " " + ORG + " ec-p256"), page.body());
        assertTrue(page.body().contains("-----BEGIN CERTIFICATE REQUEST-----"), page.body());
        HttpResponse<String> download = client.get("/keys/request.pem?id=" + pending.id());
        assertEquals(200, download.statusCode());
        assertEquals(Optional.of("attachment; filename=\"" + ORG + "-request.pem\""),
                download.headers().firstValue("Content-Disposition"));
        assertFalse(download.body().contains("PRIVATE"), "the private key never leaves");
        Files.writeString(dir.resolve("request.pem"), download.body());
        String text = new Openssl(dir).run("req", "-in", "request.pem", "-verify", "-noout", "-text").assertSuccess()
                .stdout();
        assertTrue(text.contains("email:" + ORG) && text.contains("Key Agreement"), text);

        // the CA issues a certificate for the request's key
        PKCS10CertificationRequest request;
        try (PEMParser parser = new PEMParser(new StringReader(download.body()))) {
            request = (PKCS10CertificationRequest) parser.readObject();
        }
        PublicKey publicKey = new JcaPKCS10CertificationRequest(request).getPublicKey();
        TestPki.Issued ca = TestPki.ca("Org Issuing CA");
        TestPki.Issued issued = TestPki.client(ORG).keyPair(new KeyPair(publicKey, null)).issuedBy(ca).build();
        byte[] chain = Files.readAllBytes(TestPki.writePem(dir.resolve("issued.pem"), issued.certificate(),
                ca.certificate()));

        HttpResponse<String> completed = client.follow(client.upload(KeysPage.COMPLETE, Map.of(),
                new AdminClient.FilePart("file", "issued.pem", chain), true));

        assertTrue(completed.body().contains("key (completes the request " + pending.id().substring(0, 16)),
                completed.body());
        assertTrue(fixture.gateway.admin().pending().isEmpty());
        assertTrue(fixture.gateway.keys().find(Fingerprints.sha256(issued.certificate())).isPresent());
    }

    @Test
    void aContactCertificateUploadedAsAnIssuedOneIsRefusedAndNothingIsStored() throws Exception {
        client.postWithCsrf(KeysPage.REQUEST, Map.of("email", ORG, "algorithm", "rsa-2048"));
        TestPki.Issued contact = TestPki.client("alice@partner.example").issuedBy(TestPki.ca("Partner CA")).build();
        byte[] pem = Files.readAllBytes(TestPki.writePem(dir.resolve("alice.pem"), contact.certificate()));

        HttpResponse<String> page = client.follow(client.upload(KeysPage.COMPLETE, Map.of(),
                new AdminClient.FilePart("file", "alice.pem", pem), true));

        assertTrue(page.body().contains("its key is not that of a pending request"), page.body());
        assertTrue(fixture.gateway.certificates().all().isEmpty());
        onlyPending();
    }

    @Test
    void badInputIsRefusedOnTheKeysPageAndKeepsNothing() {
        HttpResponse<String> algorithm = client.follow(client.postWithCsrf(KeysPage.REQUEST, Map.of("email", ORG,
                "algorithm", "dsa-1024")));
        assertTrue(algorithm.body().contains("--algorithm: &#39;dsa-1024&#39; is not rsa-3072"), algorithm.body());
        HttpResponse<String> subject = client.follow(client.postWithCsrf(KeysPage.REQUEST, Map.of("email", ORG,
                "algorithm", "rsa-2048", "subject", "<script>")));
        assertTrue(subject.body().contains("--subject: &#39;&lt;script&gt;&#39; is not a distinguished name"),
                subject.body());
        HttpResponse<String> email = client.follow(client.postWithCsrf(KeysPage.REQUEST, Map.of("email", "nobody",
                "algorithm", "rsa-2048")));
        assertTrue(email.body().contains("is not an e-mail address"), email.body());
        assertTrue(fixture.gateway.admin().pending().isEmpty());
        assertEquals(404, client.get("/keys/request?id=00ff").statusCode());
        assertEquals(404, client.get("/keys/request.pem?id=%3Cscript%3E").statusCode());
    }

    @Test
    void aPendingRequestIsDeletedAfterItsConfirmation() {
        client.postWithCsrf(KeysPage.REQUEST, Map.of("email", ORG, "algorithm", "ec-p256"));
        String id = onlyPending().id();
        assertTrue(client.get(KeysPage.PATH).body().contains("Pending requests"));
        String token = client.confirmation("/keys/delete?fingerprint=" + id);

        HttpResponse<String> deleted = client.follow(client.postWithCsrf(KeysPage.DELETE, Map.of("fingerprint", id,
                "confirmation", token)));

        assertTrue(deleted.body().contains("deleted pending request " + id), deleted.body());
        assertTrue(fixture.gateway.admin().pending().isEmpty());
    }
}
