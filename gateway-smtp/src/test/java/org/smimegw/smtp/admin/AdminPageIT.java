package org.smimegw.smtp.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
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
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.smimegw.core.queue.Direction;
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
 * The admin page in a real browser (Debian's Chromium, headless, driven by Selenium) against an in-process
 * gateway with its relay and GreenMail as the upstream MTA: the login, a certificate upload that the next message
 * is encrypted to, and a refused upload that shows the rule of docs/design.md §4.1 that failed.
 */
class AdminPageIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String ORG = "helpdesk@org.example";
    private static final String CONTACT = "alice@partner.example";

    @TempDir
    Path dir;
    private final Clock clock = Clock.systemUTC();
    private GreenMail upstream;
    private Gateway gateway;
    private Relay relay;
    private AdminServer admin;
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

        browser.get(base + "/certificates");
        awaitUrl(base + "/login");
        browser.findElement(By.id("login-user")).sendKeys(AdminFixture.USER);
        browser.findElement(By.id("login-password")).sendKeys(AdminFixture.PASSWORD);
        browser.findElement(By.id("login-submit")).click();
        awaitUrl(base + "/certificates");

        Path contactPem = TestPki.writePem(dir.resolve("alice.pem"), contact.certificate());
        browser.findElement(By.id("certificate-file")).sendKeys(contactPem.toString());
        browser.findElement(By.id("certificate-upload")).click();
        String imported = textOf(By.cssSelector("li.done"));
        assertTrue(imported.startsWith("imported ") && imported.contains(" client " + CONTACT + " notAfter="),
                imported);
        assertTrue(textOf(By.id("certificates")).contains(CONTACT), "the uploaded certificate is not listed");

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

    /** Debian's Chromium and driver, set explicitly so that Selenium Manager never looks for them online. */
    private WebDriver chromium() throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new AssertionError("the browser test needs " + CHROMIUM + " and " + CHROMEDRIVER
                    + ": install the Debian packages chromium and chromium-driver (as .ci/run does)");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private static byte[] message() {
        return ("From: " + ORG + "\r\nTo: " + CONTACT + "\r\nSubject: Your ticket\r\nMessage-ID: <" + UUID.randomUUID()
                + "@test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n"
                + "Hello Alice,\r\n\r\nyour ticket is solved.\r\n").getBytes(StandardCharsets.UTF_8);
    }
}
