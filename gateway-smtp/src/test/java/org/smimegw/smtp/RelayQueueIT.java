package org.smimegw.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.smimegw.core.mime.RawMessage;
import org.smimegw.core.queue.QueueEntry;
import org.smimegw.core.queue.QueueState;
import org.smimegw.smtp.delivery.ScriptedRelay;
import org.subethamail.smtp.RejectException;

import jakarta.mail.internet.MimeMessage;

/**
 * End to end, in-process ({@link RelayFixture}): what the queue does with a message the upstream does not take at
 * once: retried after a temporary failure, bounced with a report after a permanent one, held until released, and
 * delivered after a restart.
 */
class RelayQueueIT extends RelayFixture {
    @Test
    void temporaryFailureIsRetriedUntilDelivered() throws Exception {
        AtomicBoolean refuse = new AtomicBoolean(true);
        scripted = ScriptedRelay.start(deferringWhile(refuse));
        running = start(scripted.port(), scripted.port(), "1s", true);

        String id = queueId(SmtpSubmission.send(running.relay.outboundPort(), ORG, CONTACT,
                message(ORG, CONTACT, "Retry", "", "Second time lucky.\r\n")));

        QueueEntry deferred = awaitEntry(id, e -> e.attempts() == 1 && e.leaseOwner() == null);
        assertEquals(QueueState.QUEUED, deferred.state());
        assertEquals(List.of(CONTACT), deferred.pendingRecipients());
        assertTrue(deferred.lastResult().contains("451"), deferred.lastResult());
        assertNull(scripted.poll());
        refuse.set(false);

        ScriptedRelay.Received received = scripted.next(WAIT);
        assertEquals(List.of(CONTACT), received.recipients());
        assertTrue(new String(received.content(), StandardCharsets.ISO_8859_1).contains("application/pkcs7-mime"));
        awaitQueue("message " + id + " removed after delivery", () -> running.gateway.queue().find(id).isEmpty());
    }

    @Test
    void permanentFailureBouncesAnRfc3464ReportToTheSender() throws Exception {
        scripted = ScriptedRelay.start(new ScriptedRelay.Script() {
            @Override
            public void recipient(String address) throws RejectException {
                throw new RejectException(550, "5.1.1 no such user " + address);
            }
        });
        // not GreenMail: it answers MAIL FROM:<> with 250 but then RCPT with 503 (greenmail issue #28)
        helpdesk = ScriptedRelay.start(ScriptedRelay.ACCEPT_ALL);
        running = start(scripted.port(), helpdesk.port(), "1s", true);

        String id = queueId(SmtpSubmission.send(running.relay.outboundPort(), ORG, CONTACT,
                message(ORG, CONTACT, "Bounce me", "", "Nobody home.\r\n")));

        ScriptedRelay.Received dsn = helpdesk.next(WAIT);
        assertEquals("", dsn.sender(), "a DSN has the null sender");
        assertEquals(List.of(ORG), dsn.recipients());
        String text = new String(dsn.content(), StandardCharsets.ISO_8859_1);
        RawMessage report = RawMessage.parse(dsn.content());
        String contentType = report.header("Content-Type").orElseThrow().replaceAll("\\s+", " ").toLowerCase();
        assertTrue(contentType.startsWith("multipart/report;"), contentType);
        assertTrue(contentType.contains("report-type=delivery-status"), contentType);
        assertTrue(text.contains("Content-Type: message/delivery-status"), text);
        assertTrue(text.contains("Final-Recipient: rfc822; " + CONTACT), text);
        assertTrue(text.contains("Action: failed"), text);
        assertTrue(text.contains("Diagnostic-Code: smtp; 550 5.1.1 no such user"), text);
        assertNull(scripted.poll(), "the refused message reached the upstream");
        awaitQueue("queue empty after the bounce", () -> running.gateway.queue().list().isEmpty());
        assertTrue(running.gateway.queue().find(id).isEmpty());
    }

    @Test
    void heldMessageIsNotDeliveredUntilReleased() throws Exception {
        AtomicBoolean refuse = new AtomicBoolean(true);
        scripted = ScriptedRelay.start(deferringWhile(refuse));
        // a long interval: only explicit retries and the release make the message due again
        running = start(scripted.port(), scripted.port(), "1h", true);
        String id = queueId(SmtpSubmission.send(running.relay.outboundPort(), ORG, CONTACT,
                message(ORG, CONTACT, "Hold me", "", "Wait for it.\r\n")));
        awaitEntry(id, e -> e.attempts() == 1 && e.leaseOwner() == null);

        assertTrue(running.gateway.queue().hold(id));
        refuse.set(false);
        assertFalse(running.gateway.queue().retry(id, clock.instant()), "a held message was made due");
        running.relay.wakeUp();

        assertNull(scripted.poll(Duration.ofMillis(2500)), "a held message was delivered");
        QueueEntry held = running.gateway.queue().find(id).orElseThrow();
        assertEquals(QueueState.HELD, held.state());
        assertEquals(1, held.attempts());

        assertTrue(running.gateway.queue().release(id, clock.instant()));
        running.relay.wakeUp();
        ScriptedRelay.Received received = scripted.next(WAIT);
        assertEquals(List.of(CONTACT), received.recipients());
        awaitQueue("message " + id + " removed after delivery", () -> running.gateway.queue().find(id).isEmpty());
    }

    @Test
    void queuedMessageIsDeliveredAfterARestart() throws Exception {
        int closed = closedPort();
        running = start(closed, closed, "1s", true);
        String id = queueId(SmtpSubmission.send(running.relay.outboundPort(), ORG, CONTACT,
                message(ORG, CONTACT, "Survive a restart", "", "Still here.\r\n")));
        awaitEntry(id, e -> e.attempts() >= 1 && e.leaseOwner() == null);
        running.close();
        running = null;

        greenMail = greenMail();
        running = start(greenMail.getSmtp().getPort(), greenMail.getSmtp().getPort(), "1s", false);
        assertEquals(List.of(id), running.gateway.queue().list().stream().map(QueueEntry::id).toList());

        assertTrue(greenMail.waitForIncomingEmail(WAIT.toMillis(), 1), "the queued message was not delivered");
        MimeMessage delivered = greenMail.getReceivedMessages()[0];
        assertEquals(CONTACT, delivered.getAllRecipients()[0].toString());
        assertTrue(delivered.getContentType().toLowerCase().startsWith("application/pkcs7-mime"));
        awaitQueue("message " + id + " removed after delivery", () -> running.gateway.queue().find(id).isEmpty());
    }

    /** An upstream that answers 451 to every recipient while {@code refuse} is set. */
    private static ScriptedRelay.Script deferringWhile(AtomicBoolean refuse) {
        return new ScriptedRelay.Script() {
            @Override
            public void recipient(String address) throws RejectException {
                if (refuse.get()) {
                    throw new RejectException(451, "4.3.0 try again later");
                }
            }
        };
    }
}
