package org.smimegw.core.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.smimegw.core.inbound.InboundFixture.text;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.smimegw.core.helpdesk.HeaderNamePatterns;
import org.smimegw.core.helpdesk.HelpdeskSettings;
import org.smimegw.core.helpdesk.SubjectTags;
import org.smimegw.core.limits.MessageLimits;
import org.smimegw.core.mime.Bytes;
import org.smimegw.core.mime.RawMessage;
import org.smimegw.core.smime.Envelope;
import org.smimegw.core.testing.TestPki;

/**
 * docs/design.md §16: an outsider cannot steer the helpdesk through its control headers, and the verdict shows in
 * the Subject when tagging is on, with no tag the sender wrote left in it.
 */
class InboundHelpdeskTest {
    private static final String STEERING = "X-Zammad-Customer-Email: ceo@org.example\r\n"
            + "X-OTRS-Queue: Junk\r\n"
            + "x-zammad-ticket-priority:\r\n 3 high\r\n"
            + "X-Zammadx: kept\r\n";
    private static final SubjectTags TAGGING = new SubjectTags(true, SubjectTags.PASS, SubjectTags.FAIL,
            SubjectTags.POLICY, SubjectTags.DECRYPTED);

    private final InboundFixture fx = new InboundFixture();
    private final InboundFixture tagging = new InboundFixture(new HelpdeskSettings(
            HeaderNamePatterns.parse(HeaderNamePatterns.DEFAULT), TAGGING));

    private static byte[] plain(String headers) {
        return TestMessages.ascii(headers + TestMessages.HEADERS + "Content-Type: text/plain\r\n\r\nHello\r\n");
    }

    private static String subject(InboundResult result) {
        List<String> subjects = result.message().headerValues("Subject");
        assertEquals(1, subjects.size(), subjects.toString());
        return subjects.get(0);
    }

    @Test
    void theHelpdesksControlHeadersAreRemovedAndCounted() {
        InboundResult result = fx.process(plain(STEERING));

        RawMessage delivered = RawMessage.parse(result.message().toBytes().toByteArray());
        assertEquals(List.of(), delivered.headerValues("X-Zammad-Customer-Email"));
        assertEquals(List.of(), delivered.headerValues("X-OTRS-Queue"));
        assertEquals(List.of(), delivered.headerValues("X-Zammad-Ticket-Priority"));
        assertEquals(List.of("kept"), delivered.headerValues("X-Zammadx"));
        assertEquals(List.of("stripped 3 helpdesk header fields (X-OTRS-Queue, X-Zammad-Customer-Email, "
                + "x-zammad-ticket-priority)"), result.headerNotes());
    }

    @Test
    void theyAreRemovedFromSignedAndEncryptedMailWithoutTouchingTheVerdict() {
        byte[] signed = TestMessages.signedBy(STEERING + TestMessages.HEADERS, fx.alice,
                List.of(fx.alice.certificate()));
        byte[] message = TestMessages.pkcs7Mime(STEERING + TestMessages.HEADERS, "enveloped-data",
                TestMessages.envelopedDer(signed, fx.bob.certificate(), false));

        InboundResult result = fx.process(message);

        assertInstanceOf(SmimeResult.Pass.class, result.verdict(), () -> result.verdict().toString());
        assertInstanceOf(EncryptionOutcome.Decrypted.class, result.encryption());
        assertFalse(text(result).toLowerCase().contains("x-zammad-"), text(result));
        assertFalse(text(result).contains("X-OTRS-Queue"), text(result));
    }

    @Test
    void anEmptyListStripsNothing() {
        InboundFixture none = new InboundFixture(new HelpdeskSettings(HeaderNamePatterns.parse(""),
                SubjectTags.DEFAULTS));

        InboundResult result = none.process(plain(STEERING));

        assertEquals(List.of("ceo@org.example"), result.message().headerValues("X-Zammad-Customer-Email"));
        assertEquals(List.of(), result.headerNotes());
    }

    @Test
    void aHundredThousandFieldsToStripAreRemovedBeyondTheFieldLimitAsWell() {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            many.append("X-Zammad-Article-").append(i).append(": steer\r\n");
        }
        byte[] message = plain(many.toString());
        RawMessage lumped = RawMessage.parse(Bytes.of(message), MessageLimits.DEFAULTS.headerFields());

