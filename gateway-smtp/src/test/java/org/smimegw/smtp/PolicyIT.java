package org.smimegw.smtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.smimegw.core.port.AuditEvent;
import org.smimegw.core.queue.QueueEntry;
import org.smimegw.core.queue.RecipientStatus;
import org.smimegw.core.testing.Openssl;
import org.smimegw.core.testing.TestPki;
import org.smimegw.smtp.monitor.LogCapture;
import org.smimegw.smtp.server.SmtpListener;

import jakarta.mail.internet.MimeMessage;

/**
 * docs/design.md §11 and §12 end to end, over SMTP ({@link RelayFixture}): a message to a customer with a certificate
 * and their lawyer without one leaves as two copies, each queued and delivered on its own; a required rule refuses
 * the whole message; the Subject trigger requires encryption; and our own messages come back through our inbound
 * listener with their protected header fields.
 */
class PolicyIT extends RelayFixture {
    private static final String LAWYER = "lawyer@law.example";
    private static final String HIDDEN = "hidden@quiet.example";

    private static byte[] contract(String subject) {
        return message(ORG, CONTACT, subject, "Cc: " + LAWYER + "\r\nBcc: " + HIDDEN + "\r\n",
                "Your contract is attached.\r\n");
    }

    private AuditEvent outboundEvent() {
        return running.gateway.audit().recent(50).stream().filter(e -> e.action().equals("outbound")).findFirst()
                .orElseThrow();
    }

    private static String type(MimeMessage message) {
        try {
            return message.getContentType();
        } catch (jakarta.mail.MessagingException e) {
            throw new AssertionError(e);
        }
    }

    private Openssl openssl() throws Exception {
        Path work = Files.createDirectories(dir.resolve("openssl"));
        TestPki.writePem(work.resolve("contact.pem"), contact.certificate());
        TestPki.writePem(work.resolve("contact.key"), contact.key());
        TestPki.writePem(work.resolve("org-ca.pem"), orgCa.certificate());
        return new Openssl(work);
    }

    @Test
    void aMessageToACustomerAndTheirLawyerLeavesAsAnEncryptedAndASignedCopy() throws Exception {
        greenMail = greenMail();
        running = start(greenMail.getSmtp().getPort(), greenMail.getSmtp().getPort(), "1s", true);

        String reply = SmtpSubmission.send(running.relay.outboundPort(), ORG, List.of(CONTACT, LAWYER, HIDDEN),
                contract("Contract"));

        queueId(reply);
        // one message in each of three mailboxes, from two SMTP transactions
        awaitQueue(() -> "three mailboxes filled, not " + greenMail.getReceivedMessages().length + "; queue: "
                + running.gateway.queue().list(), () -> greenMail.getReceivedMessages().length == 3);
        // which copy went to whom is the queue's and the audit log's to say (below and in the next test); here: one
        // encrypted copy and the signed one for two recipients
        List<MimeMessage> received = List.of(greenMail.getReceivedMessages());
        List<MimeMessage> encrypted = received.stream().filter(m -> type(m).startsWith("application/pkcs7-mime"))
                .toList();
        List<MimeMessage> signed = received.stream().filter(m -> type(m).startsWith("multipart/signed")).toList();
        assertEquals(1, encrypted.size());
        assertEquals(2, signed.size());
        MimeMessage toContact = encrypted.get(0);
        MimeMessage toLawyer = signed.get(0);
        MimeMessage toHidden = signed.get(1);
        for (MimeMessage copy : List.of(toContact, toLawyer, toHidden)) {
            assertArrayEquals(new String[] {CONTACT}, copy.getHeader("To"));
            assertArrayEquals(new String[] {LAWYER}, copy.getHeader("Cc"));
            assertNull(copy.getHeader("Bcc"));
            assertEquals("Contract", copy.getSubject());
        }

        Openssl openssl = openssl();
        Files.write(dir.resolve("openssl/encrypted.eml"), bytes(toContact));
        Files.write(dir.resolve("openssl/signed.eml"), bytes(toLawyer));
        openssl.run("cms", "-decrypt", "-in", "encrypted.eml", "-recip", "contact.pem", "-inkey", "contact.key",
                "-out", "decrypted.eml").assertSuccess();
        openssl.run("cms", "-verify", "-in", "decrypted.eml", "-CAfile", "org-ca.pem", "-purpose", "any",
                "-out", "payload.eml").assertSuccess();
        openssl.run("cms", "-verify", "-in", "signed.eml", "-CAfile", "org-ca.pem", "-purpose", "any",
                "-out", "signed-payload.eml").assertSuccess();
        String payload = Files.readString(dir.resolve("openssl/payload.eml"), StandardCharsets.UTF_8);
        assertTrue(payload.contains("hp=\"cipher\"") && payload.contains("Subject: Contract")
                && payload.contains("HP-Outer: Subject: Contract"), payload);
        assertTrue(Files.readString(dir.resolve("openssl/signed-payload.eml"), StandardCharsets.UTF_8)
                .contains("hp=\"clear\""));

        AuditEvent event = outboundEvent();
        assertEquals("split", event.decision());
        assertTrue(event.detail().contains("signed+encrypted to " + CONTACT + "; signed to " + LAWYER + "," + HIDDEN),
                event.detail());
        assertTrue(event.detail().contains("; not encrypted to " + LAWYER + " (no certificate), " + HIDDEN
                + " (no certificate)"), event.detail());
    }

