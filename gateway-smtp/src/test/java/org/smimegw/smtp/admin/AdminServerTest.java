package org.smimegw.smtp.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.core.mime.Bytes;
import org.smimegw.core.queue.Direction;
import org.smimegw.core.queue.QueueIds;
import org.smimegw.core.queue.QueueState;
import org.smimegw.core.testing.TestPki;
import org.smimegw.smtp.Gateway;
import org.smimegw.smtp.config.AdminSettings;
import org.smimegw.smtp.config.ConfigException;
import org.smimegw.smtp.config.GatewayConfig;
import org.smimegw.smtp.config.HostPort;
import org.smimegw.core.cert.CertificateKind;
import org.smimegw.core.cert.CertificateSource;
import org.smimegw.core.testing.MutableClock;

/** The admin page over HTTP against an in-process gateway: login, sessions, CSRF, uploads, escaping, secrecy. */
class AdminServerTest {
    private static final List<String> ADMIN_PAGES = List.of("/", "/certificates", "/keys", "/queue", "/audit",
            "/certificates/view?fingerprint=00", "/certificates/delete?fingerprint=00", "/keys/delete?fingerprint=00",
            "/queue/view?id=x", "/queue/delete?id=x", "/nonsense");

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(TestPki.NOW);
    private AdminFixture fixture;

    @AfterEach
    void close() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private AdminClient start(boolean withPassword) {
        fixture = new AdminFixture(dir, clock, withPassword, Map.of());
        return fixture.client();
    }

    private AdminClient loggedIn() {
        AdminClient client = start(true);
        client.loginOk(AdminFixture.USER, AdminFixture.PASSWORD);
        return client;
    }

    @Test
    void anonymousGetIsSentToTheLoginPageAndAnonymousPostIsForbidden() {
        AdminClient client = start(true);
        for (String page : ADMIN_PAGES) {
            HttpResponse<String> response = client.get(page);
            assertEquals(303, response.statusCode(), page);
            assertEquals(Optional.of("/login"), response.headers().firstValue("Location"), page);
        }
        for (String action : List.of("/certificates/delete", "/certificates/approve", "/keys/delete", "/queue/hold",
                "/queue/delete", "/logout")) {
            assertEquals(403, client.post(action, Map.of("fingerprint", "00", "id", "x")).statusCode(), action);
        }
        HttpResponse<String> login = client.get("/login");
        assertEquals(200, login.statusCode());
        assertTrue(login.body().contains("name=\"password\""), login.body());
    }

    @Test
    void wrongPasswordOrUserIsRefusedWithoutASession() {
        AdminClient client = start(true);
        HttpResponse<String> wrongPassword = client.login(AdminFixture.USER, "guess");
        assertEquals(401, wrongPassword.statusCode());
        assertTrue(wrongPassword.body().contains("wrong user name or password"), wrongPassword.body());
        assertTrue(wrongPassword.headers().firstValue("Set-Cookie").isEmpty());
        HttpResponse<String> wrongUser = client.login("root", AdminFixture.PASSWORD);
        assertEquals(401, wrongUser.statusCode());
        assertEquals(303, client.get("/certificates").statusCode());
    }

    @Test
    void fiveFailedLoginsLockTheAddressOutForAMinute() {
        AdminClient client = start(true);
        for (int i = 0; i < 5; i++) {
            assertEquals(401, client.login(AdminFixture.USER, "guess " + i).statusCode());
        }
        HttpResponse<String> locked = client.login(AdminFixture.USER, AdminFixture.PASSWORD);
        assertEquals(429, locked.statusCode());
        assertTrue(locked.body().contains("too many failed logins"), locked.body());
        clock.advance(Duration.ofSeconds(61));
        assertEquals(303, client.login(AdminFixture.USER, AdminFixture.PASSWORD).statusCode());

        List<String> audited = fixture.gateway.audit().recent(10).stream()
                .filter(e -> e.action().equals("admin.login"))
                .map(e -> e.subject() + " " + e.decision() + " " + e.detail()).toList();
        assertEquals(List.of("admin succeeded from 127.0.0.1", "admin locked from 127.0.0.1"),
                audited.subList(0, 2));
        assertEquals(7, audited.size(), audited.toString());
        assertTrue(audited.subList(2, 7).stream().allMatch("admin failed from 127.0.0.1"::equals), audited.toString());
    }

    @Test
    void withoutAPasswordHashEveryLoginFailsAndThePageSaysHowToSetOne() {
        AdminClient client = start(false);
        String page = client.get("/login").body();
        assertTrue(page.contains("No admin password is set"), page);
        assertTrue(page.contains("smime-gateway admin hash --password-env VAR"), page);
        HttpResponse<String> login = client.login(AdminFixture.USER, AdminFixture.PASSWORD);
        assertEquals(401, login.statusCode());
        assertTrue(login.headers().firstValue("Set-Cookie").isEmpty());
    }

