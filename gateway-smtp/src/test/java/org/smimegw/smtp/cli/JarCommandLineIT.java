package org.smimegw.smtp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.core.testing.Openssl;

/**
 * Runs the packaged {@code smime-gateway.jar} in its own JVM, as an operator would: a fresh JVM has no provider
 * or state left behind by other tests, and the working directory supplies the default configuration file.
 */
class JarCommandLineIT {
    private static final long TIMEOUT_SECONDS = GatewayJar.TIMEOUT_SECONDS;

    @TempDir
    Path dir;
    private Openssl openssl;
    private GatewayJar jar;

    @BeforeEach
    void setUp() throws IOException {
        openssl = new Openssl(dir);
        jar = new GatewayJar(dir);
        Files.createDirectories(dir.resolve("config"));
        Files.writeString(dir.resolve("config/gateway.properties"), "gateway.hostname=gw.test\n");
    }

    private GatewayJar.Started start(Map<String, String> environment, List<String> javaOptions, String... args)
            throws IOException {
        return jar.start(environment, javaOptions, args);
    }

    private GatewayJar.Run finish(GatewayJar.Started started) throws Exception {
        return jar.finish(started);
    }

    private GatewayJar.Run gateway(String... args) throws Exception {
        return jar.run(Map.of(), args);
    }

    private GatewayJar.Run succeeds(Map<String, String> environment, String... args) throws Exception {
        return jar.succeeds(environment, args);
    }

    private GatewayJar.Run succeeds(String... args) throws Exception {
        return jar.succeeds(Map.of(), args);
    }

    private static boolean isLinuxX8664() {
        return System.getProperty("os.name").startsWith("Linux")
                && List.of("amd64", "x86_64").contains(System.getProperty("os.arch"));
    }

    @Test
    void runAcceptsQueuesBesideTheCommandLineStopsOnSigtermAndDeliversAfterRestart() throws Exception {
        int outbound = GatewayJar.freePort();
        int upstreamPort = GatewayJar.freePort();
        int admin = GatewayJar.freePort();
        Files.writeString(dir.resolve("config/gateway.properties"), "gateway.hostname=gw.test\n"
                + "outbound.listen=127.0.0.1:" + outbound + "\ninbound.listen=127.0.0.1:" + GatewayJar.freePort() + "\n"
                + "admin.listen=127.0.0.1:" + admin + "\n"
                + "outbound.relay=127.0.0.1:" + upstreamPort + "\noutbound.relay.tls=none\n"
                + "outbound.sign=never\ndelivery.retry.intervals=1s\n");
        GatewayJar.Started first = start(Map.of(), List.of(), "run");
        GatewayJar.awaitText(first.err(), "smime-gateway running: outbound 127.0.0.1:" + outbound, first.process());
        // the node id its workers lease as (host/pid/random, shown by queue show as the lease owner) and the lease time
        GatewayJar.awaitText(first.err(), " workers as node gw.test/", first.process());
        GatewayJar.awaitText(first.err(), " (lease 1m), crypto: ", first.process());
        // the summary names the crypto provider in use (the jar ships the linux-x86_64 Corretto library)
        GatewayJar.awaitText(first.err(), "crypto: " + (isLinuxX8664() ? "Amazon Corretto Crypto Provider 2.5.0 first"
                : "JDK providers (Amazon Corretto Crypto Provider unavailable: "), first.process());
        GatewayJar.awaitText(first.err(), "admin page on http://127.0.0.1:" + admin
                + "/ (user admin, password NOT set", first.process());
        HttpRequest certificates = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/certificates"))
                .timeout(java.time.Duration.ofSeconds(TIMEOUT_SECONDS)).build();
        HttpResponse<Void> anonymous = HttpClient.newHttpClient().send(certificates,
                HttpResponse.BodyHandlers.discarding());
        assertEquals(303, anonymous.statusCode(), "the admin page let an anonymous user in");
        String reply = org.smimegw.smtp.SmtpSubmission.send(outbound, "helpdesk@org.example", "bob@example.com",
                "From: helpdesk@org.example\r\nTo: bob@example.com\r\nSubject: queued\r\n\r\n.dot line\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
        assertTrue(reply.startsWith("250 2.0.0 queued as "), reply);
        String id = reply.substring("250 2.0.0 queued as ".length()).strip();
        GatewayJar.Run list = succeeds("queue", "list");
        assertTrue(list.out().startsWith(id + " outbound queued"), list.toString());

        first.process().destroy(); // SIGTERM
        GatewayJar.Run stopped = finish(first);
        assertTrue(stopped.err().contains("smime-gateway stopped; undelivered messages stay queued"), stopped.toString());
        assertTrue(succeeds("queue", "list").out().startsWith(id + " "), "the message must survive the stop");

        com.icegreen.greenmail.util.GreenMail upstream = new com.icegreen.greenmail.util.GreenMail(
                new com.icegreen.greenmail.util.ServerSetup(upstreamPort, "127.0.0.1", "smtp"));
        upstream.start();
        try {
            GatewayJar.Started second = start(Map.of(), List.of(), "run");
            try {
                assertTrue(upstream.waitForIncomingEmail(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS), 1),
                        "the queued message was not delivered after the restart");
                String delivered = com.icegreen.greenmail.util.GreenMailUtil.getWholeMessage(
                        upstream.getReceivedMessages()[0]);
                assertTrue(delivered.contains("\r\n.dot line"), delivered);
                assertTrue(delivered.contains("by gw.test with ESMTP id " + id), delivered);
            } finally {
                second.process().destroy();
                finish(second);
            }
        } finally {
            upstream.stop();
        }
    }