    @Test
    void eachCopyIsQueuedOnItsOwnWithItsRecipientsAndTreatment() throws Exception {
        running = start(closedPort(), closedPort(), "1h", true);

        String id = queueId(SmtpSubmission.send(running.relay.outboundPort(), ORG, List.of(CONTACT, LAWYER),
                contract("Contract")));

        List<QueueEntry> entries = running.gateway.queue().list();
        assertEquals(2, entries.size(), entries.toString());
        QueueEntry first = running.gateway.queue().find(id).orElseThrow();
        QueueEntry second = entries.stream().filter(e -> !e.id().equals(id)).findFirst().orElseThrow();
        assertEquals(List.of(CONTACT), first.recipients().stream().map(RecipientStatus::address).toList());
        assertEquals("signed=yes encrypted=yes copy=1/2", first.verdicts());
        assertEquals(List.of(LAWYER), second.recipients().stream().map(RecipientStatus::address).toList());
        assertEquals("signed=yes encrypted=no copy=2/2", second.verdicts());
        assertTrue(running.gateway.audit().recent(10).stream().anyMatch(e -> e.subject().equals(second.id())
                && e.detail().endsWith("copy=2/2 of " + id)), "the queued event names the first copy");
        assertTrue(outboundEvent().detail().endsWith(" queue=" + id + "," + second.id()), outboundEvent().detail());
    }

    @Test
    void aRecipientWhoseEncryptionARuleRequiresRefusesTheWholeMessage() throws Exception {
        greenMail = greenMail();
        running = start(greenMail.getSmtp().getPort(), greenMail.getSmtp().getPort(), "1s", true,
                "outbound.encrypt.required.for=law.example\n");

        String reply;
        try (LogCapture log = LogCapture.of(SmtpListener.class)) {
            reply = SmtpSubmission.send(running.relay.outboundPort(), ORG, List.of(CONTACT, LAWYER),
                    contract("Contract"));
            // the listener logs the line after it has sent the reply
            awaitQueue(() -> "the log line says why: " + log.messages(), () -> log.messages().stream()
                    .anyMatch(line -> line.endsWith(" reply=\"550 5.7.1 cannot encrypt: no valid certificate for "
                            + LAWYER + " (no certificate)\"")));
        }

        assertEquals("550 5.7.1 cannot encrypt: no valid certificate for " + LAWYER + " (no certificate)",
                reply.trim());
        assertEquals(List.of(), running.gateway.queue().list());
        assertFalse(greenMail.waitForIncomingEmail(300, 1), "nothing is sent");
    }

    @Test
    void theSubjectTriggerRequiresEncryptionAndLeavesTheSubject() throws Exception {
        greenMail = greenMail();
        running = start(greenMail.getSmtp().getPort(), greenMail.getSmtp().getPort(), "1s", true,
                "outbound.encrypt.subject.trigger=[secure]\noutbound.encrypt=never\n");

        assertTrue(SmtpSubmission.send(running.relay.outboundPort(), ORG, List.of(CONTACT, LAWYER),
                contract("[SECURE] Contract")).startsWith("550 5.7.1 cannot encrypt: no valid certificate for "
                        + LAWYER), "required for every recipient");
        queueId(SmtpSubmission.send(running.relay.outboundPort(), ORG, List.of(CONTACT),
                message(ORG, CONTACT, "Re: [secure] Contract", "", "Signed and sealed.\r\n")));

        assertTrue(greenMail.waitForIncomingEmail(WAIT.toMillis(), 1), "delivered");
        MimeMessage delivered = greenMail.getReceivedMessages()[0];
        assertTrue(delivered.getContentType().startsWith("application/pkcs7-mime"), delivered.getContentType());
        assertEquals("Re: Contract", delivered.getSubject());
    }

    @Test
    void ourObscuredOutboundMessageComesBackThroughOurInboundWithItsRealSubject() throws Exception {
        greenMail = greenMail();
        running = start(greenMail.getSmtp().getPort(), greenMail.getSmtp().getPort(), "1s", true,
                "outbound.header.protection=obscure\n");

        queueId(SmtpSubmission.send(running.relay.outboundPort(), ORG, List.of(CONTACT),
                message(ORG, CONTACT, "Your refund", "", "It is on its way.\r\n")));
        assertTrue(greenMail.waitForIncomingEmail(WAIT.toMillis(), 1), "sent");
        MimeMessage sent = greenMail.getReceivedMessages()[0];
        assertEquals("[...]", sent.getSubject());

        // the organisation's own certificate is among the recipients, so our inbound side can read it back
        queueId(SmtpSubmission.send(running.relay.inboundPort(), ORG, List.of(ORG), bytes(sent)));

        assertTrue(greenMail.waitForIncomingEmail(WAIT.toMillis(), 2), "came back");
        MimeMessage back = greenMail.getReceivedMessages()[1];
        assertEquals("Your refund", back.getSubject());
        assertTrue(back.getHeader("Authentication-Results")[0].replaceAll("\\s+", " ")
                .startsWith("gateway.test; smime=pass"), back.getHeader("Authentication-Results")[0]);
        assertTrue(back.getHeader("X-SMIME-Header-Protection")[0].startsWith("cipher; fields=From,To,Subject,"),
                back.getHeader("X-SMIME-Header-Protection")[0]);
        assertTrue(back.getHeader("X-SMIME-Header-Protection")[0].endsWith("; replaced=Subject"),
                back.getHeader("X-SMIME-Header-Protection")[0]);
    }
}
