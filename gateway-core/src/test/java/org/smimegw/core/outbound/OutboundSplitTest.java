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
import org.smimegw.core.limits.MessageLimits;
import org.smimegw.core.mime.RawMessage;
import org.smimegw.core.smime.Envelope;
import org.smimegw.core.smime.SmimeAlgorithms;
import org.smimegw.core.smime.SmimeEncryptor;
import org.smimegw.core.smime.SmimeSigner;
import org.smimegw.core.testing.InMemoryCertificateDirectory;
import org.smimegw.core.testing.InMemoryPrivateKeyRepository;
import org.smimegw.core.testing.TestPki;
import org.smimegw.core.testing.TestPki.Issued;

/**
 * docs/design.md §11: recipients with a certificate get the encrypted copy, the others the signed one; a recipient
 * whose encryption is required and impossible refuses the whole message.
 */
class OutboundSplitTest {
    private static final String ORG = "helpdesk@org.example";
    private static final String BOB = "bob@customer.example";
    private static final String LAWYER = "lawyer@law.example";
    private static final String HIDDEN = "hidden@customer.example";

    private final InMemoryCertificateDirectory directory = new InMemoryCertificateDirectory();
    private final InMemoryPrivateKeyRepository keys = new InMemoryPrivateKeyRepository();
    private final Issued org = TestPki.client(ORG).build();
    private final Issued bob = TestPki.client(BOB).build();

    OutboundSplitTest() {
        directory.add(org.certificate(), CertificateKind.CLIENT);
        keys.put(Fingerprints.sha256(org.certificate()), org.key());
        directory.add(bob.certificate(), CertificateKind.CLIENT);
    }

    private OutboundPipeline pipeline(String required, String never, String trigger) {
        SmimeAlgorithms algorithms = SmimeAlgorithms.defaults();
        OutboundPolicy policy = new OutboundPolicy(PolicyMode.REQUIRED, PolicyMode.IF_POSSIBLE,
                AddressRules.parse(required), AddressRules.parse(never), AddressRules.NONE, Optional.of(trigger));
        return new OutboundPipeline(new CertificateLookup(directory, keys), new SmimeSigner(algorithms),
                new SmimeEncryptor(algorithms), policy, HeaderProtection.OFF, MessageLimits.DEFAULTS,
                SubjectTags.DEFAULTS);
    }

