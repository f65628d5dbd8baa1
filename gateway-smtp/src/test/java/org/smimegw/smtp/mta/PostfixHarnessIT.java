package org.smimegw.smtp.mta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.core.testing.Openssl;
import org.smimegw.smtp.testing.Await;
import org.smimegw.smtp.testing.ExternalCommand;

/**
 * Proves the harness: the real swaks talks to a private real Postfix, which relays to GreenMail on dynamic
 * loopback ports. The gateway's SMTP tests reuse {@link PostfixInstance} and {@link Swaks}.
 */
@Timeout(120)
class PostfixHarnessIT {
    private static final long DELIVERY_TIMEOUT_MILLIS = 30_000;
    private static final Duration QUEUE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration LOG_TIMEOUT = Duration.ofSeconds(10);

    /** The body under test: dot lines (one a lone dot, which ends DATA unless stuffed) and 8-bit UTF-8. */
    private static final String BODY = "first line\n"
            + ".a line that starts with a dot\n"
            + "..two dots\n"
            + ".\n"
            + "after a line with a lone dot\n"
            + "Grüße aus Köln – Ελληνικά – 日本語 – ☃\n"
            + "last line\n";

    @TempDir
    Path dir;

    private final List<GreenMail> greenMails = new ArrayList<>();

    @AfterEach
    void stopGreenMail() {
        greenMails.forEach(GreenMail::stop);
    }

    private GreenMail greenMail(int port) {
        GreenMail greenMail = new GreenMail(new ServerSetup(port, PostfixInstance.HOST, ServerSetup.PROTOCOL_SMTP));
        greenMails.add(greenMail);
        greenMail.start();
        return greenMail;
    }

    private GreenMail greenMail() {
        return greenMail(0);
    }

    private static int port(GreenMail greenMail) {
        return greenMail.getSmtp().getPort();
    }

