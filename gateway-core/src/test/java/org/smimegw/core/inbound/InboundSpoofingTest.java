package org.smimegw.core.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.smimegw.core.inbound.InboundFixture.HOST;
import static org.smimegw.core.inbound.InboundFixture.authResults;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.SignerInformationStore;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.Test;
import org.smimegw.core.testing.TestPki;
import org.smimegw.core.testing.TestPki.Issued;

/**
 * Signature spoofing as in "Johnny, You Are Fired!" (USENIX Security 2019): CMS content confusion, signatures that
 * cover a part only, and identities taken from anything but the single From address.
 */
class InboundSpoofingTest {
    /** id-ct-TSTInfo: a CMS content type that is not a MIME entity. */
    private static final ASN1ObjectIdentifier TST_INFO = new ASN1ObjectIdentifier("1.2.840.113549.1.9.16.1.4");
    private static final byte[] OTHER_PART = TestMessages.ascii("Content-Type: text/plain\r\n\r\n"
            + "Pay invoice 1234 to account X.\r\n");

    private final InboundFixture fx = new InboundFixture();
    private final Issued alice = fx.alice;

    @Test
    void detachedSignatureThatAlsoEmbedsDifferentContentFails() throws IOException {
        // the signature is honest for the first part; a client showing the embedded content would show OTHER_PART
        CMSSignedData signed = TestMessages.sign(TestMessages.TEXT_PART, alice, List.of(alice.certificate()),
                "SHA256withRSA", false);

        InboundResult result = fx.process(TestMessages.multipartSigned(TestMessages.HEADERS, TestMessages.TEXT_PART,
                withEContent(signed, CMSObjectIdentifiers.data, OTHER_PART)));

        assertEquals("signature embeds different content", result.verdict().reason().orElseThrow());
        assertInstanceOf(SmimeResult.Fail.class, result.verdict());
    }

    @Test
    void detachedSignatureThatEmbedsTheSameContentPasses() throws IOException {
        CMSSignedData signed = TestMessages.sign(TestMessages.TEXT_PART, alice, List.of(alice.certificate()),
                "SHA256withRSA", false);

        InboundResult result = fx.process(TestMessages.multipartSigned(TestMessages.HEADERS, TestMessages.TEXT_PART,
                withEContent(signed, CMSObjectIdentifiers.data, TestMessages.TEXT_PART)));

        assertInstanceOf(SmimeResult.Pass.class, result.verdict(), () -> result.verdict().toString());
    }

    @Test
    void opaqueSignedDataWhoseEContentTypeIsNotIdDataIsPermerror() {
        // cryptographically valid: the content-type attribute says id-ct-TSTInfo as well
        byte[] der = TestMessages.der(signWith(TestMessages.TEXT_PART, TST_INFO, null, true));

        InboundResult result = fx.process(TestMessages.pkcs7Mime(TestMessages.HEADERS, "signed-data", der));

        assertEquals(new SmimeResult.PermError("signed content type is " + TST_INFO + ", not id-data"),
                result.verdict());
        assertTrue(result.message().header("Content-Type").orElseThrow().startsWith("application/pkcs7-mime"),
                "content that is not id-data is never unwrapped");
    }

    @Test
    void detachedSignatureWhoseEContentTypeIsNotIdDataIsPermerror() {
        byte[] der = TestMessages.der(signWith(TestMessages.TEXT_PART, TST_INFO, null, false));

        InboundResult result = fx.process(TestMessages.multipartSigned(TestMessages.HEADERS, TestMessages.TEXT_PART,
                der));

        assertEquals(new SmimeResult.PermError("signed content type is " + TST_INFO + ", not id-data"),
                result.verdict());
    }

    @Test
    void signedContentTypeAttributeThatDiffersFromTheEContentTypeFails() {
        byte[] der = TestMessages.der(signWith(TestMessages.TEXT_PART, CMSObjectIdentifiers.data,
                CMSObjectIdentifiers.envelopedData, false));

        InboundResult result = fx.process(TestMessages.multipartSigned(TestMessages.HEADERS, TestMessages.TEXT_PART,
                der));

        assertInstanceOf(SmimeResult.Fail.class, result.verdict(), () -> result.verdict().toString());
        assertTrue(authResults(result).startsWith(HOST + "; smime=fail"), authResults(result));
    }

    @Test
    void opaqueSignatureWhoseContentTypeAttributeDiffersFails() {
        byte[] der = TestMessages.der(signWith(TestMessages.TEXT_PART, CMSObjectIdentifiers.data,
                CMSObjectIdentifiers.signedData, true));

        InboundResult result = fx.process(TestMessages.pkcs7Mime(TestMessages.HEADERS, "signed-data", der));

        assertInstanceOf(SmimeResult.Fail.class, result.verdict(), () -> result.verdict().toString());
    }

    @Test
    void signedMessageForwardedAsAnAttachmentIsNone() {
        byte[] forwarded = fx.signedByAlice(TestMessages.HEADERS);
        byte[] message = TestMessages.concat(TestMessages.ascii("From: Eve <eve@evil.example>\r\n"
                + "To: bob@example.com\r\nSubject: Fwd: test\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n--outer\r\n"
                + "Content-Type: text/plain\r\n\r\nAlice signed this, see below.\r\n--outer\r\n"
                + "Content-Type: message/rfc822\r\n\r\n"), forwarded, TestMessages.ascii("\r\n--outer--\r\n"));

        InboundResult result = fx.process(message);

        assertEquals(new SmimeResult.None(), result.verdict());
    }