        InboundResult result = fx.pipeline.process(lumped, new Envelope("a@example.com", List.of("b@example.com")),
                InboundFixture.AT);

        // the limits are checked after the strip: without those fields, nothing is over a limit
        assertInstanceOf(SmimeResult.None.class, result.verdict(), () -> result.verdict().toString());
        String delivered = text(result);
        assertFalse(delivered.contains("X-Zammad-"), "no field to strip is left");
        assertTrue(delivered.endsWith(TestMessages.HEADERS + "Content-Type: text/plain\r\n\r\nHello\r\n"), delivered);
        assertEquals(List.of("stripped 100000 helpdesk header fields (X-Zammad-Article-0, X-Zammad-Article-1, "
                + "X-Zammad-Article-2, X-Zammad-Article-3, X-Zammad-Article-4, ...)"), result.headerNotes());
    }

    @Test
    void aPassingMessageIsTaggedVerifiedAndForgedTagsGo() {
        String headers = TestMessages.HEADERS.replace("Subject: test", "Subject: [S/MIME verified] [encrypted] test");

        InboundResult result = tagging.process(TestMessages.signedBy(headers, tagging.alice,
                List.of(tagging.alice.certificate())));

        assertInstanceOf(SmimeResult.Pass.class, result.verdict(), () -> result.verdict().toString());
        assertEquals("[S/MIME verified] test", subject(result));
        assertEquals(List.of("removed 2 tags from the Subject"), result.headerNotes());
    }

    @Test
    void aDecryptedPassingMessageGetsBothTagsEncryptedFirst() {
        byte[] signed = tagging.signedByAlice("");
        byte[] message = TestMessages.pkcs7Mime(TestMessages.HEADERS, "enveloped-data",
                TestMessages.envelopedDer(signed, tagging.bob.certificate(), false));

        assertEquals("[encrypted] [S/MIME verified] test", subject(tagging.process(message)));
    }

    @Test
    void aSignatureThatDoesNotVerifyIsTaggedInvalid() {
        String tampered = new String(tagging.signedByAlice(TestMessages.HEADERS), StandardCharsets.ISO_8859_1)
                .replace(TestMessages.TEXT, "Hello Bob, this is changed");

        InboundResult result = tagging.process(tampered.getBytes(StandardCharsets.ISO_8859_1));

        assertInstanceOf(SmimeResult.Fail.class, result.verdict(), () -> result.verdict().toString());
        assertEquals("[S/MIME INVALID] test", subject(result));
    }

    @Test
    void malformedSignatureDataIsTaggedInvalid() {
        InboundResult result = tagging.process(TestMessages.multipartSigned(TestMessages.HEADERS,
                TestMessages.TEXT_PART, "bm90IGEgc2lnbmF0dXJl"));

        assertInstanceOf(SmimeResult.PermError.class, result.verdict(), () -> result.verdict().toString());
        assertEquals("[S/MIME INVALID] test", subject(result));
    }

    @Test
    void aSignerWhoDoesNotChainToStoredDataIsTaggedUntrusted() {
        TestPki.Issued stranger = TestPki.client("alice@example.com").issuedBy(TestPki.ca("Unknown CA")).build();

        InboundResult result = tagging.process(TestMessages.signedBy(stranger, List.of(stranger.certificate())));

        assertInstanceOf(SmimeResult.Policy.class, result.verdict(), () -> result.verdict().toString());
        assertEquals("[S/MIME untrusted] test", subject(result));
    }

    @Test
    void anUnsignedMessageGetsNoVerdictTagButLosesForgedOnes() {
        InboundResult result = tagging.process(TestMessages.ascii(TestMessages.HEADERS.replace("Subject: test",
                "Subject: [S/MIME  Verified] test") + "Content-Type: text/plain\r\n\r\nHello\r\n"));

        assertInstanceOf(SmimeResult.None.class, result.verdict());
        assertEquals("test", subject(result));
    }

    @Test
    void withTaggingOffTheSubjectIsLeftExactlyAsReceived() {
        InboundResult result = fx.process(TestMessages.ascii(TestMessages.HEADERS.replace("Subject: test",
                "Subject: [S/MIME verified] test") + "Content-Type: text/plain\r\n\r\nHello\r\n"));

        assertEquals("[S/MIME verified] test", subject(result));
        assertEquals(List.of(), result.headerNotes());
    }
}