    @Test
    void outboundMessageIsSignedAndEncryptedSoThatOpensslAsBobDecryptsAndVerifiesIt() throws Exception {
        jar.importAliceAsTheOrganisationAndBobAsAContact();
        Files.writeString(dir.resolve("out.eml"), "From: Alice <alice@smime.example>\r\nTo: bob@smime.example\r\n"
                + "Subject: ticket\r\nX-SMIME-Encrypt: yes\r\n\r\nHello Bob.\r\n");

        succeeds("process", "--direction", "outbound", "--in", "out.eml", "--out", "sent.eml");

        assertFalse(Files.readString(dir.resolve("sent.eml")).contains("X-SMIME-"));
        openssl.run("cms", "-decrypt", "-in", "sent.eml", "-recip", GatewayJar.rfc9216("bob.encrypt.crt"), "-inkey",
                GatewayJar.rfc9216("bob.decrypt.key"), "-out", "decrypted.eml").assertSuccess();
        openssl.run("cms", "-verify", "-in", "decrypted.eml", "-CAfile", GatewayJar.rfc9216("ca.rsa.crt"), "-out",
                "content.txt").assertSuccess();
        assertTrue(Files.readString(dir.resolve("content.txt")).contains("Hello Bob."));
    }

    @Test
    void inboundMessageSignedByBobAndEncryptedToAliceWithOpensslPasses() throws Exception {
        jar.importAliceAsTheOrganisationAndBobAsAContact();
        Files.writeString(dir.resolve("reply.txt"), "Content-Type: text/plain\r\n\r\nThanks, Alice.\r\n");
        openssl.run("cms", "-sign", "-in", "reply.txt", "-signer", GatewayJar.rfc9216("bob.sign.crt"), "-inkey",
                GatewayJar.rfc9216("bob.sign.key"), "-out", "signed.eml").assertSuccess();
        openssl.run("cms", "-encrypt", "-in", "signed.eml", "-aes-256-gcm", "-recip", GatewayJar.rfc9216("alice.encrypt.crt"),
                "-keyopt", "rsa_padding_mode:oaep", "-from", "bob@smime.example", "-to", "alice@smime.example",
                "-subject", "Re: ticket", "-out", "received.eml").assertSuccess();

        succeeds("process", "--direction", "inbound", "--in", "received.eml", "--out", "delivered.eml");

        String delivered = Files.readString(dir.resolve("delivered.eml"));
        assertTrue(delivered.contains("Authentication-Results: gw.test; smime=pass\r\n"), delivered);
        assertTrue(delivered.contains("body.smime-identifier=bob@smime.example"), delivered);
        assertTrue(delivered.contains("X-SMIME-Encryption: decrypted; cert="), delivered);
        assertTrue(delivered.contains("Thanks, Alice."), delivered);
        GatewayJar.Run log = succeeds("log", "--limit", "1", "--json");
        assertTrue(log.out().contains("\"decision\":\"smime=pass\""), log.toString());
    }

