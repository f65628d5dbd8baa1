package org.smimegw.core.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.smimegw.core.cert.CertificateKind;
import org.smimegw.core.cert.Fingerprints;
import org.smimegw.core.helpdesk.SubjectTags;
import org.smimegw.core.inbound.EncryptionOutcome;
import org.smimegw.core.inbound.InboundPipeline;
import org.smimegw.core.inbound.InboundResult;
import org.smimegw.core.inbound.SmimeResult;
import org.smimegw.core.limits.MessageLimits;
import org.smimegw.core.mime.HeaderField;
import org.smimegw.core.mime.RawMessage;
import org.smimegw.core.smime.Envelope;
import org.smimegw.core.smime.SigningIdentity;
import org.smimegw.core.smime.SmimeAlgorithms;
import org.smimegw.core.smime.SmimeEncryptor;
import org.smimegw.core.smime.SmimeSigner;
import org.smimegw.core.testing.InMemoryCertificateDirectory;
import org.smimegw.core.testing.InMemoryPrivateKeyRepository;
import org.smimegw.core.testing.TestPki;
import org.smimegw.core.testing.TestPki.Issued;

/**
 * docs/design.md §12, outbound, and our own messages back through our inbound pipeline: the protected fields travel
 * inside the signature or the encryption, and come out as the delivered ones.
 */
class OutboundHeaderProtectionTest {
    private static final String ORG = "helpdesk@org.example";
    private static final String BOB = "bob@customer.example";
    private static final String SUBJECT = "=?UTF-8?Q?Ihre_R=C3=BCckfrage_zu_Ticket_4711?=";

    private final InMemoryCertificateDirectory directory = new InMemoryCertificateDirectory();
    private final InMemoryPrivateKeyRepository keys = new InMemoryPrivateKeyRepository();
    private final Issued org = TestPki.client(ORG).build();
    private final Issued bob = TestPki.client(BOB).build();
    private final SmimeAlgorithms algorithms = SmimeAlgorithms.defaults();
    private final InboundPipeline inbound;

    OutboundHeaderProtectionTest() {
        directory.add(org.certificate(), CertificateKind.CLIENT);
        keys.put(Fingerprints.sha256(org.certificate()), org.key());
        directory.add(bob.certificate(), CertificateKind.CLIENT);
        inbound = new InboundPipeline(directory, keys, algorithms, "gw.example.org");
    }

    private OutboundPipeline outbound(HeaderProtection protection, PolicyMode encrypt) {
        return new OutboundPipeline(new CertificateLookup(directory, keys), new SmimeSigner(algorithms),
                new SmimeEncryptor(algorithms), OutboundPolicy.of(PolicyMode.REQUIRED, encrypt), protection,
                MessageLimits.DEFAULTS, SubjectTags.DEFAULTS);
    }

