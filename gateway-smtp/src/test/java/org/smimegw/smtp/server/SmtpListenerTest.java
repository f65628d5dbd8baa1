package org.smimegw.smtp.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.smimegw.core.mime.SpoolArea;
import org.smimegw.core.queue.Direction;
import org.smimegw.core.queue.QueueIds;
import org.smimegw.smtp.config.HostPort;

/** The listener's normal conversation: port 0, the arrival, the 250 reply, pipelining, refusals. */
class SmtpListenerTest {
    private static final String MESSAGE = "From: a@example.com\r\nTo: b@example.org\r\nSubject: hi\r\n\r\nhello\r\n";

    @Test
    void bindsAFreePortWhenConfiguredWithPortZero() throws Exception {
        try (TestListener server = TestListener.start(); RawSmtpClient client = RawSmtpClient.connect(server.port())) {
            assertTrue(server.port() > 0);
            assertEquals("220 " + TestListener.HOSTNAME + " ESMTP ready", client.greeting());
        }
    }

    @Test
    void handsTheMessageToTheHandlerAndRepliesQueuedAsItsId() throws Exception {
        try (TestListener server = TestListener.builder().direction(Direction.INBOUND).start();
                RawSmtpClient client = RawSmtpClient.ehlo(server.port())) {
            assertEquals("250 2.1.0 sender <a@example.com> ok", client.command("MAIL FROM:<a@example.com>"));
            assertEquals("250 2.1.5 recipient <b@example.org> ok", client.command("RCPT TO:<b@example.org>"));
            assertEquals("250 2.1.5 recipient <c@example.org> ok", client.command("RCPT TO:<c@example.org>"));
            assertTrue(client.command("DATA").startsWith("354 "));
            client.write(MESSAGE + ".\r\n");
            String reply = client.readReply();

            Arrival arrival = server.only();
            assertEquals("250 2.0.0 queued as " + arrival.id(), reply);
            assertTrue(QueueIds.looksValid(arrival.id()), arrival.id());
            assertEquals(QueueIds.next(TestListener.NOW).substring(0, 9), arrival.id().substring(0, 9));
            assertEquals(Direction.INBOUND, arrival.direction());
            assertEquals("a@example.com", arrival.sender());
            assertEquals(List.of("b@example.org", "c@example.org"), arrival.recipients());
            assertEquals(MESSAGE, new String(arrival.content().toByteArray(), StandardCharsets.US_ASCII));
            assertEquals(TestListener.NOW, arrival.receivedAt());
            assertEquals("Received: from client.test (unknown [127.0.0.1])\r\n"
                    + "\tby gw.example.test with ESMTP id " + arrival.id() + ";\r\n"
                    + "\tMon, 1 Jun 2026 12:00:00 +0000\r\n", arrival.receivedHeader());
        }
    }

