package org.smimegw.core.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.smimegw.core.cert.CertificateKind;
import org.smimegw.core.cert.Fingerprints;
import org.smimegw.core.cert.KeyFileReader;
import org.smimegw.core.helpdesk.HelpdeskSettings;
import org.smimegw.core.limits.MessageLimits;
import org.smimegw.core.mime.RawMessage;
import org.smimegw.core.revocation.RevocationChecker;
import org.smimegw.core.smime.CryptoProviders;
import org.smimegw.core.smime.Envelope;
import org.smimegw.core.smime.SmimeAlgorithms;
import org.smimegw.core.testing.InMemoryCertificateDirectory;
import org.smimegw.core.testing.InMemoryPrivateKeyRepository;
import org.smimegw.core.testing.TestData;

/**
 * docs/design.md §12, inbound: RFC 9788's own test vectors (corpus/rfc9788, signed by Alice, encrypted to Bob with
 * the RFC 9216 keys) and variants of them. The helpdesk gets the protected fields, and the verdict headers say so.
 */
class InboundHeaderProtectionTest {
    private static final Instant AT = Instant.parse("2026-06-01T00:00:00Z");
    private static final String FIELDS = "fields=Subject,Message-ID,From,To,Date,User-Agent";

    private InboundPipeline pipeline;

    @BeforeEach
    void storeTheRfc9216CaAndBobsKey() throws Exception {
        CryptoProviders.installBouncyCastle();
        InMemoryCertificateDirectory directory = new InMemoryCertificateDirectory();
        InMemoryPrivateKeyRepository keys = new InMemoryPrivateKeyRepository();
        directory.add(certificate("rfc9216/ca.rsa.crt"), CertificateKind.CA);
        X509Certificate bob = certificate("rfc9216/bob.encrypt.crt");
        directory.add(bob, CertificateKind.CLIENT);
        keys.put(Fingerprints.sha256(bob), KeyFileReader.read(
                Files.readAllBytes(TestData.file("rfc9216/bob.decrypt.key")), null).keys().get(0));
        pipeline = new InboundPipeline(directory, keys, SmimeAlgorithms.defaults(), "gw.example.org",
                MessageLimits.DEFAULTS, RevocationChecker.off(), HelpdeskSettings.DEFAULTS);
    }

