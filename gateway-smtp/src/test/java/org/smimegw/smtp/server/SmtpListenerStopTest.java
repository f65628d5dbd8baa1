package org.smimegw.smtp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** Graceful stop: no new connections, messages inside DATA finish, then everything closes. */
class SmtpListenerStopTest {
    @Test
    void letsAMessageInsideDataFinishWhileRefusingNewConnectionsAndTransactions() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TestListener server = TestListener.builder().handler(arrival -> {
            entered.countDown();
            await(release);
        }).start();
        int port = server.port();
        try (RawSmtpClient sending = RawSmtpClient.ehlo(port); RawSmtpClient idle = RawSmtpClient.ehlo(port)) {
            SmtpListenerTest.sendMessage(sending);
            assertTrue(entered.await(10, TimeUnit.SECONDS));

            Thread stopper = new Thread(() -> server.listener.stop(Duration.ofSeconds(30)), "stopper");
            stopper.start();
            Await.until("the listening socket is closed", Duration.ofSeconds(10), () -> !accepts(port));
            assertTrue(stopper.isAlive(), "stop waits for the message inside DATA");
            assertEquals("421 4.3.2 gw.example.test shutting down, try again later",
                    idle.command("MAIL FROM:<a@example.com>"));
            assertTrue(idle.closedByServer());

            release.countDown();
            assertTrue(sending.readReply().startsWith("250 2.0.0 queued as "));
            stopper.join(TimeUnit.SECONDS.toMillis(10));
            assertFalse(stopper.isAlive(), "stop returned");
            assertTrue(sending.closedByServer());
            assertEquals(1, server.arrivals.size());
        } finally {
            release.countDown();
            server.close();
        }
    }

    @Test
    void closesSessionsAndReturnsWhenTheGraceEndsBeforeTheHandler() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        TestListener server = TestListener.builder().handler(arrival -> {
            entered.countDown();
            try {
                new CountDownLatch(1).await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted.countDown();
                Thread.currentThread().interrupt();
            }
        }).start();
        try (RawSmtpClient sending = RawSmtpClient.ehlo(server.port())) {
            SmtpListenerTest.sendMessage(sending);
            assertTrue(entered.await(10, TimeUnit.SECONDS));
            Thread stopper = new Thread(() -> server.listener.stop(Duration.ofMillis(200)), "stopper");
            stopper.start();
            stopper.join(TimeUnit.SECONDS.toMillis(10));
            assertFalse(stopper.isAlive(), "stop returned after its grace");
            assertTrue(interrupted.await(10, TimeUnit.SECONDS), "the stuck handler thread was interrupted");
            assertTrue(sending.closedByServer());
        } finally {
            server.close();
        }
    }

    @Test
    void stopsAtOnceWhenNoSessionIsInsideData() throws Exception {
        TestListener server = TestListener.start();
        int port = server.port();
        try (RawSmtpClient idle = RawSmtpClient.ehlo(port)) {
            server.listener.stop(Duration.ofSeconds(30));
            assertTrue(idle.closedByServer());
            assertFalse(accepts(port));
        }
    }

    private static boolean accepts(int port) {
        try (RawSmtpClient client = RawSmtpClient.connect(port)) {
            return client.greeting().startsWith("220 ");
        } catch (IOException e) {
            return false;
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
