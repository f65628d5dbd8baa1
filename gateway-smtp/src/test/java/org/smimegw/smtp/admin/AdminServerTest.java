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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.core.mime.Bytes;
import org.smimegw.core.port.AuditEvent;
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
        String id = enqueue("", "Subject: x\r\n\r\nbody\r\n");
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
    void everyChangeAnswers303ToItsPageAndItsResultIsShownOnceThenGone() {
        AdminClient client = loggedIn();
        HttpResponse<String> uploaded = client.upload("/certificates/upload", Map.of(),
                new AdminClient.FilePart("file", "carol.pem", pem(TestPki.client("carol@example.com").build())), true);
        assertEquals(303, uploaded.statusCode());
        assertEquals(Optional.of("/certificates"), uploaded.headers().firstValue("Location"));
        assertFalse(uploaded.body().contains("imported"), "the result belongs to the next page, not the redirect");
        String first = client.get("/certificates").body();
        assertTrue(first.contains("<li class=\"done\">imported "), first);
        String reload = client.get("/certificates").body();
        assertFalse(reload.contains("class=\"notice\""), "the result was shown twice: " + reload);
        assertEquals(1, fixture.gateway.audit().recent(10).stream().filter(e -> e.action().equals("cert.import"))
                .count(), "a reload repeated the import");

        String id = enqueue("alice@example.org", "Subject: x\r\n\r\nbody\r\n");
        HttpResponse<String> held = client.postWithCsrf("/queue/hold", Map.of("id", id));
        assertEquals(Optional.of("/queue"), held.headers().firstValue("Location"));
        assertTrue(client.follow(held).body().contains("<li class=\"done\">held " + id + "</li>"));
        assertFalse(client.get("/queue").body().contains("class=\"notice\""));
        HttpResponse<String> refused = client.postWithCsrf("/queue/retry", Map.of("id", id));
        assertEquals(303, refused.statusCode(), "a refused change is redirected as well");
        assertTrue(client.follow(refused).body().contains("<li class=\"refused\">message " + id + " is held"));

        HttpResponse<String> keyless = client.upload("/keys/upload", Map.of(),
                new AdminClient.FilePart("file", "junk.p12", "junk".getBytes(StandardCharsets.US_ASCII)), true);
        assertEquals(Optional.of("/keys"), keyless.headers().firstValue("Location"));
        assertTrue(client.follow(keyless).body().contains("<li class=\"refused\">"));
        assertEquals(404, client.postWithCsrf("/queue/nonsense", Map.of("id", id)).statusCode());
    }

    @Test
    void aDeleteNeedsTheConfirmationTokenOfThisSessionThisActionAndThisTarget() throws Exception {
        AdminClient client = loggedIn();
        TestPki.Issued org = TestPki.client("helpdesk@org.example").build();
        fixture.gateway.admin().importKey(org.key(), List.of(org.certificate()), "test");
        String withKey = fixture.gateway.keys().certificateFingerprints().get(0);
        TestPki.Issued carol = TestPki.client("carol@example.com").build();
        String other = add(carol);

        String page = client.get("/certificates/delete?fingerprint=" + withKey).body();
        assertTrue(page.contains("Its private key is stored and is deleted with it. Mail can then no longer be"
                + " signed with this identity, and mail encrypted to it can no longer be decrypted"), page);
        assertTrue(page.contains("href=\"/certificates\" id=\"cancel-delete\">Cancel</a>"), page);
        assertFalse(client.get("/certificates/delete?fingerprint=" + other).body().contains("private key is stored"));

        assertRefused(client.postWithCsrf("/certificates/delete", Map.of("fingerprint", withKey)), client);
        String forOther = client.confirmation("/certificates/delete?fingerprint=" + other);
        assertRefused(client.postWithCsrf("/certificates/delete", Map.of("fingerprint", withKey,
                "confirmation", forOther)), client);
        String usedUpByTheWrongTarget = forOther;
        assertRefused(client.postWithCsrf("/certificates/delete", Map.of("fingerprint", other,
                "confirmation", usedUpByTheWrongTarget)), client);
        String forTheKeyOnly = client.confirmation("/keys/delete?fingerprint=" + withKey);
        assertRefused(client.postWithCsrf("/certificates/delete", Map.of("fingerprint", withKey,
                "confirmation", forTheKeyOnly)), client);

        AdminClient second = fixture.client();
        second.loginOk(AdminFixture.USER, AdminFixture.PASSWORD);
        String ofTheSecondSession = second.confirmation("/certificates/delete?fingerprint=" + other);
        assertRefused(client.postWithCsrf("/certificates/delete", Map.of("fingerprint", other,
                "confirmation", ofTheSecondSession)), client);
        assertTrue(fixture.gateway.certificates().findByFingerprint(other).isPresent());
        assertTrue(fixture.gateway.keys().find(withKey).isPresent(), "a refused confirmation deleted");

        String confirmation = client.confirmation("/certificates/delete?fingerprint=" + other);
        HttpResponse<String> deleted = client.postAndFollow("/certificates/delete", Map.of("fingerprint", other,
                "confirmation", confirmation));
        assertTrue(deleted.body().contains("<li class=\"done\">deleted " + other + "</li>"), deleted.body());
        assertEquals(other, add(carol), "stored again");
        assertRefused(client.postWithCsrf("/certificates/delete", Map.of("fingerprint", other,
                "confirmation", confirmation)), client);
        assertTrue(fixture.gateway.certificates().findByFingerprint(other).isPresent(), "a token was used twice");
        assertEquals(403, client.post("/certificates/delete", Map.of("fingerprint", other,
                "confirmation", client.confirmation("/certificates/delete?fingerprint=" + other))).statusCode(),
                "the confirmation does not replace the CSRF token");

        HttpResponse<String> keyDeleted = deleteConfirmed(client, "/keys/delete", "fingerprint", withKey);
        assertTrue(keyDeleted.body().contains("deleted private key of " + withKey), keyDeleted.body());
        assertTrue(fixture.gateway.certificates().findByFingerprint(withKey).isPresent(), "the certificate stays");
    }

    @Test
    void onlyTheNewestConfirmationsOfASessionAreKept() {
        AdminClient client = loggedIn();
        String fingerprint = add(TestPki.client("carol@example.com").build());
        String oldest = client.confirmation("/certificates/delete?fingerprint=" + fingerprint);
        Set<String> tokens = new HashSet<>(List.of(oldest));
        String newest = oldest;
        for (int i = 0; i < Sessions.Session.MAX_CONFIRMATIONS; i++) {
            newest = client.confirmation("/certificates/delete?fingerprint=" + fingerprint);
            tokens.add(newest);
        }
        assertEquals(Sessions.Session.MAX_CONFIRMATIONS + 1, tokens.size(), "each confirmation has a token of its own");
        for (String token : tokens) {
            assertTrue(token.matches("[A-Za-z0-9_-]{43}"), "256 random bits: " + token);
            assertFalse(client.cookie().contains(token) || token.equals(client.csrf()), "a token of the session");
        }
        assertRefused(client.postWithCsrf("/certificates/delete", Map.of("fingerprint", fingerprint,
                "confirmation", oldest)), client);
        assertTrue(client.postAndFollow("/certificates/delete", Map.of("fingerprint", fingerprint,
                "confirmation", newest)).body().contains("deleted " + fingerprint));
    }

    @Test
    void aQueuedMessageIsDeletedAfterItsConfirmationOnly() {
        AdminClient client = loggedIn();
        String id = enqueue("alice@example.org", "Subject: Quarterly <report>\r\n\r\nbody\r\n");
        assertRefused(client.postWithCsrf("/queue/delete", Map.of("id", id)), client);
        String page = client.get("/queue/delete?id=" + id).body();
        assertTrue(page.contains("subject \u201cQuarterly &lt;report&gt;\u201d, from alice@example.org to"
                + " bob@example.com"), page);
        assertTrue(page.contains("not delivered to the recipients still pending (bob@example.com)"), page);
        String confirmation = client.confirmation("/queue/delete?id=" + id);
        String otherId = QueueIds.next(TestPki.NOW);
        assertRefused(client.postWithCsrf("/queue/delete", Map.of("id", otherId, "confirmation", confirmation)),
                client);
        assertTrue(fixture.gateway.queue().find(id).isPresent());
        HttpResponse<String> deleted = deleteConfirmed(client, "/queue/delete", "id", id);
        assertTrue(deleted.body().contains("<li class=\"done\">deleted " + id + "</li>"), deleted.body());
        assertTrue(fixture.gateway.queue().find(id).isEmpty());
        assertEquals(404, client.get("/queue/delete?id=" + id).statusCode());
    }

    @Test
    void searchMatchesEmailSubjectIssuerAndFingerprintLiterallyAndShowsTheTextEscaped() {
        AdminClient client = loggedIn();
        add(TestPki.client("a_b@example.com").subject("Underscore", null).build());
        add(TestPki.client("axb@example.com").subject("Decoy", null).build());
        add(TestPki.client("pct@example.com").subject("100% sure", null).build());
        add(TestPki.client("tick@example.com").subject("O'Brien", null).build());
        add(TestPki.client("script@example.com").subject("<script>alert(1)</script>", null).build());
        String fingerprint = add(TestPki.client("fp@example.com").subject("Plain", null).build());
        add(TestPki.client("issued@example.com").subject("Issued", null).issuedBy(TestPki.ca("Partner Issuing CA"))
                .build());

        assertEquals(List.of("a_b@example.com"), listed(client, "_"));
        assertEquals(List.of("pct@example.com"), listed(client, "%"));
        assertEquals(List.of("pct@example.com"), listed(client, "0% S"));
        assertEquals(List.of("tick@example.com"), listed(client, "o'brien"));
        // RFC 2253 writes the subject's < as \<
        assertEquals(List.of("script@example.com"), listed(client, "\\<SCRIPT"));
        assertEquals(List.of("script@example.com"), listed(client, "\\"));
        assertEquals(List.of(), listed(client, "*"));
        assertEquals(List.of(), listed(client, "' OR 1=1 --"));
        assertEquals(List.of("fp@example.com"), listed(client, fingerprint.substring(20, 40).toUpperCase()));
        assertEquals(List.of("issued@example.com"), listed(client, "PARTNER issuing"));

        String hostile = client.get("/certificates?q=" + encode("<script>alert('q')</script>")).body();
        assertTrue(hostile.contains("value=\"&lt;script&gt;alert(&#39;q&#39;)&lt;/script&gt;\""), hostile);
        assertTrue(hostile.contains("No certificate matches \u201c&lt;script&gt;alert(&#39;q&#39;)&lt;/script&gt;"
                + "\u201d"), hostile);
        assertFalse(hostile.contains("<script"), hostile);
        String quoted = client.get("/certificates?q=" + encode("' OR 1=1 --")).body();
        assertTrue(quoted.contains("value=\"&#39; OR 1=1 --\""), quoted);
    }

    @Test
    void theListIsSortedByAnyColumnAndPagedWithLinksThatKeepTheQuery() {
        AdminClient client = loggedIn();
        for (int i = 0; i < 120; i++) {
            // the later the address, the earlier the certificate expires
            add(TestPki.client(String.format("user%03d@example.com", i))
                    .valid(TestPki.NOW.minus(Duration.ofDays(1)), TestPki.NOW.plus(Duration.ofDays(400 - i))).build());
        }
        String first = client.get("/certificates").body();
        assertEquals(50, emails(first).size());
        assertEquals("user000@example.com", emails(first).get(0));
        assertEquals("user049@example.com", emails(first).get(49));
        assertTrue(first.contains("<span class=\"range\">1\u201350 of 120</span>"), first);
        assertFalse(first.contains("id=\"previous-page\""));
        assertTrue(first.contains("id=\"next-page\" href=\"/certificates?sort=email&amp;order=asc&amp;page=2\""),
                first);
        assertTrue(first.contains("<th class=\"sorted\" aria-sort=\"ascending\"><a href=\"/certificates?sort=email"
                + "&amp;order=desc\">E-mail \u25b2</a></th>"), first);

        String last = client.get("/certificates?page=3").body();
        assertEquals("user100@example.com", emails(last).get(0));
        assertEquals(20, emails(last).size());
        assertTrue(last.contains("101\u2013120 of 120") && last.contains("id=\"previous-page\""), last);
        assertFalse(last.contains("id=\"next-page\""));
        assertEquals(emails(last), emails(client.get("/certificates?page=99").body()), "past the last page");
        assertEquals(emails(last), emails(client.get("/certificates?page=2147483647").body()));

        String descending = client.get("/certificates?sort=email&order=desc").body();
        assertEquals("user119@example.com", emails(descending).get(0));
        String byExpiry = client.get("/certificates?sort=notafter&order=asc&q=user1").body();
        assertEquals("user119@example.com", emails(byExpiry).get(0));
        assertTrue(byExpiry.contains("1\u201320 of 20"), byExpiry);
        String byExpiryPaged = client.get("/certificates?q=user&sort=notafter&order=desc&page=2").body();
        assertEquals("user050@example.com", emails(byExpiryPaged).get(0));
        assertTrue(byExpiryPaged.contains("href=\"/certificates?q=user&amp;sort=notafter&amp;order=desc&amp;page=3\""),
                byExpiryPaged);
        assertTrue(byExpiryPaged.contains("aria-sort=\"descending\"><a href=\"/certificates?q=user&amp;sort=notafter"
                + "&amp;order=asc\">Not after \u25bc</a>"), byExpiryPaged);
        for (String sort : List.of("subject", "issuer", "kind", "source")) {
            assertEquals(50, emails(client.get("/certificates?sort=" + sort).body()).size(), sort);
        }
    }

    @Test
    void aPageOrSortThatIsNotOneIsABadRequestNamingTheParameter() {
        AdminClient client = loggedIn();
        add(TestPki.client("carol@example.com").build());
        for (String page : List.of("-1", "0", "abc", "99999999999999999999", "2147483648", "1.5", "%2B1", "%20")) {
            HttpResponse<String> response = client.get("/certificates?page=" + page);
            assertEquals(400, response.statusCode(), page);
            String shown = java.net.URLDecoder.decode(page, StandardCharsets.UTF_8);
            assertTrue(response.body().contains("page: &#39;" + Html.escape(shown) + "&#39; is not a page number"),
                    response.body());
        }
        HttpResponse<String> hostile = client.get("/queue?page=" + encode("<b>1</b>"));
        assertEquals(400, hostile.statusCode());
        assertTrue(hostile.body().contains("page: &#39;&lt;b&gt;1&lt;/b&gt;&#39; is not a page number"));
        HttpResponse<String> sort = client.get("/certificates?sort=" + encode("<x>"));
        assertEquals(400, sort.statusCode());
        assertTrue(sort.body().contains("sort: &#39;&lt;x&gt;&#39; is not one of email, subject, issuer, notafter,"
                + " kind, source"), sort.body());
        HttpResponse<String> order = client.get("/certificates?order=up");
        assertEquals(400, order.statusCode());
        assertTrue(order.body().contains("order: &#39;up&#39; is not one of asc, desc"), order.body());
        assertEquals(400, client.get("/audit?page=0").statusCode());
        assertEquals(200, client.get("/certificates?page=1&sort=issuer&order=desc").statusCode());
    }

    @Test
    void expiredAndSoonExpiringCertificatesAreMarkedAndCounted() {
        AdminClient client = loggedIn();
        add(TestPki.client("old@example.com").valid(TestPki.NOW.minus(Duration.ofDays(400)),
                TestPki.NOW.minus(Duration.ofDays(1))).build());
        add(TestPki.client("soon@example.com").valid(TestPki.NOW.minus(Duration.ofDays(10)),
                TestPki.NOW.plus(Duration.ofDays(10)).plusSeconds(60)).build());
        add(TestPki.client("fine@example.com").build());
        String page = client.get("/certificates").body();
        assertTrue(page.contains("3 certificates stored: 1 expired, 1 expire within 30 days."), page);
        String old = certificateRow(page, "old@example.com");
        assertTrue(old.startsWith("<tr class=\"expired\">") && old.contains("<span class=\"expiry\">expired</span>"),
                old);
        String soon = certificateRow(page, "soon@example.com");
        assertTrue(soon.startsWith("<tr class=\"expiring\">")
                && soon.contains("<span class=\"expiry\">expires in 10 days</span>"), soon);
        String fine = certificateRow(page, "fine@example.com");
        assertTrue(fine.startsWith("<tr>") && !fine.contains("expir"), fine);
    }

    @Test
    void theCertificateViewShowsEveryFieldTheChainAndThePem() {
        AdminClient client = loggedIn();
        TestPki.Issued root = TestPki.ca("Root CA");
        TestPki.Issued intermediate = TestPki.certificate().subject("Intermediate CA", null).ca().issuedBy(root)
                .build();
        TestPki.Issued contact = TestPki.client("carol@example.com").subject("Carol <Contact>", null)
                .issuedBy(intermediate).build();
        String fingerprint = add(contact);
        String intermediateFingerprint = fixture.gateway.certificates().add(intermediate.certificate(),
                CertificateKind.CA).fingerprint();

        String partial = client.get("/certificates/view?fingerprint=" + fingerprint).body();
        assertTrue(partial.contains("The chain does not end in a stored root: the issuer CN=Root CA is not stored."),
                partial);
        String rootFingerprint = fixture.gateway.certificates().add(root.certificate(), CertificateKind.CA)
                .fingerprint();
        HttpResponse<String> view = client.get("/certificates/view?fingerprint=" + fingerprint.substring(0, 20));
        assertEquals(200, view.statusCode());
        String body = view.body();
        for (String expected : List.of("<th>Fingerprint (SHA-256)</th><td>" + fingerprint + "</td>",
                "<th>Subject</th><td>CN=Carol \\&lt;Contact\\&gt;</td>", "<th>Issuer</th><td>CN=Intermediate CA</td>",
                "<th>E-mail addresses</th><td>carol@example.com</td>", "<th>Key algorithm</th><td>RSA</td>",
                "<th>Key size</th><td>2048 bits</td>", "<th>Key usage</th><td>digitalSignature, keyEncipherment</td>",
                "<th>Extended key usage</th><td>emailProtection</td>", "<th>Basic constraints</th><td>not a CA</td>",
                "<th>Serial number (hex)</th><td>" + contact.certificate().getSerialNumber().toString(16) + "</td>",
                "<th>Private key stored</th><td>no</td>", "<th>Source</th><td>imported</td>",
                "<th>Revocation</th><td>", "<th>Not before</th>", "<th>Not after</th>",
                "-----BEGIN CERTIFICATE-----", "The chain ends in the stored root CN=Root CA.")) {
            assertTrue(body.contains(expected), expected + " in " + body);
        }
        assertTrue(body.indexOf(intermediateFingerprint) < body.indexOf(rootFingerprint), "nearest issuer first");
        assertTrue(body.contains("href=\"/certificates/view?fingerprint=" + rootFingerprint + "\""), body);
        assertTrue(body.contains("<pre id=\"dump\">"), body);
        assertFalse(body.contains("<Contact>"), "the subject is escaped in the text dump too");
        String rootView = client.get("/certificates/view?fingerprint=" + rootFingerprint).body();
        assertTrue(rootView.contains("This certificate is self-issued: it is a root of its own."), rootView);
        assertTrue(rootView.contains("<th>Basic constraints</th><td>CA, no path length limit</td>"), rootView);

        HttpResponse<String> unknown = client.get("/certificates/view?fingerprint=" + "ab".repeat(32));
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.body().contains("no certificate with fingerprint " + "ab".repeat(32)), unknown.body());
        HttpResponse<String> hostile = client.get("/certificates/view?fingerprint=" + encode("<script>"));
        assertEquals(404, hostile.statusCode());
        assertFalse(hostile.body().contains("<script"), hostile.body());
        assertEquals(404, client.get("/certificates/delete?fingerprint=" + "ab".repeat(32)).statusCode());
    }

    @Test
    void theQueueShowsCountsSubjectsAndOnlyTheActionsThatApplyToEachState() {
        AdminClient client = loggedIn();
        String queued = QueueIds.next(TestPki.NOW);
        fixture.gateway.queue().enqueue(queued, Direction.OUTBOUND, "alice@example.org",
                List.of("bob@example.com", "carol@example.com", "dave@example.com", "erin@example.com"),
                ("Subject: =?UTF-8?B?" + Base64.getEncoder().encodeToString("Grüße <aus> Köln".getBytes(
                        StandardCharsets.UTF_8)) + "?=\r\n\r\n" + "x".repeat(12_600) + "\r\n")
                        .getBytes(StandardCharsets.US_ASCII), TestPki.NOW.minus(Duration.ofMinutes(3)));
        String held = QueueIds.next(TestPki.NOW);
        fixture.gateway.queue().enqueue(held, Direction.INBOUND, "", List.of("frank@example.com"),
                "Subject: held one\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII), TestPki.NOW);
        fixture.gateway.queue().hold(held);
        String unprocessed = QueueIds.next(TestPki.NOW);
        fixture.gateway.queue().enqueueUnprocessed(unprocessed, Direction.OUTBOUND, "alice@example.org",
                List.of("bob@example.com"), Bytes.of("Subject: poison\r\n\r\nbody\r\n".getBytes(
                        StandardCharsets.US_ASCII)), TestPki.NOW, "processing failed: " + "x".repeat(200));

        String page = client.get("/queue").body();
        assertTrue(page.contains("queued: 1</span> <span class=\"count held\">held: 1</span> "
                + "<span class=\"count unprocessed\">unprocessed: 1"), page);
        String queuedRow = row(page, queued);
        assertTrue(queuedRow.contains("<td class=\"wrap subject\">Grüße &lt;aus&gt; Köln</td>"), queuedRow);
        assertTrue(queuedRow.contains("12.4 KB"), queuedRow);
        assertTrue(queuedRow.contains("2026-06-01 11:57 UTC</span><span class=\"relative\">3 min ago"), queuedRow);
        assertFalse(queuedRow.contains("erin@example.com"), "the fourth recipient is in the view only");
        assertTrue(queuedRow.contains("and 1 more"), queuedRow);
        assertTrue(queuedRow.contains("href=\"/queue/view?id=" + queued + "\""), queuedRow);
        assertEquals(List.of("retry", "hold", "delete"), actions(queuedRow));
        assertEquals(List.of("release", "delete"), actions(row(page, held)));
        assertTrue(row(page, held).contains("<td class=\"wrap\">&lt;&gt;</td>"), "the null sender");
        String poison = row(page, unprocessed);
        assertEquals(List.of("release", "delete"), actions(poison));
        assertTrue(poison.contains(">Process again</button>"), poison);
        assertTrue(poison.contains("<span title=\"processing failed: " + "x".repeat(200) + "\">processing failed: "),
                poison);

        String refused = client.postAndFollow("/queue/hold", Map.of("id", unprocessed)).body();
        assertTrue(refused.contains("is unprocessed: it is never delivered as it is"), refused);
        assertTrue(client.postAndFollow("/queue/release", Map.of("id", held)).body().contains("released " + held));
        assertTrue(client.postAndFollow("/queue/retry", Map.of("id", queued)).body().contains("retrying " + queued));
        assertTrue(client.postAndFollow("/queue/release", Map.of("id", queued)).body()
                .contains("message " + queued + " is not held"));
        assertEquals(400, client.get("/queue?page=abc").statusCode());
    }

    @Test
    void theMessageViewShowsTheEntryAndHeaderFieldsButNeverTheBody() {
        AdminClient client = loggedIn();
        String id = QueueIds.next(TestPki.NOW);
        String body = "BODY-TEXT-never-on-the-page-7f3a";
        fixture.gateway.queue().enqueue(id, Direction.OUTBOUND, "alice@example.org",
                List.of("bob@example.com", "carol@example.com"), Bytes.of(("From: Alice <alice@example.org>\r\n"
                        + "To: bob@example.com\r\nSubject: Quarterly\r\n figures\r\nX-Note: <b>bold</b>\r\n\r\n"
                        + body + "\r\n").getBytes(StandardCharsets.US_ASCII)), TestPki.NOW,
                "signed=yes encrypted=yes");
        HttpResponse<String> view = client.get("/queue/view?id=" + id);
        assertEquals(200, view.statusCode());
        String page = view.body();
        for (String expected : List.of("<th>State</th><td>queued</td>", "<th>Direction</th><td>outbound</td>",
                "<th>Verdicts</th><td>signed=yes encrypted=yes</td>",
                "<th>From</th><td>Alice &lt;alice@example.org&gt;",
                "<th>Subject</th><td>Quarterly figures</td>", "<th>X-Note</th><td>&lt;b&gt;bold&lt;/b&gt;</td>",
                "<td>carol@example.com</td><td>pending</td><td>-</td>")) {
            assertTrue(page.contains(expected), expected + " in " + page);
        }
        assertFalse(page.contains(body), "the body was shown");
        assertFalse(page.contains("<b>"), page);
        HttpResponse<String> unknown = client.get("/queue/view?id=" + QueueIds.next(TestPki.NOW));
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.body().contains(" in the queue"), unknown.body());
        HttpResponse<String> malformed = client.get("/queue/view?id=" + encode("<x>"));
        assertEquals(404, malformed.statusCode());
        assertTrue(malformed.body().contains("&#39;&lt;x&gt;&#39; is not a queue id"), malformed.body());
    }

    @Test
    void theAuditLogIsFilteredByActionAndTextLiterallyAndPaged() {
        AdminClient client = loggedIn();
        for (int i = 0; i < 230; i++) {
            fixture.gateway.audit().record(new AuditEvent(TestPki.NOW.plusSeconds(i), i % 2 == 0 ? "outbound"
                    : "inbound", "<msg-" + i + "@example.org>", "pass", "event " + i));
        }
        fixture.gateway.audit().record(new AuditEvent(TestPki.NOW, "cert.delete", "100% <sure>", "deleted", "a_b"));
        fixture.gateway.audit().record(new AuditEvent(TestPki.NOW, "cert.delete", "1000 sure", "deleted", "aXb"));

        String all = client.get("/audit").body();
        // the login is the first event
        assertTrue(all.contains("1\u2013100 of 233"), all);
        assertTrue(all.contains("<option value=\"all\">all</option><option value=\"admin.login\">admin.login"
                + "</option><option value=\"cert.delete\">cert.delete</option><option value=\"inbound\">inbound"
                + "</option><option value=\"outbound\">outbound</option></select>"), all);
        assertTrue(all.indexOf("1000 sure") < all.indexOf("100% &lt;sure&gt;"), "newest first");
        String third = client.get("/audit?page=3").body();
        assertTrue(third.contains("201\u2013233 of 233") && third.contains("&lt;msg-0@example.org&gt;"), third);
        assertEquals(third, client.get("/audit?page=4").body(), "past the last page");

        String inbound = client.get("/audit?action=inbound&page=2").body();
        assertTrue(inbound.contains("101\u2013115 of 115"), inbound);
        assertTrue(inbound.contains("<option value=\"inbound\" selected>inbound</option>"), inbound);
        assertFalse(inbound.contains("msg-2@"), inbound);
        assertTrue(inbound.contains("href=\"/audit?action=inbound&amp;page=1\""), inbound);

        assertTrue(client.get("/audit?q=" + encode("0% <S")).body().contains("1\u20131 of 1"));
        assertTrue(client.get("/audit?q=_").body().contains("1\u20131 of 1"));
        String text = client.get("/audit?action=outbound&q=" + encode("EVENT 22")).body();
        assertTrue(text.contains("1\u20136 of 6"), text);
        assertTrue(text.contains("value=\"EVENT 22\""), text);
        String none = client.get("/audit?q=" + encode("<script>' OR 1=1 --")).body();
        assertTrue(none.contains("No audit event matches.") && !none.contains("<script"), none);
        assertTrue(none.contains("value=\"&lt;script&gt;&#39; OR 1=1 --\""), none);
        assertEquals(400, client.get("/audit?page=abc").statusCode());
    }

    @Test
    void theNavigationMarksTheSectionOfThePage() {
        AdminClient client = loggedIn();
        String fingerprint = add(TestPki.client("carol@example.com").build());
        Map<String, String> sections = Map.of("/certificates", "/certificates",
                "/certificates/view?fingerprint=" + fingerprint, "/certificates", "/keys", "/keys", "/queue",
                "/queue", "/audit", "/audit");
        sections.forEach((page, section) -> {
            String body = client.get(page).body();
            assertTrue(body.contains("<a class=\"current\" aria-current=\"page\" href=\"" + section + "\">"), page);
            assertEquals(1, body.split("aria-current", -1).length - 1, page);
        });
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

    /** Queues an outbound message to bob@example.com, due now; returns its id. */
    private String enqueue(String sender, String content) {
        String id = QueueIds.next(TestPki.NOW);
        fixture.gateway.queue().enqueue(id, Direction.OUTBOUND, sender, List.of("bob@example.com"),
                content.getBytes(StandardCharsets.US_ASCII), TestPki.NOW);
        return id;
    }

    private String add(TestPki.Issued issued) {
        return fixture.gateway.certificates().add(issued.certificate(), CertificateKind.CLIENT).fingerprint();
    }

    /** A refused delete: 303 to its list, whose notice says that the confirmation did not count. */
    private static void assertRefused(HttpResponse<String> response, AdminClient client) {
        String page = client.follow(response).body();
        assertTrue(page.contains("<li class=\"refused\">nothing was deleted: the confirmation was already used, has"
                + " expired or belongs to another session or item"), page);
    }

    /** The e-mail addresses the certificate list shows for a search, in order. */
    private static List<String> listed(AdminClient client, String q) {
        return emails(client.get("/certificates?q=" + encode(q)).body());
    }

    private static List<String> emails(String page) {
        List<String> emails = new java.util.ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("<td class=\"wrap\">([a-z0-9_%'.]+@example\\.com)</td>").matcher(page);
        while (m.find()) {
            emails.add(m.group(1));
        }
        return emails;
    }

    /** The table row of the certificate with this address. */
    private static String certificateRow(String page, String email) {
        int cell = page.indexOf("<td class=\"wrap\">" + email + "</td>");
        assertTrue(cell >= 0, "no row for " + email + " in " + page);
        return page.substring(page.lastIndexOf("<tr", cell), page.indexOf("</tr>", cell));
    }

    /** The table row of a queued message. */
    private static String row(String page, String id) {
        int start = page.indexOf("<tr id=\"message-" + id + "\"");
        assertTrue(start >= 0, "no row for " + id + " in " + page);
        return page.substring(start, page.indexOf("</tr>", start));
    }

    /** The actions a row offers: the buttons' form actions and the delete link, in order. */
    private static List<String> actions(String row) {
        List<String> actions = new java.util.ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?:action|href)=\"/queue/([a-z]+)[\"?]")
                .matcher(row);
        while (m.find()) {
            if (!m.group(1).equals("view")) {
                actions.add(m.group(1));
            }
        }
        return actions;
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
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