    private static X509Certificate certificate(String relative) throws Exception {
        try (InputStream in = Files.newInputStream(TestData.file(relative))) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static String vector(String name) throws Exception {
        return Files.readString(TestData.file("rfc9788/" + name), StandardCharsets.ISO_8859_1);
    }

    private InboundResult process(String message) {
        return pipeline.process(RawMessage.parse(message.getBytes(StandardCharsets.ISO_8859_1)),
                new Envelope("alice@smime.example", List.of("bob@smime.example")), AT);
    }

    private static List<String> header(InboundResult result, String name) {
        return RawMessage.parse(result.message().toBytes().toByteArray()).headerValues(name);
    }

    @Test
    void aSignedMessageThatProtectsItsFieldsPassesAndSaysClear() throws Exception {
        for (String name : List.of("smime-multipart-hp.eml", "smime-one-part-hp.eml")) {
            InboundResult result = process(vector(name));

            assertInstanceOf(SmimeResult.Pass.class, result.verdict(), () -> name + ": " + result.verdict());
            assertEquals(List.of("clear; " + FIELDS), header(result, "X-SMIME-Header-Protection"), name);
            assertEquals(List.of(name.replace(".eml", "")), header(result, "Subject"), name);
        }
    }

    @Test
    void anOuterSubjectChangedInTransitIsReplacedByTheProtectedOne() throws Exception {
        String changed = vector("smime-multipart-hp.eml").replaceFirst("Subject: smime-multipart-hp",
                "Subject: URGENT: pay this invoice");

        InboundResult result = process(changed);

        assertInstanceOf(SmimeResult.Pass.class, result.verdict(), () -> result.verdict().toString());
        assertEquals(List.of("smime-multipart-hp"), header(result, "Subject"));
        assertEquals(List.of("clear; " + FIELDS + "; replaced=Subject"), header(result, "X-SMIME-Header-Protection"));
        assertTrue(result.headerNotes().contains("header protection clear: replaced Subject"),
                result.headerNotes().toString());
    }

    @Test
    void anEncryptedMessageWithAnObscuredSubjectIsDeliveredWithTheRealOne() throws Exception {
        InboundResult result = process(vector("smime-signed-enc-hp-baseline.eml"));

        assertInstanceOf(EncryptionOutcome.Decrypted.class, result.encryption());
        assertInstanceOf(SmimeResult.Pass.class, result.verdict(), () -> result.verdict().toString());
        assertEquals(List.of("smime-signed-enc-hp-baseline"), header(result, "Subject"));
        assertEquals(List.of("cipher; " + FIELDS + "; replaced=Subject"), header(result, "X-SMIME-Header-Protection"));
        assertEquals(List.of(), header(result, "HP-Outer"));
    }

    @Test
    void theLegacyDisplayBlockIsRemoved() throws Exception {
        InboundResult result = process(vector("smime-signed-enc-hp-baseline-legacy.eml"));

        String text = new String(result.message().toBytes().toByteArray(), StandardCharsets.UTF_8);
        assertEquals(List.of("smime-signed-enc-hp-baseline-legacy"), header(result, "Subject"));
        assertTrue(header(result, "X-SMIME-Header-Protection").get(0).endsWith("; legacy-display=removed"),
                header(result, "X-SMIME-Header-Protection").toString());
        assertTrue(text.contains("\r\n\r\nThis is the\r\nsmime-signed-enc-hp-baseline-legacy\r\nmessage."), text);
    }

    @Test
    void messagesWithoutHeaderProtectionGetNoHeaderProtectionField() throws Exception {
        for (String name : List.of("smime-multipart.eml", "smime-signed-enc.eml")) {
            InboundResult result = process(vector(name));

            assertInstanceOf(SmimeResult.Pass.class, result.verdict(), () -> name + ": " + result.verdict());
            assertEquals(List.of(), header(result, "X-SMIME-Header-Protection"), name);
        }
    }

    @Test
    void cipherOnAMessageThatWasNotEncryptedIsReadAsClear() {
        ProtectedHeaders declared = new ProtectedHeaders("cipher",
                List.of(org.smimegw.core.mime.HeaderField.of("Subject", "real")), List.of());
        ProtectedView.Applied applied = ProtectedView.apply(RawMessage.parse(
                "Subject: x\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII)), declared, false,
                new SmimeResult.None(), new SpoofedHeaderFilter("gw.example.org",
                        HelpdeskSettings.DEFAULTS.stripHeaders()));

        assertEquals("clear; declared=cipher; fields=Subject; replaced=Subject", applied.report());
        assertEquals(List.of("real"), applied.message().headerValues("Subject"));
    }

    @Test
    void aTamperedProtectedSubjectFailsAndTheProtectedFieldsAreIgnored() throws Exception {
        String tampered = vector("smime-multipart-hp.eml").replace("\r\nSubject: smime-multipart-hp\r\nMessage-ID:"
                + " <smime-multipart-hp@example>\r\nFrom: Alice <alice@smime.example>\r\nTo: Bob <bob@smime.example>"
                + "\r\nDate: Sat, 20 Feb 2021 10:07:02 -0500\r\nUser-Agent: Sample MUA Version 1.0\r\nContent-Type",
                "\r\nSubject: smime-multipart-hp\r\nMessage-ID: <smime-multipart-hp@example>\r\nFrom: Alice "
                + "<alice@smime.example>\r\nTo: Bob <bob@smime.example>\r\nDate: Sat, 20 Feb 2021 10:07:02 -0500\r\n"
                + "User-Agent: Sample MUA Version 1.0\r\nReply-To: mallory@evil.example\r\nContent-Type");

        InboundResult result = process(tampered);

        assertFalse(tampered.equals(vector("smime-multipart-hp.eml")), "the protected part was changed");
        assertInstanceOf(SmimeResult.Fail.class, result.verdict(), () -> result.verdict().toString());
        assertEquals(List.of("ignored; reason=\"the signature does not verify\""),
                header(result, "X-SMIME-Header-Protection"));
        assertEquals(List.of(), header(result, "Reply-To"));
    }
}