    private Path message(String name, String to) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, "From: Helpdesk <helpdesk@helpdesk.test>\n"
                + "To: <" + to + ">\n"
                + "Subject: harness " + name + "\n"
                + "Message-ID: <" + name + "@helpdesk.test>\n"
                + "Date: Thu, 1 Jan 2026 12:00:00 +0000\n"
                + "MIME-Version: 1.0\n"
                + "Content-Type: text/plain; charset=UTF-8\n"
                + "Content-Transfer-Encoding: 8bit\n"
                + "\n"
                + BODY, StandardCharsets.UTF_8);
        return file;
    }

    private static byte[] crlf(String text) {
        return text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The body exactly as GreenMail stored it: not decoded, not re-encoded. */
    private static byte[] rawBody(MimeMessage message) throws Exception {
        try (InputStream in = message.getRawInputStream()) {
            return in.readAllBytes();
        }
    }

    private static List<MimeMessage> messagesFor(GreenMail greenMail, String address) {
        return greenMail.findReceivedMessages(user -> user.getEmail().equals(address), m -> true)
                .collect(Collectors.toList());
    }

    private static String explain(PostfixInstance postfix, Swaks.Result swaks) throws Exception {
        return "\n--- swaks\n" + swaks + "\n--- queue\n" + postfix.queueListing() + "\n--- maillog\n"
                + postfix.maillog();
    }

    /** Sends {@link #BODY} through a Postfix that relays to GreenMail and returns what GreenMail stored. */
    private MimeMessage relay(String name, PostfixConfig builder, GreenMail relayhost) throws Exception {
        try (PostfixInstance postfix = builder.relayhost(port(relayhost)).start()) {
            Swaks swaks = Swaks.to(postfix.host(), postfix.port()).from("helpdesk@helpdesk.test")
                    .recipient("recipient@elsewhere.test").data(message(name, "recipient@elsewhere.test"));
            if (Swaks.supportsOption("--8bitmime")) {
                swaks.option("--8bitmime");
            }
            Swaks.Result sent = swaks.run().assertSuccess();
            assertTrue(sent.transcript().contains("250 2.0.0 Ok: queued as"), sent::toString);

            assertTrue(relayhost.waitForIncomingEmail(DELIVERY_TIMEOUT_MILLIS, 1),
                    "the relayhost received nothing" + explain(postfix, sent));
            postfix.awaitEmptyQueue(QUEUE_TIMEOUT);
            List<MimeMessage> received = messagesFor(relayhost, "recipient@elsewhere.test");
            assertEquals(1, received.size(), () -> "messages for the recipient" + explainUnchecked(postfix, sent));
            MimeMessage message = received.get(0);
            assertEquals("<helpdesk@helpdesk.test>", message.getHeader("Return-Path", null));
            assertEquals("<" + name + "@helpdesk.test>", message.getMessageID());
            return message;
        }
    }

    @Test
    void relaysDotLinesAndEightBitTextByteForByte() throws Exception {
        // GreenMail does not announce 8BITMIME; this keeps Postfix from converting the body for it (see below)
        MimeMessage message = relay("bytes", PostfixInstance.builder(dir)
                .parameter("disable_mime_output_conversion", "yes"), greenMail());
        assertEquals("8bit", message.getEncoding());
        byte[] body = rawBody(message);
        assertArrayEquals(crlf(BODY), body, () -> "body as received:\n" + new String(body, StandardCharsets.UTF_8));
    }

    /**
     * Postfix's default towards a server that does not announce 8BITMIME (GreenMail, or a gateway listener that
     * forgot it): the 8-bit body arrives converted to quoted-printable, the same text in other bytes. That would
     * break a signature over those bytes, so the gateway's inbound listener must announce 8BITMIME.
     */
    @Test
    void convertsEightBitTextToQuotedPrintableForAServerWithoutEightBitMime() throws Exception {
        MimeMessage message = relay("converted", PostfixInstance.builder(dir), greenMail());
        assertEquals("quoted-printable", message.getEncoding());
        String raw = new String(rawBody(message), StandardCharsets.US_ASCII);
        assertTrue(raw.contains("Gr=C3=BC=C3=9Fe aus K=C3=B6ln"), raw);
        assertEquals(BODY.replace("\n", "\r\n"), message.getContent(), "the decoded text is unchanged");
    }

    @Test
    void transportMapRoutesItsDomainToAnotherServer() throws Exception {
        GreenMail relayhost = greenMail();
        GreenMail orgExample = greenMail();
        try (PostfixInstance postfix = PostfixInstance.builder(dir).relayhost(port(relayhost))
                .transport("org.example", port(orgExample)).start()) {
            Swaks.Result sent = Swaks.to(postfix.host(), postfix.port()).from("helpdesk@helpdesk.test")
                    .recipient("alice@org.example").recipient("bob@elsewhere.test")
                    .body("one message, two routes").run().assertSuccess();

            assertTrue(orgExample.waitForIncomingEmail(DELIVERY_TIMEOUT_MILLIS, 1),
                    "org.example's server received nothing" + explain(postfix, sent));
            assertTrue(relayhost.waitForIncomingEmail(DELIVERY_TIMEOUT_MILLIS, 1),
                    "the relayhost received nothing" + explain(postfix, sent));
            postfix.awaitEmptyQueue(QUEUE_TIMEOUT);
            assertEquals(1, messagesFor(orgExample, "alice@org.example").size());
            assertEquals(1, orgExample.getReceivedMessages().length, "org.example's server got only alice's copy");
            assertEquals(1, messagesFor(relayhost, "bob@elsewhere.test").size());
            assertEquals(1, relayhost.getReceivedMessages().length, "the relayhost got only bob's copy");
            postfix.awaitMaillog("to=<alice@org.example>, relay=127.0.0.1[127.0.0.1]:" + port(orgExample), LOG_TIMEOUT);
            postfix.awaitMaillog("to=<bob@elsewhere.test>, relay=127.0.0.1[127.0.0.1]:" + port(relayhost), LOG_TIMEOUT);
        }
    }

    @Test
    void deferredMailWaitsInTheQueueUntilFlushed() throws Exception {
        int relayPort = PostfixInstance.freeLoopbackPort(); // nothing listens there yet
        // no retry of its own within the test: only the flush can deliver
        try (PostfixInstance postfix = PostfixInstance.builder(dir).relayhost(relayPort)
                .parameter("queue_run_delay", "1h").parameter("minimal_backoff_time", "1h")
                .parameter("maximal_backoff_time", "1h").start()) {
            Swaks.Result sent = Swaks.to(postfix.host(), postfix.port()).from("helpdesk@helpdesk.test")
                    .recipient("later@elsewhere.test").body("deferred, then flushed").run().assertSuccess();

            assertTrue(Await.until(QUEUE_TIMEOUT, () -> listing(postfix).contains("Connection refused")),
                    () -> "the message was not deferred" + explainUnchecked(postfix, sent));
            String listing = postfix.queueListing();
            assertTrue(listing.contains("later@elsewhere.test"), listing);
            assertFalse(postfix.isQueueEmpty());

            GreenMail relayhost = greenMail(relayPort);
            postfix.flushQueue();
            assertTrue(relayhost.waitForIncomingEmail(DELIVERY_TIMEOUT_MILLIS, 1),
                    "the flush delivered nothing" + explain(postfix, sent));
            postfix.awaitEmptyQueue(QUEUE_TIMEOUT);
        }
    }

    private static String listing(PostfixInstance postfix) {
        try {
            return postfix.queueListing();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static String explainUnchecked(PostfixInstance postfix, Swaks.Result swaks) {
        try {
            return explain(postfix, swaks);
        } catch (Exception e) {
            return "\n(could not collect the queue and maillog: " + e + ")";
        }
    }

    @Test
    void swaksUsesStartTlsAndPipelining() throws Exception {
        Openssl openssl = new Openssl(dir);
        openssl.run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "smtpd.key", "-out", "smtpd.crt",
                "-days", "2", "-subj", "/CN=mta.postfix.test").assertSuccess();
        GreenMail relayhost = greenMail();
        try (PostfixInstance postfix = PostfixInstance.builder(dir).relayhost(port(relayhost))
                .smtpdTls(dir.resolve("smtpd.key"), dir.resolve("smtpd.crt")).start()) {
            Swaks.Result sent = Swaks.to(postfix.host(), postfix.port()).from("helpdesk@helpdesk.test")
                    .recipient("tls@elsewhere.test").header("Subject: over TLS").body("encrypted on the way in")
                    .tls().pipeline().run().assertSuccess();
            String transcript = sent.transcript();
            assertTrue(transcript.contains("-> STARTTLS"), transcript);
            assertTrue(transcript.contains("=== TLS started"), transcript);
            assertTrue(transcript.contains("250-PIPELINING"), transcript);

            assertTrue(relayhost.waitForIncomingEmail(DELIVERY_TIMEOUT_MILLIS, 1),
                    "the relayhost received nothing" + explain(postfix, sent));
            MimeMessage message = messagesFor(relayhost, "tls@elsewhere.test").get(0);
            assertEquals("over TLS", message.getSubject());
            postfix.awaitMaillog("TLS connection established from localhost[127.0.0.1]", LOG_TIMEOUT);
        }
    }

    /** What Postfix answers to a DATA whose lines end in bare LF, with the given smtpd_forbid_bare_newline. */
    private String bareLineFeedReply(String forbidBareNewline) throws Exception {
        assumeTrue(PostfixInstance.supportsParameter("smtpd_forbid_bare_newline"),
                "Postfix " + PostfixInstance.version() + " has no smtpd_forbid_bare_newline");
        try (PostfixInstance postfix = PostfixInstance.builder(dir.resolve(forbidBareNewline))
                .relayhost(PostfixInstance.freeLoopbackPort()).forbidBareNewline(forbidBareNewline).start();
                Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(postfix.host(), postfix.port()), 5_000);
            socket.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(
                    new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            assertTrue(reply(in).startsWith("220"));
            assertTrue(command(out, in, "HELO raw.test\r\n").startsWith("250"));
            assertTrue(command(out, in, "MAIL FROM:<helpdesk@helpdesk.test>\r\n").startsWith("250"));
            assertTrue(command(out, in, "RCPT TO:<bare@elsewhere.test>\r\n").startsWith("250"));
            assertTrue(command(out, in, "DATA\r\n").startsWith("354"));
            String end = command(out, in, "Subject: bare LF\r\n\r\nline one\nline two\r\n.\r\n");
            command(out, in, "QUIT\r\n");
            return end;
        }
    }

    @Test
    void bareLineFeedInDataIsRejected() throws Exception {
        String reply = bareLineFeedReply("reject");
        assertTrue(reply.startsWith("550"), reply);
        // the same bytes pass when the check is off: it is this setting that catches them
        String accepted = bareLineFeedReply("no");
        assertTrue(accepted.startsWith("250"), accepted);
    }

    private static String command(OutputStream out, BufferedReader in, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return reply(in);
    }

    /** The last line of a (possibly multi-line) reply. */
    private static String reply(BufferedReader in) throws IOException {
        String line;
        do {
            line = in.readLine();
            if (line == null) {
                throw new IOException("connection closed");
            }
        } while (line.length() > 3 && line.charAt(3) == '-');
        return line;
    }

    @Test
    void closeStopsEveryPostfixProcessAndFreesThePort() throws Exception {
        PostfixInstance postfix = PostfixInstance.builder(dir).relayhost(PostfixInstance.freeLoopbackPort()).start();
        long master = postfix.masterPid();
        try {
            assertTrue(PostfixInstance.isRunning(master), "master " + master);
            // make it run an smtpd and a trivial-rewrite besides the master, pickup, qmgr and postlogd
            Swaks.to(postfix.host(), postfix.port()).from("helpdesk@helpdesk.test").recipient("x@elsewhere.test")
                    .option("--quit-after", "RCPT").run().assertSuccess();
            assertTrue(postfix.liveProcesses().size() >= 5, () -> "processes: " + postfix.liveProcesses());
        } finally {
            postfix.close();
        }
        assertEquals(List.of(), postfix.liveProcesses());
        assertFalse(PostfixInstance.isRunning(master), "master " + master);
        assertThrows(ConnectException.class, () -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(postfix.host(), postfix.port()), 5_000);
            }
        });
        postfix.close(); // closing twice is harmless
    }

    @Test
    void aMissingProgramFailsWithTheDebianPackageToInstall() {
        AssertionError error = assertThrows(AssertionError.class,
                () -> ExternalCommand.locate("no-such-program-smimegw", "no-such-package"));
        assertTrue(error.getMessage().contains("apt-get install -y no-such-package"), error.getMessage());
    }

    @Test
    void reportsTheInstalledVersions() throws Exception {
        String postfixVersion = PostfixInstance.version();
        String swaksVersion = Swaks.version();
        assertTrue(postfixVersion.matches("\\d+\\.\\d+.*"), postfixVersion);
        assertTrue(swaksVersion.startsWith("swaks version "), swaksVersion);
        System.out.println("Postfix " + postfixVersion + ", " + swaksVersion + ", smtpd_forbid_bare_newline "
                + (PostfixInstance.supportsParameter("smtpd_forbid_bare_newline") ? "supported" : "unsupported"));
    }
}