    @Test
    void addressInTheDisplayNameNeverCountsEvenForAStoredAddress() {
        String headers = TestMessages.HEADERS.replace("Alice <alice@example.com>",
                "\"alice@example.com\" <eve@evil.example>");

        InboundResult result = fx.process(fx.signedByAlice(headers));

        assertEquals("signer alice@example.com is not the From address eve@evil.example",
                result.verdict().reason().orElseThrow());
        assertTrue(authResults(result).contains("header.from=eve@evil.example"), authResults(result));
    }

    @Test
    void senderHeaderNeverCountsAsTheSignerIdentity() {
        String headers = "Sender: alice@example.com\r\n" + TestMessages.HEADERS.replace("Alice <alice@example.com>",
                "eve@evil.example");

        InboundResult result = fx.process(fx.signedByAlice(headers));

        assertInstanceOf(SmimeResult.Policy.class, result.verdict());
        assertEquals("signer alice@example.com is not the From address eve@evil.example",
                result.verdict().reason().orElseThrow());
    }

    @Test
    void aForeignSenderHeaderDoesNotSpoilAValidFromSignature() {
        String headers = "Sender: eve@evil.example\r\n" + TestMessages.HEADERS;

        InboundResult result = fx.process(fx.signedByAlice(headers));

        assertInstanceOf(SmimeResult.Pass.class, result.verdict(), () -> result.verdict().toString());
        assertTrue(authResults(result).contains("header.from=alice@example.com"), authResults(result));
    }

    @Test
    void fromHeaderWithSpaceBeforeTheColonCountsAsASecondFrom() {
        String headers = TestMessages.HEADERS + "From : eve@evil.example\r\n";

        InboundResult result = fx.process(fx.signedByAlice(headers));

        assertEquals(new SmimeResult.Policy("message has 2 From headers", result.verdict().signer().orElse(null)),
                result.verdict());
    }

    @Test
    void fromGroupWithOneMemberIsNotASingleMailbox() {
        String headers = TestMessages.HEADERS.replace("Alice <alice@example.com>", "friends: alice@example.com;");

        InboundResult result = fx.process(fx.signedByAlice(headers));

        assertInstanceOf(SmimeResult.Policy.class, result.verdict(), () -> result.verdict().toString());
    }

    @Test
    void opaqueSignedDataWithoutEncapsulatedContentIsPermerror() {
        byte[] detached = TestMessages.der(TestMessages.sign(TestMessages.TEXT_PART, alice,
                List.of(alice.certificate()), "SHA256withRSA", false));

        InboundResult result = fx.process(TestMessages.pkcs7Mime(TestMessages.HEADERS, "signed-data", detached));

        assertEquals(new SmimeResult.PermError("signed-data carries no content"), result.verdict());
    }

    @Test
    void trustedSignerBesideAnUntrustedOneCarryingFromIsNotPass() throws Exception {
        Issued eve = TestPki.client("eve@evil.example").issuedBy(fx.ca).build();
        Issued fakeAlice = TestPki.client("alice@example.com").build();
        List<SignerInformation> signers = new ArrayList<>();
        List<X509Certificate> certificates = List.of(eve.certificate(), fakeAlice.certificate());
        for (Issued signer : List.of(eve, fakeAlice)) {
            signers.addAll(TestMessages.sign(TestMessages.TEXT_PART, signer, certificates, "SHA256withRSA", false)
                    .getSignerInfos().getSigners());
        }
        CMSSignedData both = CMSSignedData.replaceSigners(TestMessages.sign(TestMessages.TEXT_PART, eve,
                certificates, "SHA256withRSA", false), new SignerInformationStore(signers));

        InboundResult result = fx.process(TestMessages.multipartSigned(TestMessages.HEADERS, TestMessages.TEXT_PART,
                both.getEncoded()));

        assertEquals(new SmimeResult.Policy(SignerTrust.NOT_TRUSTED, result.verdict().signer().orElse(null)),
                result.verdict());
    }

    /** The signed data with its encapsulated content replaced, SignerInfos untouched. */
    private static byte[] withEContent(CMSSignedData signed, ASN1ObjectIdentifier type, byte[] content)
            throws IOException {
        SignedData original = SignedData.getInstance(signed.toASN1Structure().getContent());
        SignedData changed = new SignedData(original.getDigestAlgorithms(),
                new ContentInfo(type, new DEROctetString(content)), original.getCertificates(), original.getCRLs(),
                original.getSignerInfos());
        return new ContentInfo(CMSObjectIdentifiers.signedData, changed).getEncoded("DER");
    }

    /** Alice's signature with eContentType {@code type}; the content-type attribute says {@code attribute}. */
    private CMSSignedData signWith(byte[] content, ASN1ObjectIdentifier type, ASN1ObjectIdentifier attribute,
            boolean encapsulate) {
        try {
            JcaSignerInfoGeneratorBuilder builder = new JcaSignerInfoGeneratorBuilder(
                    new JcaDigestCalculatorProviderBuilder().build());
            if (attribute != null) {
                builder.setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(new AttributeTable(
                        new Attribute(CMSAttributes.contentType, new DERSet(attribute)))));
            }
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(builder.build(new JcaContentSignerBuilder("SHA256withRSA")
                    .build(alice.key()), alice.certificate()));
            generator.addCertificates(new JcaCertStore(List.of(alice.certificate())));
            return generator.generate(new CMSProcessableByteArray(type, content), encapsulate);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