    @Test
    void refusalIsOneLineOnStderrAndExitsOne() throws Exception {
        jar.importAliceAsTheOrganisationAndBobAsAContact();
        Files.writeString(dir.resolve("out.eml"), "From: alice@smime.example\r\nTo: carol@example.org\r\n"
                + "X-SMIME-Encrypt: yes\r\n\r\nHello.\r\n");

        GatewayJar.Run run = gateway("process", "--direction", "outbound", "--in", "out.eml", "--out", "sent.eml");

        assertEquals(1, run.exit(), run.toString());
        assertEquals("smime-gateway: 550 5.7.1 cannot encrypt: no valid certificate for carol@example.org"
                + " (no certificate)", run.err().strip());
        assertFalse(Files.exists(dir.resolve("sent.eml")), "nothing may be written for a refused message");
    }

    @Test
    void garbageInboundPassesThroughAnnotated() throws Exception {
        Files.write(dir.resolve("garbage.eml"), new byte[] {0, (byte) 0xff, 'x', '\r', '\n', 0x1b});

        succeeds("process", "--direction", "inbound", "--in", "garbage.eml", "--out", "delivered.eml");

        String delivered = Files.readString(dir.resolve("delivered.eml"), StandardCharsets.ISO_8859_1);
        assertTrue(delivered.contains("smime=none"), delivered);
        assertTrue(delivered.contains("X-SMIME-Encryption: none"), delivered);
    }

    @Test
    void messageLargerThanTheHeapIsSpooledAndProcessed() throws Exception {
        writeLargeMessage(dir.resolve("big.eml"), 40);

        GatewayJar.Run run = finish(start(Map.of(), List.of("-Xmx24m"), "process", "--direction", "inbound", "--in",
                "big.eml", "--out", "delivered.eml"));

        assertEquals(0, run.exit(), run.toString());
        assertTrue(Files.size(dir.resolve("delivered.eml")) > Files.size(dir.resolve("big.eml")), run.toString());
    }

    @Test
    void runningOutOfMemoryIsOneLineWithoutStackTrace() throws Exception {
        writeLargeMessage(dir.resolve("big.eml"), 40);
        // the store exists already, so that the one line is the failure's, not the new store's
        succeeds("cert", "list");

        // a memory limit larger than the heap keeps the whole message in memory
        GatewayJar.Run run = finish(start(Map.of("SMIMEGW_SPOOL_MEMORY_LIMIT", "1000000000"), List.of("-Xmx24m"),
                "process", "--direction", "inbound", "--in", "big.eml", "--out", "delivered.eml"));

        assertEquals(1, run.exit(), run.toString());
        assertTrue(run.err().startsWith("smime-gateway: out of memory:"), run.toString());
        assertEquals(1, run.err().lines().count(), run.toString());
    }

    /** A plain message of about {@code megabytes} MB in 77-byte lines. */
    private static void writeLargeMessage(Path file, int megabytes) throws IOException {
        byte[] line = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        try (var out = Files.newOutputStream(file)) {
            out.write("From: bob@smime.example\r\nTo: alice@smime.example\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < megabytes * 1024 * 1024 / line.length; i++) {
                out.write(line);
            }
        }
    }

    @Test
    void usageErrorExitsTwoAndBadConfigurationNamesTheKey() throws Exception {
        assertEquals(2, gateway("cert", "frobnicate").exit());

        Files.writeString(dir.resolve("bad.properties"), "outbound.sign=sometimes\n");
        GatewayJar.Run bad = gateway("cert", "list", "--config", "bad.properties");
        assertEquals(1, bad.exit(), bad.toString());
        assertTrue(bad.err().contains("outbound.sign"), bad.toString());
    }
}
