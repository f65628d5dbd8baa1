package org.smimegw.core.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.smimegw.core.inbound.InboundFixture.AT;
import static org.smimegw.core.inbound.InboundFixture.HOST;

import java.util.Arrays;
import java.util.List;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.DigestedData;
import org.bouncycastle.asn1.cms.EnvelopedData;
import org.bouncycastle.asn1.cms.KeyTransRecipientInfo;
import org.bouncycastle.asn1.cms.RecipientInfo;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEncryptedDataGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.junit.jupiter.api.Test;
import org.smimegw.core.mime.RawMessage;
import org.smimegw.core.smime.Envelope;
import org.smimegw.core.smime.SmimeAlgorithms;

/**
 * Reasons in the delivered headers are fixed, user-level texts: never a class name, a library's error string or
 * a file path, whatever the parser, the crypto provider or a store says.
 */
class InboundReasonsTest {
    private final InboundFixture fx = new InboundFixture();

    private static void assertNoInternals(InboundResult result) {
        String headers = String.join("\n", result.message().headerValues("Authentication-Results"))
                + result.message().headerValues("X-SMIME-Encryption");
        for (String internal : List.of("org.", "java.", "class ", "Exception", "error:", "/")) {
            assertFalse(headers.contains(internal), headers);
        }
    }

    private InboundResult labelled(String smimeType, ASN1Encodable contentInfo) throws Exception {
        return fx.process(TestMessages.pkcs7Mime(TestMessages.HEADERS, smimeType, contentInfo.toASN1Primitive()
                .getEncoded()));
    }

    @Test
    void encryptedDataLabelledEnvelopedIsNotEnvelopedData() throws Exception {
        ContentInfo encryptedData = new CMSEncryptedDataGenerator().generate(
                new CMSProcessableByteArray(TestMessages.TEXT_PART),
                new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES128_CBC).build()).toASN1Structure();

        InboundResult result = labelled("enveloped-data", encryptedData);

        assertEquals(new EncryptionOutcome.Failed(Decryptor.NOT_ENVELOPED), result.encryption());
        assertNoInternals(result);
    }

    @Test
    void plainDataLabelledEnvelopedIsNotEnvelopedData() throws Exception {
        InboundResult result = labelled("enveloped-data",
                new ContentInfo(CMSObjectIdentifiers.data, new DEROctetString(TestMessages.TEXT_PART)));

        assertEquals(new EncryptionOutcome.Failed(Decryptor.NOT_ENVELOPED), result.encryption());
    }

    @Test
    void garbageLabelledEnvelopedIsMalformed() {
        InboundResult result = fx.process(TestMessages.pkcs7Mime(TestMessages.HEADERS, "enveloped-data",
                TestMessages.ascii("not a CMS structure at all")));

        assertEquals(new EncryptionOutcome.Failed(Decryptor.MALFORMED), result.encryption());
    }

    @Test
    void corruptedKeyTransportBlockIsNotOpenedByTheStoredKey() throws Exception {
        ContentInfo info = ContentInfo.getInstance(TestMessages.envelopedDer(TestMessages.TEXT_PART,
                fx.bob.certificate(), false));
        EnvelopedData enveloped = EnvelopedData.getInstance(info.getContent());
        KeyTransRecipientInfo recipient = KeyTransRecipientInfo.getInstance(
                RecipientInfo.getInstance(enveloped.getRecipientInfos().getObjectAt(0)).getInfo());
        byte[] encryptedKey = recipient.getEncryptedKey().getOctets();
        encryptedKey[encryptedKey.length / 2] ^= 0x55;
        RecipientInfo corrupted = new RecipientInfo(new KeyTransRecipientInfo(recipient.getRecipientIdentifier(),
                recipient.getKeyEncryptionAlgorithm(), new DEROctetString(encryptedKey)));
        EnvelopedData changed = new EnvelopedData(enveloped.getOriginatorInfo(), new DERSet(corrupted),
                enveloped.getEncryptedContentInfo(), enveloped.getUnprotectedAttrs());

        InboundResult result = labelled("enveloped-data", new ContentInfo(CMSObjectIdentifiers.envelopedData, changed));

        assertEquals(new EncryptionOutcome.Failed(Decryptor.KEY_DOES_NOT_OPEN), result.encryption());
        assertNoInternals(result);
    }

    @Test
    void unreadableStoredKeyDoesNotNameTheMasterKeyFile() {
        InboundPipeline wrongMasterKey = new InboundPipeline(fx.directory,
                new UnreadablePrivateKeyRepository(List.of(fx.bobFingerprint)), SmimeAlgorithms.defaults(), HOST);

        InboundResult result = wrongMasterKey.process(RawMessage.parse(TestMessages.pkcs7Mime(TestMessages.HEADERS,
                "enveloped-data", TestMessages.envelopedDer(TestMessages.TEXT_PART, fx.bob.certificate(), false))),
                new Envelope("", List.of()), AT);

        assertEquals(new EncryptionOutcome.Failed(Stores.KEY_UNREADABLE), result.encryption());
        assertNoInternals(result);
    }

    @Test
    void digestedDataLabelledSignedIsNotSignedData() throws Exception {
        ContentInfo digested = new ContentInfo(CMSObjectIdentifiers.digestedData, new DigestedData(
                new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256),
                new ContentInfo(CMSObjectIdentifiers.data, new DEROctetString(TestMessages.TEXT_PART)), new byte[32]));

        InboundResult opaque = labelled("signed-data", digested);
        InboundResult detached = fx.process(TestMessages.multipartSigned(TestMessages.HEADERS,
                TestMessages.TEXT_PART, digested.getEncoded()));

        assertEquals(new SmimeResult.PermError("signed-data entity is not CMS SignedData"), opaque.verdict());
        assertEquals(new SmimeResult.PermError("signature is not CMS SignedData"), detached.verdict());
        assertNoInternals(opaque);
        assertNoInternals(detached);
    }

    @Test
    void truncatedSignatureIsMalformedWithoutTheParsersWords() throws Exception {
        byte[] der = TestMessages.der(TestMessages.sign(TestMessages.TEXT_PART, fx.alice,
                List.of(fx.alice.certificate()), "SHA256withRSA", false));
        byte[] truncated = Arrays.copyOf(der, der.length / 2);

        InboundResult result = fx.process(TestMessages.multipartSigned(TestMessages.HEADERS, TestMessages.TEXT_PART,
                truncated));

        assertEquals(new SmimeResult.PermError("malformed signature"), result.verdict());
        assertNoInternals(result);
    }
}
