package org.smimegw.core.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.smimegw.core.inbound.InboundLimitsTest.assertDeliveredUnchangedAsPermerror;
import static org.smimegw.core.inbound.TestMessages.HEADERS;
import static org.smimegw.core.inbound.TestMessages.TEXT_PART;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.Test;
import org.smimegw.core.testing.TestPki;

/** CMS objects with more SignerInfos, certificates or RecipientInfos than the limits allow. */
class InboundCmsLimitsTest {
    private final InboundFixture fx = new InboundFixture();

    private byte[] signedBy(int signers, List<X509Certificate> certificates) throws Exception {
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        for (int i = 0; i < signers; i++) {
            generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                    new JcaDigestCalculatorProviderBuilder().build())
                    .build(new JcaContentSignerBuilder("SHA256withRSA").build(fx.alice.key()),
                            fx.alice.certificate()));
        }
        generator.addCertificates(new JcaCertStore(certificates));
        byte[] der = generator.generate(new CMSProcessableByteArray(TEXT_PART), false).getEncoded();
        return TestMessages.multipartSigned(HEADERS, TEXT_PART, der);
    }

    private byte[] envelopedFor(int recipients) throws Exception {
        CMSEnvelopedDataGenerator generator = new CMSEnvelopedDataGenerator();
        for (int i = 0; i < recipients; i++) {
            generator.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(fx.bob.certificate()));
        }
        byte[] der = generator.generate(new CMSProcessableByteArray(TEXT_PART),
                new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_CBC).build()).getEncoded();
        return TestMessages.pkcs7Mime(HEADERS, "enveloped-data", der);
    }

    @Test
    void signatureWithMoreSignerInfosThanTheLimitIsDeliveredUnchangedAsPermerror() throws Exception {
        byte[] message = signedBy(9, List.of(fx.alice.certificate()));

        InboundResult result = fx.process(message);

        assertDeliveredUnchangedAsPermerror(message, "more than 8 SignerInfos", result);
        assertInstanceOf(SmimeResult.Pass.class, fx.process(signedBy(8, List.of(fx.alice.certificate()))).verdict());
    }

    @Test
    void detachedSignatureLargerThanTheLimitIsDeliveredUnchangedAsPermerrorWithoutBeingParsed() {
        byte[] message = TestMessages.multipartSigned(HEADERS, TEXT_PART, new byte[1024 * 1024 + 1]);

        assertDeliveredUnchangedAsPermerror(message, "signature larger than 1048576 octets", fx.process(message));
    }

    @Test
    void signatureEmbeddingMoreCertificatesThanTheLimitIsDeliveredUnchangedAsPermerror() throws Exception {
        List<X509Certificate> certificates = new ArrayList<>(List.of(fx.alice.certificate()));
        for (int i = 1; i < 33; i++) {
            certificates.add(TestPki.client("filler" + i + "@example.net").build().certificate());
        }

        byte[] message = signedBy(1, certificates);

        assertDeliveredUnchangedAsPermerror(message, "more than 32 certificates in the signature",
                fx.process(message));
        assertInstanceOf(SmimeResult.Pass.class,
                fx.process(signedBy(1, certificates.subList(0, 32))).verdict());
    }

    @Test
    void envelopeWithMoreRecipientInfosThanTheLimitIsDeliveredUnchangedAsFailedDecryption() throws Exception {
        byte[] message = envelopedFor(1025);

        InboundResult result = fx.process(message);

        assertEquals(new EncryptionOutcome.Failed("more than 1024 RecipientInfos"), result.encryption());
        assertInstanceOf(SmimeResult.None.class, result.verdict());
        assertTrue(result.keepOriginal());
        assertTrue(InboundFixture.text(result).endsWith(new String(message, StandardCharsets.ISO_8859_1)));
        assertEquals(new EncryptionOutcome.Decrypted(fx.bobFingerprint), fx.process(envelopedFor(1024)).encryption());
    }
}