    @Test
    void sessionCookieIsHttpOnlyStrictAndEveryPageCarriesTheSecurityHeaders() {
        AdminClient client = start(true);
        HttpResponse<String> login = client.login(AdminFixture.USER, AdminFixture.PASSWORD);
        assertEquals(303, login.statusCode());
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cookie.matches("smimegw_admin=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=/"), cookie);
        for (String page : List.of("/certificates", "/keys", "/queue", "/audit", "/login")) {
            HttpResponse<String> response = client.get(page);
            assertEquals(200, response.statusCode(), page);
            assertEquals(Optional.of("no-store"), response.headers().firstValue("Cache-Control"), page);
            assertEquals(Optional.of("DENY"), response.headers().firstValue("X-Frame-Options"), page);
            assertEquals(Optional.of("nosniff"), response.headers().firstValue("X-Content-Type-Options"), page);
            String csp = response.headers().firstValue("Content-Security-Policy").orElseThrow();
            assertTrue(csp.contains("default-src 'none'") && csp.contains("style-src 'self'"), csp);
            assertFalse(response.body().contains("<script"), page);
        }
    }

    @Test
    void postWithoutOrWithAWrongCsrfTokenIsForbidden() {
        AdminClient client = loggedIn();
        byte[] contact = pem(TestPki.client("carol@example.com").build());
        assertEquals(403, client.post("/logout", Map.of()).statusCode());
        assertEquals(403, client.post("/logout", Map.of("csrf", "x" + client.csrf())).statusCode());
        HttpResponse<String> upload = client.upload("/certificates/upload", Map.of(),
                new AdminClient.FilePart("file", "c.pem", contact), false);
        assertEquals(403, upload.statusCode());
        assertTrue(fixture.gateway.certificates().all().isEmpty(), "a POST without CSRF token imported");
        assertEquals(200, client.get("/certificates").statusCode(), "the session survives a refused POST");
    }

    @Test
    void uploadedCertificateIsListedAndARefusedOneShowsTheRuleThatFailed() throws Exception {
        AdminClient client = loggedIn();
        TestPki.Issued contact = TestPki.client("carol@example.com").build();
        HttpResponse<String> uploaded = client.upload("/certificates/upload", Map.of(),
                new AdminClient.FilePart("file", "carol.pem", pem(contact)), true);
        assertEquals(Optional.of("/certificates"), uploaded.headers().firstValue("Location"));
        HttpResponse<String> imported = client.follow(uploaded);
        String fingerprint = fixture.gateway.certificates().findByEmail("carol@example.com").get(0).fingerprint();
        assertTrue(imported.body().contains("imported " + fingerprint + " client carol@example.com notAfter="),
                imported.body());
        assertTrue(client.get("/certificates").body().contains(fingerprint));

        TestPki.Issued serverOnly = TestPki.client("dave@example.com").eku(KeyPurposeId.id_kp_serverAuth).build();
        HttpResponse<String> rejected = client.follow(client.upload("/certificates/upload", Map.of(),
                new AdminClient.FilePart("file", "dave.der", serverOnly.certificate().getEncoded()), true));
        assertTrue(rejected.body().contains(
                "rejected dave.der: Extended Key Usage lacks emailProtection (1.3.6.1.5.5.7.3.4)"), rejected.body());
        assertTrue(fixture.gateway.certificates().findByEmail("dave@example.com").isEmpty());

        HttpResponse<String> deleted = deleteConfirmed(client, "/certificates/delete", "fingerprint", fingerprint);
        assertTrue(deleted.body().contains("deleted " + fingerprint), deleted.body());
        assertTrue(fixture.gateway.certificates().all().isEmpty());
        String audit = client.get("/audit").body();
        assertTrue(audit.contains("cert.import") && audit.contains("cert.delete"), audit);
    }

    @Test
    void aPendingCertificateShowsItsSourceAndIsApprovedWithItsButtonOnly() {
        AdminClient client = loggedIn();
        TestPki.Issued contact = TestPki.client("erin@example.com").build();
        String fingerprint = fixture.gateway.certificates().add(contact.certificate(), CertificateKind.CLIENT,
                CertificateSource.PENDING).fingerprint();
        String page = client.get("/certificates").body();
        assertTrue(page.contains("<td>pending</td><td>none</td>"), page);
        assertTrue(page.contains("action=\"/certificates/approve\""), page);

        HttpResponse<String> approved = client.postAndFollow("/certificates/approve", Map.of("fingerprint",
                fingerprint));

        assertTrue(approved.body().contains("approved " + fingerprint + " erin@example.com"), approved.body());
        assertEquals(CertificateSource.APPROVED,
                fixture.gateway.certificates().findByFingerprint(fingerprint).orElseThrow().source());
        assertFalse(approved.body().contains("action=\"/certificates/approve\""), "no button once approved");
        HttpResponse<String> again = client.postAndFollow("/certificates/approve", Map.of("fingerprint", fingerprint));
        assertTrue(again.body().contains("is not pending (source approved)"), again.body());
        assertTrue(client.get("/audit").body().contains("cert.approve"));
        assertEquals(403, client.post("/certificates/approve", Map.of("fingerprint", fingerprint)).statusCode(),
                "approve needs the CSRF token like every POST");
    }

    @Test
    void hostileSubjectAndFileNameAreEscaped() {
        AdminClient client = loggedIn();
        TestPki.Issued hostile = TestPki.client("eve@example.com").subject("<script>alert('x')</script>", null)
                .build();
        HttpResponse<String> response = client.follow(client.upload("/certificates/upload", Map.of(),
                new AdminClient.FilePart("file", "<img src=x>.pem", pem(hostile)), true));
        assertTrue(response.body().contains("&lt;script\\&gt;alert(&#39;x&#39;)\\&lt;/script\\&gt;"), response.body());
        assertFalse(response.body().contains("<script"), response.body());
        HttpResponse<String> refused = client.follow(client.upload("/certificates/upload", Map.of(),
                new AdminClient.FilePart("file", "<img src=x>.pem", "junk".getBytes(StandardCharsets.US_ASCII)),
                true));
        assertTrue(refused.body().contains("rejected &lt;img src=x&gt;.pem: "), refused.body());
        assertFalse(refused.body().contains("<img"), refused.body());
        String audit = client.get("/audit").body();
        assertTrue(audit.contains("&lt;img src=x&gt;.pem"), audit);
        assertFalse(audit.contains("<img") || audit.contains("<script"), audit);
    }

    @Test
    void keyUploadNeverShowsThePasswordTheKeyOrTheHash() throws Exception {
        AdminClient client = loggedIn();
        TestPki.Issued org = TestPki.client("helpdesk@org.example").build();
        String password = "p12-s3cret-Passw0rd";
        byte[] p12 = pkcs12(org, password);
        HttpResponse<String> wrong = client.follow(client.upload("/keys/upload", Map.of("password", "not-it"),
                new AdminClient.FilePart("file", "org.p12", p12), true));
        assertTrue(wrong.body().contains("rejected org.p12: "), wrong.body());
        HttpResponse<String> uploaded = client.upload("/keys/upload", Map.of("password", password),
                new AdminClient.FilePart("file", "org.p12", p12), true);
        assertEquals(Optional.of("/keys"), uploaded.headers().firstValue("Location"));
        HttpResponse<String> imported = client.follow(uploaded);
        assertTrue(imported.body().contains("helpdesk@org.example notAfter="), imported.body());
        assertTrue(imported.body().contains(" key</li>"), imported.body());
        String fingerprint = fixture.gateway.keys().certificateFingerprints().get(0);
        assertTrue(client.get("/keys").body().contains(fingerprint));
        String confirmation = client.confirmation("/keys/delete?fingerprint=" + fingerprint);
        assertTrue(client.get("/keys/delete?fingerprint=" + fingerprint).body().contains(
                "Mail can then no longer be signed with this organisation identity"));
        HttpResponse<String> deleted = client.postAndFollow("/keys/delete", Map.of("fingerprint", fingerprint,
                "confirmation", confirmation));
        assertTrue(deleted.body().contains("deleted private key of " + fingerprint), deleted.body());
        HttpResponse<String> again = client.get("/keys/delete?fingerprint=" + fingerprint);
        assertEquals(404, again.statusCode());
        assertTrue(again.body().contains("certificate " + fingerprint + " has no private key"), again.body());

        String key = Base64.getEncoder().encodeToString(org.key().getEncoded());
        for (String seen : client.seen) {
            assertFalse(seen.contains(password), "the PKCS#12 password was shown");
            assertFalse(seen.contains(fixture.passwordHash), "the admin password hash was shown");
            assertFalse(seen.contains(AdminFixture.PASSWORD), "the admin password was shown");
            assertFalse(seen.contains("PRIVATE KEY") || seen.contains(key.substring(0, 64)), "key material shown");
        }
    }

    @Test
    void queueActionsWorkAndRefuseLikeTheCommandLine() {
        AdminClient client = loggedIn();
        String id = QueueIds.next(TestPki.NOW);
        fixture.gateway.queue().enqueue(id, Direction.OUTBOUND, "", List.of("bob@example.com"),
                "Subject: x\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII), TestPki.NOW);
        String unprocessed = QueueIds.next(TestPki.NOW);
        fixture.gateway.queue().enqueueUnprocessed(unprocessed, Direction.OUTBOUND, "alice@example.org",
                List.of("bob@example.com"), Bytes.of("Subject: y\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII)),
                TestPki.NOW, "processing failed");
        assertTrue(client.get("/queue").body().contains(id));

        assertTrue(client.postAndFollow("/queue/hold", Map.of("id", id)).body().contains("held " + id));
        assertEquals(QueueState.HELD, fixture.gateway.queue().find(id).orElseThrow().state());
        String retryHeld = client.postAndFollow("/queue/retry", Map.of("id", id)).body();
        assertTrue(retryHeld.contains("message " + id + " is held; &#39;queue release " + id + "&#39; delivers it"),
                retryHeld);
        assertTrue(client.postAndFollow("/queue/release", Map.of("id", id)).body().contains("released " + id));
        assertTrue(client.postAndFollow("/queue/retry", Map.of("id", id)).body().contains("retrying " + id));
        String holdUnprocessed = client.postAndFollow("/queue/hold", Map.of("id", unprocessed)).body();
        assertTrue(holdUnprocessed.contains("is unprocessed: it is never delivered as it is"), holdUnprocessed);
        assertTrue(client.postAndFollow("/queue/hold", Map.of("id", "nonsense")).body()
                .contains("&#39;nonsense&#39; is not a queue id"));
        assertTrue(fixture.wakeUps.get() >= 2, "the workers were not woken after release and retry");
        String audit = client.get("/audit").body();
        assertTrue(audit.contains("queue.hold") && audit.contains("queue.release") && audit.contains("queue.retry"),
                audit);
    }

    @Test
    void sessionEndsAfterTheIdleTimeoutAndOnLogout() {
        AdminClient client = loggedIn();
        clock.advance(AdminFixture.TIMEOUT.minusSeconds(1));
        assertEquals(200, client.get("/queue").statusCode(), "a request within the timeout keeps the session");
        clock.advance(AdminFixture.TIMEOUT);
        assertEquals(303, client.get("/queue").statusCode(), "the idle session did not expire");

        client.loginOk(AdminFixture.USER, AdminFixture.PASSWORD);
        String cookie = client.cookie();
        HttpResponse<String> logout = client.postWithCsrf("/logout", Map.of());
        assertEquals(303, logout.statusCode());
        client.cookie(cookie);
        assertEquals(303, client.get("/certificates").statusCode(), "the session outlived the logout");
    }

    @Test
    void oversizedUploadIsRefusedWith413() {
        AdminClient client = loggedIn();
        byte[] big = new byte[Exchanges.MAX_BODY_BYTES + 1];
        HttpResponse<String> response = client.upload("/certificates/upload", Map.of(),
                new AdminClient.FilePart("file", "big.pem", big), true);
        assertEquals(413, response.statusCode());
        assertTrue(response.body().contains("larger than 1024 KiB"), response.body());
    }

    @Test
    void openRoutesAreServedWithoutLoginOnTheirPathOnly() {
        fixture = new AdminFixture(dir, clock, true, Map.of("/health", exchange -> {
            byte[] body = "ok".getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        }));
        AdminClient client = fixture.client();
        HttpResponse<String> health = client.get("/health");
        assertEquals(200, health.statusCode());
        assertEquals("ok", health.body());
        assertEquals(303, client.get("/healthz").statusCode());
    }

    @Test
    void anAddressInUseIsAOneLineErrorNamingTheKey() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            fixture = null;
            AdminSettings settings = new AdminSettings(new HostPort("127.0.0.1", taken.getLocalPort()), "admin",
                    Optional.empty(), Duration.ofMinutes(30), Duration.ofMinutes(1), 30);
            try (Gateway gateway = Gateway.open(GatewayConfig.load(AdminFixture.properties(dir), true), clock)) {
                ConfigException e = assertThrows(ConfigException.class,
                        () -> AdminServer.start(settings, gateway, () -> { }, clock, Map.of()));
                String expected = "admin.listen: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": ";
                assertTrue(e.getMessage().startsWith(expected), e.getMessage());
                assertFalse(e.getMessage().contains("\n"));
            }
        }
    }

    /** Deletes through the confirmation page, as the Delete button and the confirmation's submit do. */
    private static HttpResponse<String> deleteConfirmed(AdminClient client, String action, String field,
            String target) {
        String confirmation = client.confirmation(action + "?" + field + "=" + target);
        return client.postAndFollow(action, Map.of(field, target, "confirmation", confirmation));
    }

    private static byte[] pem(TestPki.Issued issued) {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(
                encoded(issued));
        return ("-----BEGIN CERTIFICATE-----\n" + base64 + "\n-----END CERTIFICATE-----\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] encoded(TestPki.Issued issued) {
        try {
            return issued.certificate().getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] pkcs12(TestPki.Issued issued, String password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("org", issued.key(), password.toCharArray(), new Certificate[] {issued.certificate()});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.store(out, password.toCharArray());
        return out.toByteArray();
    }
}
