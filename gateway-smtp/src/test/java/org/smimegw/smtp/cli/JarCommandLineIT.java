package org.smimegw.smtp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.core.testing.Openssl;
import org.smimegw.core.testing.TestData;

/**
 * Runs the packaged {@code smime-gateway.jar} in its own JVM, as an operator would: a fresh JVM has no provider
 * or state left behind by other tests, and the working directory supplies the default configuration file.
 */
class JarCommandLineIT {
    private static final long TIMEOUT_SECONDS = 120;

    @TempDir
    Path dir;
    private Openssl openssl;

    record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        openssl = new Openssl(dir);
        Files.createDirectories(dir.resolve("config"));
        Files.writeString(dir.resolve("config/gateway.properties"), "gateway.hostname=gw.test\n");
    }

    /** A started gateway process and the files its output goes to. */
    private record Started(Process process, List<String> command, Path out, Path err) {
    }

    /**
     * Starts the jar in {@link #dir}, so the default {@code config/gateway.properties} and {@code ./data} apply.
     * {@code javaOptions} come before {@code -jar}, as {@code JAVA_OPTS} would.
     */
    private Started start(Map<String, String> environment, List<String> javaOptions, String... args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(javaOptions);
        command.addAll(List.of("-jar", System.getProperty("gateway.jar")));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "gateway", ".out");
        Path err = Files.createTempFile(dir, "gateway", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(environment);
        return new Started(builder.start(), command, out, err);
    }

    private Run gateway(Map<String, String> environment, String... args) throws Exception {
        return finish(start(environment, List.of(), args));
    }

    private Run finish(Started started) throws Exception {
        Process process = started.process();
        List<String> command = started.command();
        Path out = started.out();
        Path err = started.err();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the gateway did not finish within " + TIMEOUT_SECONDS + " s: " + command);
        }
        Run run = new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        assertFalse(run.out().contains("\tat ") || run.err().contains("\tat "), "a stack trace reached the user:\n" + run);
        return run;
    }

    private Run gateway(String... args) throws Exception {
        return gateway(Map.of(), args);
    }

    private Run succeeds(Map<String, String> environment, String... args) throws Exception {
        Run run = gateway(environment, args);
        assertEquals(0, run.exit(), run.toString());
        return run;
    }

    private Run succeeds(String... args) throws Exception {
        return succeeds(Map.of(), args);
    }

    private String rfc9216(String name) {
        return TestData.file("rfc9216/" + name).toString();
    }

    private void setUpAliceAsTheOrganisationAndBobAsAContact() throws Exception {
        succeeds("cert", "import", rfc9216("ca.rsa.crt"), rfc9216("bob.sign.crt"), rfc9216("bob.encrypt.crt"));
        Run key = succeeds(Map.of("P12_PASSWORD", "alice"), "key", "import", rfc9216("alice.p12"),
                "--password-env", "P12_PASSWORD");
        assertEquals(2, key.out().lines().filter(line -> line.endsWith(" key")).count(), key.toString());
    }

    /** A free loopback port; the small race with other processes is acceptable in a test. */
    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static boolean isLinuxX8664() {
        return System.getProperty("os.name").startsWith("Linux")
                && List.of("amd64", "x86_64").contains(System.getProperty("os.arch"));
    }

    /** Waits (bounded) until the file contains the text; fails with the file's content. */
    private static void awaitText(Path file, String text, Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (!Files.readString(file, StandardCharsets.UTF_8).contains(text)) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new AssertionError("no '" + text + "' (alive=" + process.isAlive() + "):\n"
                        + Files.readString(file, StandardCharsets.UTF_8));
            }
            Thread.onSpinWait();
            process.waitFor(50, TimeUnit.MILLISECONDS);
        }
    }

    @Test
    void runAcceptsQueuesBesideTheCommandLineStopsOnSigtermAndDeliversAfterRestart() throws Exception {
        int outbound = freePort();
        int upstreamPort = freePort();
        Files.writeString(dir.resolve("config/gateway.properties"), "gateway.hostname=gw.test\n"
                + "outbound.listen=127.0.0.1:" + outbound + "\ninbound.listen=127.0.0.1:" + freePort() + "\n"
                + "outbound.relay=127.0.0.1:" + upstreamPort + "\noutbound.relay.tls=none\n"
                + "outbound.sign=never\ndelivery.retry.intervals=1s\n");
        Started first = start(Map.of(), List.of(), "run");
        awaitText(first.err(), "smime-gateway running: outbound 127.0.0.1:" + outbound, first.process());
        // the summary names the crypto provider in use (the jar ships the linux-x86_64 Corretto library)
        awaitText(first.err(), "crypto: " + (isLinuxX8664() ? "Amazon Corretto Crypto Provider 2.5.0 first"
                : "JDK providers (Amazon Corretto Crypto Provider unavailable: "), first.process());
        String reply = org.smimegw.smtp.SmtpSubmission.send(outbound, "helpdesk@org.example", "bob@example.com",
                "From: helpdesk@org.example\r\nTo: bob@example.com\r\nSubject: queued\r\n\r\n.dot line\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
        assertTrue(reply.startsWith("250 2.0.0 queued as "), reply);
        String id = reply.substring("250 2.0.0 queued as ".length()).strip();
        Run list = succeeds("queue", "list");
        assertTrue(list.out().startsWith(id + " outbound queued"), list.toString());

        first.process().destroy(); // SIGTERM
        Run stopped = finish(first);
        assertTrue(stopped.err().contains("smime-gateway stopped; undelivered messages stay queued"), stopped.toString());
        assertTrue(succeeds("queue", "list").out().startsWith(id + " "), "the message must survive the stop");

        com.icegreen.greenmail.util.GreenMail upstream = new com.icegreen.greenmail.util.GreenMail(
                new com.icegreen.greenmail.util.ServerSetup(upstreamPort, "127.0.0.1", "smtp"));
        upstream.start();
        try {
            Started second = start(Map.of(), List.of(), "run");
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
        setUpAliceAsTheOrganisationAndBobAsAContact();
        Files.writeString(dir.resolve("out.eml"), "From: Alice <alice@smime.example>\r\nTo: bob@smime.example\r\n"
                + "Subject: ticket\r\nX-SMIME-Encrypt: yes\r\n\r\nHello Bob.\r\n");

        succeeds("process", "--direction", "outbound", "--in", "out.eml", "--out", "sent.eml");

        assertFalse(Files.readString(dir.resolve("sent.eml")).contains("X-SMIME-"));
        openssl.run("cms", "-decrypt", "-in", "sent.eml", "-recip", rfc9216("bob.encrypt.crt"), "-inkey",
                rfc9216("bob.decrypt.key"), "-out", "decrypted.eml").assertSuccess();
        openssl.run("cms", "-verify", "-in", "decrypted.eml", "-CAfile", rfc9216("ca.rsa.crt"), "-out",
                "content.txt").assertSuccess();
        assertTrue(Files.readString(dir.resolve("content.txt")).contains("Hello Bob."));
    }

    @Test
    void inboundMessageSignedByBobAndEncryptedToAliceWithOpensslPasses() throws Exception {
        setUpAliceAsTheOrganisationAndBobAsAContact();
        Files.writeString(dir.resolve("reply.txt"), "Content-Type: text/plain\r\n\r\nThanks, Alice.\r\n");
        openssl.run("cms", "-sign", "-in", "reply.txt", "-signer", rfc9216("bob.sign.crt"), "-inkey",
                rfc9216("bob.sign.key"), "-out", "signed.eml").assertSuccess();
        openssl.run("cms", "-encrypt", "-in", "signed.eml", "-aes-256-gcm", "-recip", rfc9216("alice.encrypt.crt"),
                "-keyopt", "rsa_padding_mode:oaep", "-from", "bob@smime.example", "-to", "alice@smime.example",
                "-subject", "Re: ticket", "-out", "received.eml").assertSuccess();

        succeeds("process", "--direction", "inbound", "--in", "received.eml", "--out", "delivered.eml");

        String delivered = Files.readString(dir.resolve("delivered.eml"));
        assertTrue(delivered.contains("Authentication-Results: gw.test; smime=pass\r\n"), delivered);
        assertTrue(delivered.contains("body.smime-identifier=bob@smime.example"), delivered);
        assertTrue(delivered.contains("X-SMIME-Encryption: decrypted; cert="), delivered);
        assertTrue(delivered.contains("Thanks, Alice."), delivered);
        Run log = succeeds("log", "--limit", "1", "--json");
        assertTrue(log.out().contains("\"decision\":\"smime=pass\""), log.toString());
    }

    @Test
    void refusalIsOneLineOnStderrAndExitsOne() throws Exception {
        setUpAliceAsTheOrganisationAndBobAsAContact();
        Files.writeString(dir.resolve("out.eml"), "From: alice@smime.example\r\nTo: carol@example.org\r\n"
                + "X-SMIME-Encrypt: yes\r\n\r\nHello.\r\n");

        Run run = gateway("process", "--direction", "outbound", "--in", "out.eml", "--out", "sent.eml");

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
    void messageLargerThanTheHeapIsOneLineWithoutStackTrace() throws Exception {
        byte[] line = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        try (var out = Files.newOutputStream(dir.resolve("big.eml"))) {
            out.write("From: bob@smime.example\r\nTo: alice@smime.example\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 40 * 1024 * 1024 / line.length; i++) {
                out.write(line);
            }
        }

        Run run = finish(start(Map.of(), List.of("-Xmx24m"), "process", "--direction", "inbound", "--in", "big.eml",
                "--out", "delivered.eml"));

        assertEquals(1, run.exit(), run.toString());
        assertTrue(run.err().startsWith("smime-gateway: out of memory:"), run.toString());
        assertEquals(1, run.err().lines().count(), run.toString());
    }

    @Test
    void usageErrorExitsTwoAndBadConfigurationNamesTheKey() throws Exception {
        assertEquals(2, gateway("cert", "frobnicate").exit());

        Files.writeString(dir.resolve("bad.properties"), "outbound.sign=sometimes\n");
        Run bad = gateway("cert", "list", "--config", "bad.properties");
        assertEquals(1, bad.exit(), bad.toString());
        assertTrue(bad.err().contains("outbound.sign"), bad.toString());
    }
}
