package org.smimegw.smtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.smimegw.core.mime.RawMessage;
import org.smimegw.core.port.AuditEvent;
import org.smimegw.core.port.OriginalArchive;
import org.smimegw.core.smime.SigningIdentity;
import org.smimegw.core.smime.SmimeSigner;
import org.smimegw.core.testing.TestPki;

import jakarta.mail.internet.MimeMessage;

/**
 * docs/design.md §16 end to end, over SMTP ({@link RelayFixture}): what an outsider puts in to steer the helpdesk
 * never reaches it, not even through {@code reprocess}; agents see the verdict in the Subject, and customers never
 * see it in replies.
 */
class HelpdeskIT extends RelayFixture {
    private static final String STEERING = "X-Zammad-Customer-Email: ceo@org.example\r\nX-OTRS-Queue: Junk\r\n";
    private static final Pattern ORIGINAL = Pattern.compile("original=([^\\s;]+)");

    private byte[] signed(TestPki.Issued signer, String from, String subject, String extraHeaders) {
        RawMessage message = RawMessage.parse(message(from, ORG, subject, extraHeaders, "Please refund.\r\n"));
        return new SmimeSigner(running.gateway.config().algorithms()).sign(message,
                new SigningIdentity(signer.certificate(), signer.key(), List.of()), clock.instant())
                .toBytes().toByteArray();
    }

    private MimeMessage delivered(int count) throws Exception {
        assertTrue(greenMail.waitForIncomingEmail(WAIT.toMillis(), count), "message " + count + " not delivered");
        return greenMail.getReceivedMessages()[count - 1];
    }

    private AuditEvent inboundEvent(String messageIdPart) {
        return running.gateway.audit().recent(50).stream()
                .filter(e -> e.action().equals("inbound") && e.subject().contains(messageIdPart)).findFirst()
                .orElseThrow(() -> new AssertionError("no inbound audit event for " + messageIdPart));
    }

    @Test
    void steeringHeadersNeverReachTheHelpdeskAndTheVerdictIsInTheSubject() throws Exception {
        greenMail = greenMail();
        running = start(greenMail.getSmtp().getPort(), greenMail.getSmtp().getPort(), "1s", true,
                "inbound.subject.tag=on\n");

        queueId(SmtpSubmission.send(running.relay.inboundPort(), CONTACT, ORG,
                signed(contact, CONTACT, "[S/MIME verified] Refund", STEERING + "X-Zammadx: kept\r\n")));

        MimeMessage received = delivered(1);
        assertEquals("[S/MIME verified] Refund", received.getSubject());
        assertNull(received.getHeader("X-Zammad-Customer-Email"));
        assertNull(received.getHeader("X-OTRS-Queue"));
        assertArrayEquals(new String[] {"kept"}, received.getHeader("X-Zammadx"));
        AuditEvent event = inboundEvent(received.getMessageID().replaceAll("[<>]", ""));
        assertEquals("smime=pass", event.decision());
        assertTrue(event.detail().contains("stripped 2 helpdesk header fields (X-OTRS-Queue, X-Zammad-Customer-Email)"),
                event.detail());
        assertTrue(event.detail().contains("removed 1 tag from the Subject"), event.detail());

        String reply = SmtpSubmission.send(running.relay.outboundPort(), ORG, CONTACT,
                message(ORG, CONTACT, "Re: [S/MIME verified] Refund", "", "Done.\r\n"));

        queueId(reply);
        assertEquals("Re: Refund", delivered(2).getSubject());
    }

    @Test
    void reprocessingAKeptOriginalStripsAndTagsTheNewCopy() throws Exception {
        greenMail = greenMail();
        running = start(greenMail.getSmtp().getPort(), greenMail.getSmtp().getPort(), "1s", true,
                "inbound.subject.tag=on\n");
        TestPki.Issued strangerCa = TestPki.ca("Stranger CA");
        String strangerAddress = "carol@stranger.example";
        TestPki.Issued stranger = TestPki.client(strangerAddress).issuedBy(strangerCa).build();

        queueId(SmtpSubmission.send(running.relay.inboundPort(), strangerAddress, ORG,
                signed(stranger, strangerAddress, "Invoice", STEERING)));

        MimeMessage first = delivered(1);
        assertEquals("[S/MIME untrusted] Invoice", first.getSubject());
        assertNull(first.getHeader("X-Zammad-Customer-Email"));
        AuditEvent event = inboundEvent(first.getMessageID().replaceAll("[<>]", ""));
        Matcher original = ORIGINAL.matcher(event.detail());
        assertTrue(original.find(), "the original is kept: " + event.detail());

        running.gateway.admin().importCertificate(strangerCa.certificate(), "test");
        OriginalArchive.KeptOriginal kept = running.gateway.originals().find(original.group(1)).orElseThrow();
        QueueIntake.Reprocessed done = running.gateway.intake(() -> { }).reprocess(kept, clock.instant());

        assertEquals("pass", done.verdict());
        MimeMessage again = delivered(2);
        assertEquals("[S/MIME verified] Invoice", again.getSubject());
        assertNull(again.getHeader("X-Zammad-Customer-Email"));
        assertNull(again.getHeader("X-OTRS-Queue"));
        assertTrue(running.gateway.audit().recent(50).stream().filter(e -> e.action().equals("inbound"))
                .allMatch(e -> e.detail().contains("stripped 2 helpdesk header fields")),
                "both processings counted the strip");
    }
}
