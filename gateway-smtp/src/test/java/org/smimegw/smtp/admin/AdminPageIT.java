package org.smimegw.smtp.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientId;
import org.bouncycastle.mail.smime.SMIMEEnveloped;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.smimegw.core.cert.CertificateKind;
import org.smimegw.core.cert.CertificateSource;
import org.smimegw.core.mime.Bytes;
import org.smimegw.core.queue.Direction;
import org.smimegw.core.queue.QueueIds;
import org.smimegw.core.testing.MutableClock;
import org.smimegw.core.testing.TestPki;
import org.smimegw.smtp.Gateway;
import org.smimegw.smtp.Relay;
import org.smimegw.smtp.SmtpSubmission;
import org.smimegw.smtp.config.AdminSettings;
import org.smimegw.smtp.config.GatewayConfig;
import org.smimegw.smtp.config.HostPort;
import org.smimegw.smtp.server.ListenerConfig;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import jakarta.mail.internet.MimeMessage;

/**
 * The admin page in a real browser (Debian's Chromium, headless, driven by Selenium) in a 1280 x 900 window: a
 * certificate uploaded in the browser that the next message through the relay is encrypted to (GreenMail is the
 * upstream MTA), a refused upload that shows the rule of docs/design.md §4.1 that failed, and a tour of every page:
 * search, sort, pages, the certificate view, delete with its confirmation, the queue's per-state actions and message
 * view, the audit filter and the navigation, each page checked to fit the window without scrolling sideways. The
 * tour takes a screenshot of each page into {@code target/admin-page/}, and with
 * {@code -Dadmin.screenshots.update=true} also into {@code docs/admin-page/} (docs/admin-page.md shows them).
 */
class AdminPageIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int WIDTH = 1280;
    private static final int HEIGHT = 900;
    private static final String ORG = "helpdesk@org.example";
    private static final String CONTACT = "alice@partner.example";
    private static final String BODY = "Body text that the admin page never shows";

    @TempDir
    Path dir;
    private GreenMail upstream;
    private Gateway gateway;
    private Relay relay;
    private AdminServer admin;
    private AdminFixture fixture;
    private WebDriver browser;

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (admin != null) {
            admin.close();
        }
        if (relay != null) {
            relay.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (fixture != null) {
            fixture.close();
        }
        if (upstream != null) {
            upstream.stop();
        }
    }

    @Test
    void certificateUploadedInTheBrowserIsUsedForTheNextMessageAndARefusalShowsTheRule() throws Exception {
        TestPki.Issued orgCa = TestPki.ca("Org CA");
        TestPki.Issued org = TestPki.client(ORG).issuedBy(orgCa).build();
        TestPki.Issued contact = TestPki.client(CONTACT).issuedBy(TestPki.ca("Partner CA")).build();
        TestPki.Issued noEmail = TestPki.certificate().subject("Nobody", null)
                .keyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment).build();
        startGateway(org, orgCa);
        browser = chromium();
        String base = "http://127.0.0.1:" + admin.port();
        logIn(base);

        Path contactPem = TestPki.writePem(dir.resolve("alice.pem"), contact.certificate());
        browser.findElement(By.id("certificate-file")).sendKeys(contactPem.toString());
        browser.findElement(By.id("certificate-upload")).click();
        String imported = textOf(By.cssSelector("li.done"));
        assertTrue(imported.startsWith("imported ") && imported.contains(" client " + CONTACT + " notAfter="),
                imported);
        assertEquals(base + "/certificates", browser.getCurrentUrl(), "the upload is answered with a redirect");
        assertTrue(textOf(By.id("certificates")).contains(CONTACT), "the uploaded certificate is not listed");
        browser.navigate().refresh();
        awaitUrl(base + "/certificates");
        textOf(By.id("certificates"));
        assertTrue(browser.findElements(By.cssSelector("ul.notice")).isEmpty(), "a reload showed the result again");

        Path refusedPem = TestPki.writePem(dir.resolve("nobody.pem"), noEmail.certificate());
        browser.findElement(By.id("certificate-file")).sendKeys(refusedPem.toString());
        browser.findElement(By.id("certificate-upload")).click();
        String refusal = textOf(By.cssSelector("li.refused"));
        assertEquals("rejected nobody.pem: no Subject Alternative Name with an e-mail address (rfc822Name)", refusal);

        String reply = SmtpSubmission.send(relay.outboundPort(), ORG, CONTACT, message());
        assertTrue(reply.startsWith("250 "), reply);
        assertTrue(upstream.waitForIncomingEmail(WAIT.toMillis(), 1), "nothing reached the upstream");
        MimeMessage delivered = upstream.getReceivedMessages()[0];
        SMIMEEnveloped enveloped = new SMIMEEnveloped(delivered);
        RecipientInformation forContact = enveloped.getRecipientInfos()
                .get(new JceKeyTransRecipientId(contact.certificate()));
        assertNotNull(forContact, "the message is not encrypted to the uploaded certificate");
        String content = new String(forContact.getContent(new JceKeyTransEnvelopedRecipient(contact.key())),
                StandardCharsets.UTF_8);
        assertTrue(content.contains("your ticket is solved"), content);
    }

    @Test
    void everyPageWorksInTheBrowserFitsTheWindowAndIsPhotographed() throws Exception {
        // no relay: queued messages stay queued; the clock stands, so that the pages look the same on every run
        MutableClock clock = new MutableClock(TestPki.NOW);
        fixture = new AdminFixture(dir, clock, true, Map.of());
        Gateway store = fixture.gateway;
        TestPki.Issued partnerCa = TestPki.ca("Partner Issuing CA");
        store.admin().importCertificate(partnerCa.certificate(), "test");
        for (int i = 1; i <= 58; i++) {
            store.certificates().add(TestPki.client(String.format("contact%02d@partner.example", i))
                    .subject(String.format("Contact %02d", i), null).issuedBy(partnerCa).build().certificate(),
                    CertificateKind.CLIENT);
        }
        store.certificates().add(TestPki.client("alice.expired@partner.example").subject("Alice Expired", null)
                .valid(TestPki.NOW.minus(Duration.ofDays(400)), TestPki.NOW.minus(Duration.ofDays(3)))
                .issuedBy(partnerCa).build().certificate(), CertificateKind.CLIENT);
        store.certificates().add(TestPki.client("bob.soon@partner.example").subject("Bob Soon", null)
                .valid(TestPki.NOW.minus(Duration.ofDays(300)), TestPki.NOW.plus(Duration.ofHours(12 * 24 + 1)))
                .issuedBy(partnerCa).build().certificate(), CertificateKind.CLIENT);
        store.certificates().add(TestPki.client("carol.harvested@other.example").subject("Carol Harvested", null)
                .build().certificate(), CertificateKind.CLIENT, CertificateSource.PENDING);
        TestPki.Issued orgCa = TestPki.ca("Org CA");
        TestPki.Issued org = TestPki.client(ORG).subject("Helpdesk", null).issuedBy(orgCa).build();
        store.admin().importCertificate(orgCa.certificate(), "test");
        store.admin().importKey(org.key(), List.of(org.certificate()), "test");
        String queued = queue(store, "alice@partner.example", List.of("bob@example.com", "carol@example.com"),
                "=?UTF-8?B?" + Base64.getEncoder().encodeToString("Grüße zum Quartalsbericht".getBytes(
                        StandardCharsets.UTF_8)) + "?=");
        String held = queue(store, ORG, List.of("dave@example.com"), "Invoice 2026-118");
        store.queue().hold(held);
        String unprocessed = QueueIds.next(TestPki.NOW);
        store.queue().enqueueUnprocessed(unprocessed, Direction.INBOUND, "mallory@example.net", List.of(ORG),
                Bytes.of(("Subject: Malformed attachment\r\n\r\n" + BODY + "\r\n").getBytes(StandardCharsets.UTF_8)),
                TestPki.NOW.minus(Duration.ofMinutes(42)), "processing failed: java.lang.IllegalStateException: "
                        + "unterminated multipart in part 3");
        clock.advance(Duration.ofMinutes(5));

        browser = chromium();
        String base = "http://127.0.0.1:" + fixture.server.port();
        logIn(base);
        assertEquals(WIDTH, ((Number) script("return window.innerWidth")).intValue(), "the window is not 1280 wide");
        assertCurrent("Certificates");
        assertTrue(textOf(By.id("expiry")).contains("1 expired, 1 expire within 30 days"), textOf(By.id("expiry")));
        assertTrue(textOf(By.cssSelector("#certificates tr.expired")).contains("expired"));
        assertTrue(textOf(By.cssSelector("#certificates tr.expiring")).contains("expires in 12 days"));
        assertEquals("1\u201350 of 64", textOf(By.cssSelector("nav.pages .range")));
        photograph("certificates");

        // upload: a redirect, the result once, and a reload that repeats nothing
        Path pem = TestPki.writePem(dir.resolve("erin.pem"), TestPki.client("erin@partner.example")
                .issuedBy(partnerCa).build().certificate());
        browser.findElement(By.id("certificate-file")).sendKeys(pem.toString());
        browser.findElement(By.id("certificate-upload")).click();
        assertTrue(textOf(By.cssSelector("li.done")).contains(" client erin@partner.example notAfter="));
        awaitUrl(base + "/certificates");
        browser.navigate().refresh();
        assertEquals("1\u201350 of 65", textOf(By.cssSelector("nav.pages .range")));
        assertTrue(browser.findElements(By.cssSelector("ul.notice")).isEmpty(), "a reload showed the result again");

        // search, keeping the text in the box
        browser.findElement(By.id("certificate-search")).sendKeys("CONTACT 1");
        browser.findElement(By.id("certificate-search-submit")).click();
        await("the search's result", () -> browser.getCurrentUrl().contains("q=CONTACT+1") ? "" : null);
        List<String> found = column(3);
        assertEquals(10, found.size(), found.toString());
        assertTrue(found.stream().allMatch(e -> e.matches("contact1[0-9]@partner\\.example")), found.toString());
        assertEquals("CONTACT 1", browser.findElement(By.id("certificate-search")).getAttribute("value"));

        // sort by a header, then the other way
        browser.findElement(By.linkText("Show all")).click();
        await("the whole list", () -> browser.getCurrentUrl().equals(base + "/certificates") ? "" : null);
        browser.findElement(By.partialLinkText("Not after")).click();
        await("the list by expiry", () -> browser.getCurrentUrl().contains("sort=notafter&order=asc") ? "" : null);
        assertEquals("alice.expired@partner.example", column(3).get(0));
        assertTrue(textOf(By.cssSelector("th.sorted")).startsWith("Not after"));
        browser.findElement(By.partialLinkText("Not after")).click();
        await("the list by expiry, latest first", () -> browser.getCurrentUrl().contains("order=desc") ? "" : null);
        assertFalse(column(3).contains("alice.expired@partner.example"));

        // pages, which keep the sort
        browser.get(base + "/certificates?sort=email");
        browser.findElement(By.id("next-page")).click();
        await("the second page", () -> browser.getCurrentUrl().contains("page=2") ? "" : null);
        assertEquals("51\u201365 of 65", textOf(By.cssSelector("nav.pages .range")));
        assertEquals(15, column(3).size());
        assertTrue(browser.getCurrentUrl().contains("sort=email"), browser.getCurrentUrl());
        assertFits("the second page of certificates");

        // a certificate's view with its chain
        browser.get(base + "/certificates?q=contact07");
        browser.findElement(By.cssSelector("#certificates tbody tr td.mono a")).click();
        await("the certificate view", () -> browser.getCurrentUrl().contains("/certificates/view?fingerprint=")
                ? "" : null);
        assertCurrent("Certificates");
        assertTrue(textOf(By.id("certificate-fields")).contains("contact07@partner.example"));
        assertTrue(textOf(By.id("chain")).contains("CN=Partner Issuing CA"));
        assertTrue(textOf(By.id("chain-end")).contains("The chain ends in the stored root CN=Partner Issuing CA"));
        assertTrue(textOf(By.id("pem")).startsWith("-----BEGIN CERTIFICATE-----"));
        photograph("certificate");

        // delete: the confirmation, cancel, then the delete
        browser.findElement(By.linkText("Delete")).click();
        assertTrue(textOf(By.cssSelector("main")).contains("This deletes the client certificate CN=Contact 07"));
        browser.findElement(By.id("cancel-delete")).click();
        awaitUrl(base + "/certificates");
        assertEquals(1, store.certificates().findByEmail("contact07@partner.example").size(), "cancel deleted");
        browser.get(base + "/certificates?q=contact07");
        browser.findElement(By.cssSelector("#certificates a.button")).click();
        browser.findElement(By.id("confirm-delete")).click();
        assertTrue(textOf(By.cssSelector("li.done")).startsWith("deleted "));
        assertTrue(store.certificates().findByEmail("contact07@partner.example").isEmpty());
        browser.get(base + "/certificates?q=" + ORG);
        browser.findElement(By.cssSelector("#certificates a.button")).click();
        assertTrue(textOf(By.id("private-key-warning")).contains("Mail can then no longer be signed"));
        photograph("delete-certificate");
        browser.findElement(By.id("cancel-delete")).click();

        browser.findElement(By.linkText("Organisation keys")).click();
        assertCurrent("Organisation keys");
        assertTrue(textOf(By.id("keys")).contains(ORG));
        // a key pair made here: the form leads to the request's page with its PEM (docs/design.md §14)
        browser.findElement(By.id("request-email")).sendKeys("sales@org.example");
        browser.findElement(By.xpath("//select[@id='request-algorithm']/option[text()='ec-p256']")).click();
        browser.findElement(By.id("request-submit")).click();
        assertTrue(textOf(By.id("request-pem")).startsWith("-----BEGIN CERTIFICATE REQUEST-----"));
        assertTrue(textOf(By.cssSelector("li.done")).contains(" sales@org.example ec-p256 "));
        photograph("request");
        browser.findElement(By.linkText("Organisation keys")).click();
        assertTrue(textOf(By.id("pending")).contains("sales@org.example"));
        photograph("keys");

        // the queue: counts, and each state's actions
        browser.findElement(By.linkText("Queue")).click();
        assertCurrent("Queue");
        assertEquals("queued: 1 held: 1 unprocessed: 1", textOf(By.id("queue-counts")));
        assertEquals(List.of("Retry", "Hold", "Delete"), actions(queued));
        assertEquals(List.of("Release", "Delete"), actions(held));
        assertEquals(List.of("Process again", "Delete"), actions(unprocessed));
        assertTrue(textOf(By.id("message-" + queued)).contains("Grüße zum Quartalsbericht"));
        photograph("queue");
        browser.findElement(By.linkText(queued)).click();
        await("the message view", () -> browser.getCurrentUrl().contains("/queue/view?id=" + queued) ? "" : null);
        assertCurrent("Queue");
        assertTrue(textOf(By.id("headers")).contains("Grüße zum Quartalsbericht"));
        assertTrue(textOf(By.id("message-fields")).contains("signed=yes encrypted=yes"));
        assertFalse(browser.getPageSource().contains(BODY), "the message view showed the body");
        photograph("message");
        browser.findElement(By.linkText("Queue")).click();
        browser.findElement(By.cssSelector("#message-" + queued + " form[action='/queue/hold'] button")).click();
        assertEquals("held " + queued, textOf(By.cssSelector("li.done")));
        assertEquals(List.of("Release", "Delete"), actions(queued));

        browser.findElement(By.linkText(unprocessed)).click();
        await("the message view", () -> browser.getCurrentUrl().contains("/queue/view?id=" + unprocessed) ? "" : null);
        assertCurrent("Queue");
        assertTrue(textOf(By.id("headers")).contains("Malformed attachment"));
        assertFalse(browser.getPageSource().contains(BODY), "the message view showed the body");
        browser.findElement(By.linkText("Delete")).click();
        browser.findElement(By.id("confirm-delete")).click();
        assertEquals("deleted " + unprocessed, textOf(By.cssSelector("li.done")));
        assertEquals("queued: 0 held: 2 unprocessed: 0", textOf(By.id("queue-counts")));

        // the audit log, filtered by action
        browser.findElement(By.linkText("Audit log")).click();
        assertCurrent("Audit log");
        browser.findElement(By.cssSelector("#audit-action option[value='cert.delete']")).click();
        browser.findElement(By.id("audit-filter")).click();
        await("the filtered audit log", () -> browser.getCurrentUrl().contains("action=cert.delete") ? "" : null);
        List<String> actions = column(2, "#audit");
        assertEquals(List.of("cert.delete"), actions, "only the one delete");
        browser.get(base + "/audit");
        photograph("audit");
    }

    private void startGateway(TestPki.Issued org, TestPki.Issued orgCa) throws Exception {
        upstream = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        upstream.start();
        int port = upstream.getSmtp().getPort();
        Path properties = Files.writeString(dir.resolve("gateway.properties"), "gateway.hostname=gw.test\n"
                + "store.url=jdbc:h2:file:" + dir.resolve("data/gateway").toAbsolutePath() + "\n"
                + "store.master.key.file=" + dir.resolve("data/master.key").toAbsolutePath() + "\n"
                + "spool.dir=" + dir.resolve("data/spool").toAbsolutePath() + "\n"
                + "outbound.relay=127.0.0.1:" + port + "\ninbound.relay=127.0.0.1:" + port + "\n"
                + "outbound.relay.tls=none\ninbound.relay.tls=none\n"
                + "outbound.encrypt=required\n"
                + "delivery.connect.timeout=5s\ndelivery.read.timeout=20s\n");
        GatewayConfig config = GatewayConfig.load(properties, true);
        Clock clock = Clock.systemUTC();
        gateway = Gateway.open(config, clock);
        gateway.admin().importCertificate(orgCa.certificate(), "test");
        gateway.admin().importKey(org.key(), List.of(org.certificate()), "test");
        HostPort anyPort = new HostPort("127.0.0.1", 0);
        relay = Relay.start(gateway, clock, ListenerConfig.of(config, Direction.OUTBOUND).withListen(anyPort),
                ListenerConfig.of(config, Direction.INBOUND).withListen(anyPort));
        String hash = OpenBSDBCrypt.generate("2y",
                AdminFixture.PASSWORD.toCharArray(), new byte[16], 4);
        AdminSettings settings = new AdminSettings(anyPort, AdminFixture.USER, Optional.of(hash),
                Duration.ofMinutes(30), Duration.ofMinutes(1), 30);
        admin = AdminServer.start(settings, gateway, relay::wakeUp, clock, Map.of());
    }

    private static String queue(Gateway store, String sender, List<String> recipients, String subject) {
        String id = QueueIds.next(TestPki.NOW);
        store.queue().enqueue(id, Direction.OUTBOUND, sender, recipients, Bytes.of(("From: " + sender + "\r\nTo: "
                + String.join(", ", recipients) + "\r\nSubject: " + subject + "\r\n\r\n" + BODY + "\r\n")
                .getBytes(StandardCharsets.UTF_8)), TestPki.NOW.minus(Duration.ofMinutes(3)),
                "signed=yes encrypted=yes");
        return id;
    }

    private void logIn(String base) {
        browser.get(base + "/certificates");
        awaitUrl(base + "/login");
        assertFits("the login page");
        browser.findElement(By.id("login-user")).sendKeys(AdminFixture.USER);
        browser.findElement(By.id("login-password")).sendKeys(AdminFixture.PASSWORD);
        browser.findElement(By.id("login-submit")).click();
        awaitUrl(base + "/certificates");
    }

    /** The navigation marks the page's section, and only that one. */
    private void assertCurrent(String section) {
        textOf(By.cssSelector("main h1"));
        List<WebElement> current = browser.findElements(By.cssSelector("header nav a[aria-current='page']"));
        assertEquals(1, current.size(), "one navigation entry is current");
        assertEquals(section, current.get(0).getText());
        assertEquals("current", current.get(0).getAttribute("class"));
    }

    /** The page is no wider than the window, its vertical scroll bar included: nothing to scroll sideways. */
    private void assertFits(String page) {
        long width = ((Number) script("return document.documentElement.scrollWidth")).longValue();
        long visible = ((Number) script("return document.documentElement.clientWidth")).longValue();
        assertTrue(width <= WIDTH && width <= visible, page + " is " + width + " px wide in a " + WIDTH
                + " px window that shows " + visible + " px");
    }

    /**
     * Checks that the page fits and saves its screenshot as {@code target/admin-page/<name>.png}; with
     * {@code admin.screenshots.update=true} also as {@code docs/admin-page/<name>.png} of the repository.
     */
    private void photograph(String name) throws IOException {
        assertFits(name);
        Path module = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
        assertTrue(Files.isRegularFile(module.resolve("pom.xml")), "not the module's directory: " + module);
        Path shot = Files.createDirectories(module.resolve("target/admin-page")).resolve(name + ".png");
        Files.write(shot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        if (Boolean.getBoolean("admin.screenshots.update")) {
            Path docs = module.getParent().resolve("docs");
            assertTrue(Files.isDirectory(docs), "no docs directory beside the module: " + docs);
            Files.copy(shot, Files.createDirectories(docs.resolve("admin-page")).resolve(name + ".png"),
                    StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The texts of one column (from 1) of the certificate list, in order. */
    private List<String> column(int column) {
        return column(column, "#certificates");
    }

    private List<String> column(int column, String table) {
        textOf(By.cssSelector(table));
        return browser.findElements(By.cssSelector(table + " tbody tr td:nth-child(" + column + ")")).stream()
                .map(WebElement::getText).toList();
    }

    /** The labels of the buttons and links in a queue row's actions cell. */
    private List<String> actions(String id) {
        textOf(By.id("message-" + id));
        return browser.findElements(By.cssSelector("#message-" + id + " td.actions button, #message-" + id
                + " td.actions a")).stream().map(WebElement::getText).toList();
    }

    private Object script(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    private void awaitUrl(String url) {
        await("the browser at " + url + " (it is at " + browser.getCurrentUrl() + ")",
                () -> url.equals(browser.getCurrentUrl()) ? url : null);
    }

    /** The text of the first visible element the locator finds, once there is one. */
    private String textOf(By locator) {
        return await("a visible element " + locator, () -> {
            List<WebElement> found = browser.findElements(locator);
            return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0).getText();
        });
    }

    /** Polls until the supplier gives a value; a page being replaced meanwhile is just another try. */
    private static <T> T await(String what, Supplier<T> probe) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                T value = probe.get();
                if (value != null) {
                    return value;
                }
            } catch (WebDriverException e) {
                // a stale element of the page the browser is leaving
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT + ": " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    /**
     * Debian's Chromium and driver, set explicitly so that Selenium Manager never looks for them online, showing
     * pages of 1280 x 900 pixels.
     */
    private WebDriver chromium() throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new AssertionError("the browser test needs " + CHROMIUM + " and " + CHROMEDRIVER
                    + ": install the Debian packages chromium and chromium-driver (as .ci/run does)");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=" + WIDTH + "," + HEIGHT,
                "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        // the window's frame takes some of its height: the page itself gets exactly 1280 x 900
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", WIDTH, "height", HEIGHT,
                "deviceScaleFactor", 1, "mobile", false));
        return driver;
    }

    private static byte[] message() {
        return ("From: " + ORG + "\r\nTo: " + CONTACT + "\r\nSubject: Your ticket\r\nMessage-ID: <" + UUID.randomUUID()
                + "@test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n"
                + "Hello Alice,\r\n\r\nyour ticket is solved.\r\n").getBytes(StandardCharsets.UTF_8);
    }
}