    private static RawMessage message(String subject) {
        return RawMessage.parse(("From: Help Desk <" + ORG + ">\r\nTo: " + BOB + "\r\nCc: " + LAWYER + "\r\n"
                + "Bcc: " + HIDDEN + "\r\nSubject: " + subject + "\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain\r\n\r\nYour contract.\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    private static final Envelope ENVELOPE = new Envelope(ORG, List.of(BOB, LAWYER, HIDDEN));

    @Test
    void recipientsWithACertificateGetTheEncryptedCopyAndTheOthersTheSignedOne() {
        OutboundResult.Relay relay = assertInstanceOf(OutboundResult.Relay.class,
                pipeline("", "", "").process(message("Contract"), ENVELOPE, TestPki.NOW));

        assertEquals(2, relay.copies().size());
        OutboundResult.Copy encrypted = relay.copies().get(0);
        OutboundResult.Copy signed = relay.copies().get(1);
        assertEquals(List.of(BOB), encrypted.recipients());
        assertEquals("signed+encrypted", encrypted.treatment());
        assertEquals(List.of(Fingerprints.sha256(bob.certificate()), Fingerprints.sha256(org.certificate())),
                encrypted.recipientFingerprints());
        assertEquals(List.of(LAWYER, HIDDEN), signed.recipients());
        assertEquals("signed", signed.treatment());
        assertEquals("split", relay.treatment());
        assertEquals("signed+encrypted to " + BOB + "; signed to " + LAWYER + "," + HIDDEN, relay.byRecipient());
        assertEquals(List.of(LAWYER + " (no certificate)", HIDDEN + " (no certificate)"), relay.unencrypted());
        for (OutboundResult.Copy copy : relay.copies()) {
            assertEquals(List.of(BOB), copy.message().headerValues("To"));
            assertEquals(List.of(LAWYER), copy.message().headerValues("Cc"));
            assertEquals(List.of("Contract"), copy.message().headerValues("Subject"));
            assertEquals(List.of(), copy.message().headerValues("Bcc"));
        }
        assertTrue(encrypted.message().header("Content-Type").orElseThrow().contains("pkcs7-mime"));
        assertTrue(signed.message().header("Content-Type").orElseThrow().contains("multipart/signed"));
    }

    @Test
    void aRecipientWhoseEncryptionIsRequiredAndImpossibleRefusesTheWholeMessage() {
        OutboundResult result = pipeline("law.example", "", "").process(message("Contract"), ENVELOPE, TestPki.NOW);

        assertEquals(new OutboundResult.Refused("cannot encrypt: no valid certificate for " + LAWYER
                + " (no certificate)"), result);
    }

    @Test
    void aRecipientWhoseCertificateExpiredIsNamedWithWhy() {
        directory.add(TestPki.client(LAWYER).valid(TestPki.NOW.minusSeconds(86_400 * 400),
                TestPki.NOW.minusSeconds(86_400 * 30)).build().certificate(), CertificateKind.CLIENT);

        OutboundResult.Relay relay = assertInstanceOf(OutboundResult.Relay.class, pipeline("", HIDDEN, "")
                .process(message("Contract"), ENVELOPE, TestPki.NOW));

        assertEquals(1, relay.unencrypted().size(), "never for the hidden recipient is no omission");
        assertTrue(relay.unencrypted().get(0).startsWith(LAWYER + " (expired on "), relay.unencrypted().toString());
    }

    @Test
    void neverForARecipientWithACertificateSendsThemTheSignedCopy() {
        OutboundResult.Relay relay = assertInstanceOf(OutboundResult.Relay.class,
                pipeline("", BOB, "").process(message("Contract"), new Envelope(ORG, List.of(BOB)), TestPki.NOW));

        assertEquals(1, relay.copies().size());
        assertEquals("signed", relay.treatment());
    }

    @Test
    void theSubjectTriggerMakesEncryptionRequiredAndIsRemoved() {
        OutboundPipeline pipeline = pipeline("", "", "[secure]");

        OutboundResult refused = pipeline.process(message("Contract [SECURE]  draft"), ENVELOPE, TestPki.NOW);
        OutboundResult.Relay relay = assertInstanceOf(OutboundResult.Relay.class, pipeline.process(
                message("Re:  [ Secure ]  Contract"), new Envelope(ORG, List.of(BOB)), TestPki.NOW));

        assertEquals("cannot encrypt: no valid certificate for " + LAWYER + " (no certificate), " + HIDDEN
                + " (no certificate)", ((OutboundResult.Refused) refused).reason());
        assertEquals("signed+encrypted", relay.treatment());
        assertEquals(List.of("Re: Contract"), relay.copies().get(0).message().headerValues("Subject"));
    }

    @Test
    void explainNamesTheRuleAndTheCertificateOrWhyNone() {
        List<String> lines = pipeline("customer.example", "law.example", "").explain(message("Contract"),
                ENVELOPE, TestPki.NOW);

        String bobFingerprint = Fingerprints.sha256(bob.certificate());
        assertEquals(5, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("sign as " + ORG + ": required (outbound.sign=required): certificate "
                + Fingerprints.sha256(org.certificate())), lines.get(0));
        assertTrue(lines.get(1).startsWith("encrypt to " + BOB + ": required (outbound.encrypt.required.for="
                + "customer.example): certificate " + bobFingerprint + " (imported, notAfter "), lines.get(1));
        assertEquals("encrypt to " + LAWYER + ": never (outbound.encrypt.never.for=law.example): not encrypted",
                lines.get(2));
        assertEquals("encrypt to " + HIDDEN + ": required (outbound.encrypt.required.for=customer.example): "
                + "no certificate: the message is refused", lines.get(3));
        assertEquals("refused: cannot encrypt: no valid certificate for " + HIDDEN + " (no certificate)",
                lines.get(4));
    }

    @Test
    void explainShowsTheCopies() {
        List<String> lines = pipeline("", "", "").explain(message("Contract"), ENVELOPE, TestPki.NOW);

        assertEquals("2 copies: signed+encrypted to " + BOB + "; signed to " + LAWYER + "," + HIDDEN,
                lines.get(lines.size() - 1));
        assertEquals("encrypt to " + LAWYER + ": if-possible (outbound.encrypt=if-possible): no certificate: "
                + "gets the unencrypted copy", lines.get(2));
        assertFalse(lines.stream().anyMatch(l -> l.startsWith("refused")));
    }
}