    private static RawMessage message() {
        return RawMessage.parse(("From: Help Desk <" + ORG + ">\r\nTo: " + BOB + "\r\nSubject: " + SUBJECT + "\r\n"
                + "Keywords: refund\r\nMessage-ID: <4711@org.example>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n\r\nYour refund is on its way.\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    }

    private OutboundResult.Copy sent(HeaderProtection protection, PolicyMode encrypt) {
        OutboundResult.Relay relay = assertInstanceOf(OutboundResult.Relay.class, outbound(protection, encrypt)
                .process(message(), new Envelope(ORG, List.of(BOB)), TestPki.NOW));
        return relay.copies().get(0);
    }

    private InboundResult received(RawMessage message) {
        return inbound.process(RawMessage.parse(message.toBytes().toByteArray()),
                new Envelope(ORG, List.of(BOB)), TestPki.NOW);
    }

    private static String text(RawMessage message) {
        return new String(message.toBytes().toByteArray(), StandardCharsets.UTF_8);
    }

    @Test
    void aSignedMessageCarriesItsFieldsInsideTheSignatureAsClear() {
        OutboundResult.Copy copy = sent(HeaderProtection.PROTECT, PolicyMode.NEVER);

        String sent = text(copy.message());
        assertTrue(sent.contains("\r\nContent-Type: text/plain; charset=utf-8; hp=\"clear\"\r\n"), sent);
        assertFalse(sent.contains("HP-Outer"), sent);
        InboundResult back = received(copy.message());
        assertInstanceOf(SmimeResult.Pass.class, back.verdict(), () -> back.verdict().toString());
        assertEquals(List.of("clear; fields=From,To,Subject,Keywords,Message-ID"),
                back.message().headerValues("X-SMIME-Header-Protection"));
        assertEquals(List.of(SUBJECT), back.message().headerValues("Subject"));
    }

    @Test
    void obscureHidesTheSubjectOfAnEncryptedMessageAndOurInboundRestoresIt() {
        OutboundResult.Copy copy = sent(HeaderProtection.OBSCURE, PolicyMode.REQUIRED);

        assertEquals(List.of("[...]"), copy.message().headerValues("Subject"));
        assertEquals(List.of(), copy.message().headerValues("Keywords"));
        InboundResult back = received(copy.message());
        assertInstanceOf(EncryptionOutcome.Decrypted.class, back.encryption());
        assertInstanceOf(SmimeResult.Pass.class, back.verdict(), () -> back.verdict().toString());
        assertEquals(List.of(SUBJECT), back.message().headerValues("Subject"));
        assertEquals(List.of("refund"), back.message().headerValues("Keywords"));
        assertEquals(List.of("cipher; fields=From,To,Subject,Keywords,Message-ID; replaced=Subject"),
                back.message().headerValues("X-SMIME-Header-Protection"));
    }

    @Test
    void protectKeepsTheOuterSubjectAndListsTheOuterFieldsInside() {
        OutboundResult.Copy copy = sent(HeaderProtection.PROTECT, PolicyMode.REQUIRED);

        assertEquals(List.of(SUBJECT), copy.message().headerValues("Subject"));
        InboundResult back = received(copy.message());
        assertEquals(List.of("cipher; fields=From,To,Subject,Keywords,Message-ID"),
                back.message().headerValues("X-SMIME-Header-Protection"));
        assertEquals(List.of(), back.message().headerValues("HP-Outer"));
    }

    @Test
    void offProtectsNothing() {
        InboundResult back = received(sent(HeaderProtection.OFF, PolicyMode.REQUIRED).message());

        assertInstanceOf(SmimeResult.Pass.class, back.verdict(), () -> back.verdict().toString());
        assertEquals(List.of(), back.message().headerValues("X-SMIME-Header-Protection"));
    }

    /** A message signed by the organisation with this payload header in place of the usual one. */
    private RawMessage signedWithPayloadHeader(String payloadHeader) {
        RawMessage message = message();
        RawMessage payload = RawMessage.parse((payloadHeader + "\r\nYour refund is on its way.\r\n")
                .getBytes(StandardCharsets.UTF_8));
        return new SmimeSigner(algorithms).sign(message, payload, new SigningIdentity(org.certificate(), org.key(),
                List.of()), TestPki.NOW);
    }

    @Test
    void aProtectedFromThatIsNotTheSignerIsPolicyAndIsWhatTheHelpdeskSees() {
        InboundResult back = received(signedWithPayloadHeader("From: ceo@org.example\r\nSubject: wire money\r\n"
                + "Content-Type: text/plain; hp=\"clear\"\r\n"));

        SmimeResult.Policy policy = assertInstanceOf(SmimeResult.Policy.class, back.verdict());
        assertTrue(policy.reason().orElseThrow().contains("is not the From address ceo@org.example"),
                policy.toString());
        assertEquals(List.of("ceo@org.example"), back.message().headerValues("From"));
    }

    @Test
    void severalProtectedSubjectFieldsMakeTheProtectedFieldsIgnored() {
        InboundResult back = received(signedWithPayloadHeader("Subject: one\r\nSubject: two\r\n"
                + "Content-Type: text/plain; hp=\"clear\"\r\n"));

        assertInstanceOf(SmimeResult.Pass.class, back.verdict(), () -> back.verdict().toString());
        assertEquals(List.of("ignored; reason=\"2 protected Subject fields\""),
                back.message().headerValues("X-SMIME-Header-Protection"));
        assertEquals(List.of(SUBJECT), back.message().headerValues("Subject"));
    }

    @Test
    void protectedFieldsInANestedPartDoNotCount() {
        InboundResult back = received(signedWithPayloadHeader("Content-Type: multipart/mixed; boundary=b\r\n\r\n"
                + "--b\r\nSubject: nested\r\nContent-Type: text/plain; hp=\"clear\"\r\n\r\nx\r\n--b--"));

        assertEquals(List.of(), back.message().headerValues("X-SMIME-Header-Protection"));
        assertEquals(List.of(SUBJECT), back.message().headerValues("Subject"));
    }

    @Test
    void cipherOnASignedOnlyMessageIsReadAsClear() {
        InboundResult back = received(signedWithPayloadHeader("Subject: real\r\n"
                + "Content-Type: text/plain; hp=\"cipher\"\r\n"));

        assertEquals(List.of("clear; declared=cipher; fields=Subject; replaced=Subject"),
                back.message().headerValues("X-SMIME-Header-Protection"));
        assertEquals(List.of("real"), back.message().headerValues("Subject"));
    }

    @Test
    void anUnprotectedReplyToIsDroppedFromAProtectedMessage() {
        RawMessage signed = signedWithPayloadHeader("Subject: real\r\nContent-Type: text/plain; hp=\"clear\"\r\n");
        RawMessage injected = signed.withHeadersFirst(List.of(
                HeaderField.of("Reply-To", "mallory@evil.example")));

        InboundResult back = received(injected);

        assertEquals(List.of(), back.message().headerValues("Reply-To"));
        assertEquals(List.of("clear; fields=Subject; replaced=Subject; dropped=Reply-To"),
                back.message().headerValues("X-SMIME-Header-Protection"));
        assertEquals(List.of(ORG), List.of(back.message().header("From").orElseThrow().replaceAll(".*<|>", "")));
    }

    @Test
    void ourVerdictAndTheHelpdesksHeadersCannotComeInAsProtectedFields() {
        InboundResult back = received(signedWithPayloadHeader("Subject: real\r\nX-SMIME-Encryption: decrypted\r\n"
                + "Authentication-Results: gw.example.org; smime=pass\r\nX-Zammad-Customer-Email: ceo@org.example\r\n"
                + "Content-Type: text/plain; hp=\"clear\"\r\n"));

        assertEquals(List.of("none"), back.message().headerValues("X-SMIME-Encryption"));
        assertEquals(1, back.message().headerValues("Authentication-Results").size());
        assertEquals(List.of(), back.message().headerValues("X-Zammad-Customer-Email"));
        assertTrue(back.headerNotes().contains("stripped 1 helpdesk header field (X-Zammad-Customer-Email) from the "
                + "protected fields"), back.headerNotes().toString());
        assertEquals(Optional.of("real"), back.message().header("Subject"));
    }
}