    @Test
    void repliesOnlyAfterTheHandlerReturned() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean returned = new AtomicBoolean();
        try (TestListener server = TestListener.builder().handler(arrival -> {
            entered.countDown();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            returned.set(true);
        }).start(); RawSmtpClient client = RawSmtpClient.ehlo(server.port())) {
            client.command("MAIL FROM:<a@example.com>");
            client.command("RCPT TO:<b@example.org>");
            client.command("DATA");
            client.write(MESSAGE + ".\r\n");
            assertTrue(entered.await(10, TimeUnit.SECONDS));
            client.soTimeout(300);
            assertThrows(SocketTimeoutException.class, client::readLine, "no reply while the handler runs");
            client.soTimeout(15_000);
            release.countDown();
            assertTrue(client.readReply().startsWith("250 2.0.0 queued as "));
            assertTrue(returned.get());
        }
    }

    @Test
    void acceptsTheNullSender() throws Exception {
        try (TestListener server = TestListener.start(); RawSmtpClient client = RawSmtpClient.ehlo(server.port())) {
            assertEquals("250 2.1.0 sender <> ok", client.command("MAIL FROM:<>"));
            client.command("RCPT TO:<b@example.org>");
            client.command("DATA");
            client.write(MESSAGE + ".\r\n");
            assertTrue(client.readReply().startsWith("250 2.0.0 queued as "));
            assertEquals("", server.only().sender());
        }
    }

    @Test
    void removesDotStuffing() throws Exception {
        try (TestListener server = TestListener.start(); RawSmtpClient client = RawSmtpClient.ehlo(server.port())) {
            client.command("MAIL FROM:<a@example.com>");
            client.command("RCPT TO:<b@example.org>");
            client.command("DATA");
            client.write("Subject: dots\r\n\r\n..x\r\n..\r\n...\r\n.\r\n");
            assertTrue(client.readReply().startsWith("250 "));
            assertEquals("Subject: dots\r\n\r\n.x\r\n.\r\n..\r\n",
                    new String(server.only().content().toByteArray(), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void keepsEightBitBytesUnchanged() throws Exception {
        byte[] body = "Subject: 8bit\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nGr\u00fc\u00dfe \u20ac\r\n"
                .getBytes(StandardCharsets.UTF_8);
        try (TestListener server = TestListener.start(); RawSmtpClient client = RawSmtpClient.ehlo(server.port())) {
            assertTrue(client.command("MAIL FROM:<a@example.com> BODY=8BITMIME").startsWith("250 "));
            client.command("RCPT TO:<b@example.org>");
            client.command("DATA");
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            data.writeBytes(body);
            data.writeBytes(".\r\n".getBytes(StandardCharsets.US_ASCII));
            client.write(data.toByteArray());
            assertTrue(client.readReply().startsWith("250 "));
            assertArrayEquals(body, server.only().content().toByteArray());
        }
    }

    @Test
    void advertisesPipeliningAndEightBitMimeButNotChunkingOrSmtputf8() throws Exception {
        try (TestListener server = TestListener.start(); RawSmtpClient client = RawSmtpClient.connect(server.port())) {
            String ehlo = client.command("EHLO client.test");
            assertEquals("250-gw.example.test\n250-PIPELINING\n250-SIZE 1000000\n250-ENHANCEDSTATUSCODES\n"
                    + "250 8BITMIME", ehlo);
            assertEquals("250 gw.example.test", client.command("HELO client.test"));
            assertEquals("502 5.5.1 BDAT not supported", client.command("BDAT 10 LAST"));
        }
    }

    @Test
    void answersAPipelinedBatchInOrder() throws Exception {
        try (TestListener server = TestListener.start(); RawSmtpClient client = RawSmtpClient.ehlo(server.port())) {
            client.write("MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.org>\r\nRCPT TO:<bad>\r\n"
                    + "RCPT TO:<c@example.org>\r\nDATA\r\n");
            assertEquals("250 2.1.0 sender <a@example.com> ok", client.readReply());
            assertEquals("250 2.1.5 recipient <b@example.org> ok", client.readReply());
            assertEquals("553 5.1.3 recipient address <bad> has no domain", client.readReply());
            assertEquals("250 2.1.5 recipient <c@example.org> ok", client.readReply());
            assertTrue(client.readReply().startsWith("354 "));
            // the message, its end and the next transaction in one write
            client.write(MESSAGE + ".\r\nMAIL FROM:<>\r\nRCPT TO:<d@example.org>\r\nDATA\r\n");
            assertTrue(client.readReply().startsWith("250 2.0.0 queued as "));
            assertEquals("250 2.1.0 sender <> ok", client.readReply());
            assertEquals("250 2.1.5 recipient <d@example.org> ok", client.readReply());
            assertTrue(client.readReply().startsWith("354 "));
            client.write(MESSAGE + ".\r\nNOOP\r\nQUIT\r\n");
            assertTrue(client.readReply().startsWith("250 2.0.0 queued as "));
            assertEquals("250 2.0.0 ok", client.readReply());
            assertEquals("221 2.0.0 gw.example.test closing connection", client.readReply());
            assertEquals(2, server.arrivals.size());
            assertEquals(List.of("b@example.org", "c@example.org"), server.arrivals.get(0).recipients());
            assertEquals(List.of("d@example.org"), server.arrivals.get(1).recipients());
            assertNotEquals(server.arrivals.get(0).id(), server.arrivals.get(1).id());
        }
    }

    @Test
    void turnsAHandlerRefusalIntoItsReplyAndKeepsTheSessionUsable() throws Exception {
        try (TestListener server = TestListener.builder().handler(arrival -> {
            throw new SmtpRefusal(550, "5.7.1", "no valid certificate for b@example.org\r\n250 fake");
        }).start(); RawSmtpClient client = RawSmtpClient.ehlo(server.port())) {
            sendMessage(client);
            assertEquals("550 5.7.1 no valid certificate for b@example.org  250 fake", client.readReply());
            assertEquals("250 2.0.0 ok", client.command("NOOP"));
            sendMessage(client);
            assertTrue(client.readReply().startsWith("550 5.7.1 "));
            assertEquals(2, server.arrivals.size());
        }
    }

    @Test
    void answersFourFiftyOneWhenTheHandlerFailsAndKeepsTheSessionUsable() throws Exception {
        AtomicBoolean fail = new AtomicBoolean(true);
        try (TestListener server = TestListener.builder().handler(arrival -> {
            if (fail.getAndSet(false)) {
                throw new IllegalStateException("database is down: secret detail");
            }
        }).start(); RawSmtpClient client = RawSmtpClient.ehlo(server.port())) {
            sendMessage(client);
            assertEquals("451 4.3.0 temporary failure, try again later", client.readReply());
            sendMessage(client);
            assertTrue(client.readReply().startsWith("250 2.0.0 queued as "));
        }
    }

    @Test
    void refusesCommandsOutOfOrder() throws Exception {
        try (TestListener server = TestListener.start(); RawSmtpClient client = RawSmtpClient.connect(server.port())) {
            assertEquals("503 5.5.1 send EHLO or HELO first", client.command("MAIL FROM:<a@example.com>"));
            client.command("EHLO client.test");
            assertEquals("503 5.5.1 need MAIL command", client.command("RCPT TO:<b@example.org>"));
            assertEquals("503 5.5.1 need MAIL command", client.command("DATA"));
            client.command("MAIL FROM:<a@example.com>");
            assertEquals("503 5.5.1 sender already specified", client.command("MAIL FROM:<a@example.com>"));
            assertEquals("554 5.5.1 no valid recipients", client.command("DATA"));
            assertEquals("250 2.0.0 ok", client.command("RSET"));
            assertEquals("503 5.5.1 need MAIL command", client.command("RCPT TO:<b@example.org>"));
            assertEquals("500 5.5.2 command not recognized", client.command("DATAX"));
            assertEquals("502 5.5.1 VRFY not supported", client.command("VRFY root"));
            assertTrue(client.command("FOO bar").startsWith("500 "));
            assertFalse(server.listener.config().tls());
            assertTrue(server.arrivals.isEmpty());
        }
    }

    @Test
    void rendersAHostileHeloAsUnknownInTheReceivedHeader() throws Exception {
        String[] hostile = {"evil.example (spoofed.example [192.0.2.1]) by trusted.example",
            "x;by mail.example.com with ESMTPSA", "b\u00fccher.example", "[192.0.2.1] X-Injected: yes",
            "\"quoted\"", "a_b.example"};
        TestListener server = TestListener.start();
        try (server; RawSmtpClient client = RawSmtpClient.connect(server.port())) {
            for (String helo : hostile) {
                assertTrue(client.command("EHLO " + helo).startsWith("250-"));
                sendMessage(client);
                assertTrue(client.readReply().startsWith("250 2.0.0 queued as "));
            }
            client.command("HELO mail.example.com");
            sendMessage(client);
            assertTrue(client.readReply().startsWith("250 "));
        }
        List<Arrival> arrivals = server.arrivals;
        for (int i = 0; i < hostile.length; i++) {
            String header = arrivals.get(i).receivedHeader();
            assertTrue(header.startsWith("Received: from [unknown] (unknown [127.0.0.1])\r\n\tby gw.example.test "
                    + "with ESMTP id "), header);
            assertEquals(3, header.split("\r\n").length, header);
        }
        assertTrue(arrivals.get(hostile.length).receivedHeader().startsWith(
                "Received: from mail.example.com (unknown [127.0.0.1])\r\n\tby gw.example.test with SMTP "));
    }

    @Test
    void refusesToStartOnAnAddressInUseNamingIt() {
        try (TestListener first = TestListener.start()) {
            ListenerConfig same = TestListener.builder().config()
                    .withListen(new HostPort("127.0.0.1", first.port()));
            SmtpListener second = new SmtpListener(same, arrival -> { }, TestListener.CLOCK, SpoolArea.DEFAULT);
            UncheckedIOException e = assertThrows(UncheckedIOException.class, second::start);
            assertTrue(e.getMessage().startsWith("cannot listen on 127.0.0.1:" + first.port() + " (outbound): "),
                    e.getMessage());
        }
    }

    @Test
    void startsOnlyOnceAndStopsIdempotently() {
        TestListener server = TestListener.start();
        assertThrows(IllegalStateException.class, server.listener::start);
        server.listener.stop(Duration.ofSeconds(1));
        server.listener.stop(Duration.ofSeconds(1));
    }

    static void sendMessage(RawSmtpClient client) throws Exception {
        client.command("MAIL FROM:<a@example.com>");
        client.command("RCPT TO:<b@example.org>");
        client.command("DATA");
        client.write(MESSAGE + ".\r\n");
    }
}
