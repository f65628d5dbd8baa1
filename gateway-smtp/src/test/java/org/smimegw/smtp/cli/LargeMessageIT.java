package org.smimegw.smtp.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.smtp.SmtpSubmission;
import org.smimegw.smtp.sink.SmtpSink;

import jakarta.mail.MessagingException;

/**
 * Issue #4's memory target: a 200 MB message through each direction of a gateway whose heap is 96 MB. The gateway
 * runs as a separate JVM with {@code -Xmx96m} and exits on the first OutOfMemoryError, so the message must be
 * spooled on its way from DATA through the pipeline and the queue to the upstream MTA, never held whole on the heap.
 */
class LargeMessageIT {
    private static final int MEGABYTES = 200;
    private static final long TIMEOUT_MINUTES = 10;
    private static final String LAST_LINE = "the last line of the attachment";

    @TempDir
    Path dir;

    @Test
    void twoHundredMegabytesThroughEachDirectionWithA96MegabyteHeap() throws Exception {
        GatewayJar jar = new GatewayJar(dir);
        Files.createDirectories(dir.resolve("config"));
        Files.writeString(dir.resolve("config/gateway.properties"), "gateway.hostname=gw.test\n");
        jar.importAliceAsTheOrganisationAndBobAsAContact();
        Path message = dir.resolve("large.eml");
        writeMessageWithAttachment(message);

        try (SmtpSink sink = SmtpSink.builder().filesIn(dir).start()) {
            int outbound = GatewayJar.freePort();
            int inbound = GatewayJar.freePort();
            Files.writeString(dir.resolve("config/gateway.properties"), "gateway.hostname=gw.test\n"
                    + "outbound.listen=127.0.0.1:" + outbound + "\ninbound.listen=127.0.0.1:" + inbound + "\n"
                    + "admin.listen=127.0.0.1:" + GatewayJar.freePort() + "\n"
                    + "outbound.relay=127.0.0.1:" + sink.port() + "\noutbound.relay.tls=none\n"
                    + "inbound.relay=127.0.0.1:" + sink.port() + "\ninbound.relay.tls=none\n"
                    + "smtp.max.message.bytes=" + 2L * MEGABYTES * 1024 * 1024 + "\n"
                    + "outbound.encrypt=required\n");
            GatewayJar.Started gateway = jar.start(Map.of(), List.of("-Xmx96m", "-XX:+ExitOnOutOfMemoryError"),
                    "run");
            try {
                GatewayJar.awaitText(gateway.err(), "smime-gateway running", gateway.process());

                assertQueued(SmtpSubmission.send(outbound, "alice@smime.example", "bob@smime.example", message));
                Path sent = next(sink);
                String sentHead = head(sent);
                assertTrue(sentHead.contains("application/pkcs7-mime"), sentHead);
                assertTrue(Files.size(sent) > Files.size(message), "encrypted and base64 encoded: larger");

                assertQueued(SmtpSubmission.send(inbound, "alice@smime.example", "alice@smime.example", sent));
                Path received = next(sink);
                String receivedHead = head(received);
                assertTrue(receivedHead.contains("smime=pass"), receivedHead);
                assertTrue(receivedHead.contains("X-SMIME-Encryption: decrypted"), receivedHead);
                assertTrue(tail(received).contains(LAST_LINE), "the whole attachment arrived");
                assertTrue(gateway.process().isAlive(), "the gateway must survive both messages");
            } catch (MessagingException | AssertionError e) {
                // the gateway's side of it
                throw new AssertionError(e.getMessage() + "; gateway alive: " + gateway.process().isAlive()
                        + "; its log:\n" + Files.readString(gateway.err(), StandardCharsets.UTF_8), e);
            } finally {
                gateway.process().destroy();
                GatewayJar.Run stopped = jar.finish(gateway);
                assertFalse(stopped.err().contains("OutOfMemoryError"), stopped.toString());
            }
        }
    }

    /** A multipart message from Alice to Bob: a short text and a base64 attachment of {@link #MEGABYTES} MB. */
    private void writeMessageWithAttachment(Path file) throws IOException {
        Random random = new Random(4);
        byte[] chunk = new byte[57 * 1024];
        Base64.Encoder base64 = Base64.getMimeEncoder(76, new byte[] {'\r', '\n'});
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            out.write(("From: Alice <alice@smime.example>\r\nTo: bob@smime.example\r\nSubject: large\r\n"
                    + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
                    + "--b1\r\nContent-Type: text/plain\r\n\r\nThe attachment is large.\r\n"
                    + "--b1\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            long written = 0;
            while (written < MEGABYTES * 1024L * 1024L) {
                random.nextBytes(chunk);
                byte[] encoded = base64.encode(chunk);
                out.write(encoded);
                out.write('\r');
                out.write('\n');
                written += encoded.length + 2;
            }
            out.write(("--b1\r\nContent-Type: text/plain\r\n\r\n" + LAST_LINE + "\r\n--b1--\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** The next message the sink accepted, written to a file; fails when none arrives within the time. */
    private static Path next(SmtpSink sink) throws InterruptedException {
        return sink.next(Duration.ofMinutes(TIMEOUT_MINUTES)).orElseThrow(() -> new AssertionError(
                "nothing was delivered within " + TIMEOUT_MINUTES + " min")).file();
    }

    private static void assertQueued(String reply) {
        assertTrue(reply.startsWith("250 2.0.0 queued as "), reply);
    }

    private static String head(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(4096), StandardCharsets.ISO_8859_1);
        }
    }

    private static String tail(Path file) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long start = Math.max(0, raf.length() - 4096);
            byte[] bytes = new byte[(int) (raf.length() - start)];
            raf.seek(start);
            raf.readFully(bytes);
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }
}
