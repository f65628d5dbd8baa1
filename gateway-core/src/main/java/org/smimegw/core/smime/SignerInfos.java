package org.smimegw.core.smime;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.Set;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.IssuerAndSerialNumber;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.smime.SMIMECapabilitiesAttribute;
import org.bouncycastle.asn1.smime.SMIMECapabilityVector;
import org.bouncycastle.asn1.smime.SMIMEEncryptionKeyPreferenceAttribute;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSSignatureEncryptionAlgorithmFinder;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.SignerInfoGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.util.Store;

/**
 * Builds the SignerInfo of an outbound signature: the signature algorithm from {@link SmimeAlgorithms}, and the
 * signed attributes contentType, messageDigest, signingTime, SMIMECapabilities and SMIMEEncryptionKeyPreference
 * (RFC 8551 §2.5). No provider is forced, so the JCA picks the fastest one installed for RSA, ECDSA and digests;
 * Bouncy Castle, registered last, only fills gaps. Stateless and thread-safe.
 */
final class SignerInfos {
    /**
     * RFC 5754 §3.2 allows rsaEncryption or sha*WithRSAEncryption in SignerInfo.signatureAlgorithm; BC 1.85 writes
     * the latter, while OpenSSL and most mail clients write (and best understand) rsaEncryption.
     */
    private static final Set<ASN1ObjectIdentifier> RSA_PKCS1 = Set.of(PKCSObjectIdentifiers.sha256WithRSAEncryption,
            PKCSObjectIdentifiers.sha384WithRSAEncryption, PKCSObjectIdentifiers.sha512WithRSAEncryption);
    private static final CMSSignatureEncryptionAlgorithmFinder ENCRYPTION_ALGORITHM = signatureAlgorithm ->
            RSA_PKCS1.contains(signatureAlgorithm.getAlgorithm())
                    ? new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE)
                    : signatureAlgorithm;

    private SignerInfos() {
    }

    static SignerInfoGenerator signerInfo(SmimeAlgorithms algorithms, SigningIdentity identity, Instant signingTime) {
        X509Certificate certificate = identity.certificate();
        try {
            ContentSigner signer = new JcaContentSignerBuilder(algorithms.signatureAlgorithm(identity.key()))
                    .build(identity.key());
            return new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build(),
                    ENCRYPTION_ALGORITHM)
                    .setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(
                            signedAttributes(algorithms, certificate, signingTime)))
                    .build(signer, certificate);
        } catch (OperatorCreationException | CertificateEncodingException | IllegalArgumentException e) {
            throw new SmimeException("cannot prepare the signature of " + certificate.getSubjectX500Principal()
                    + " with " + algorithms.signatureAlgorithm(identity.key()) + ": " + e.getMessage(), e);
        }
    }

    /** The signer certificate followed by its chain, each once. */
    static Store<?> certificates(SigningIdentity identity) {
        Set<X509Certificate> certificates = new LinkedHashSet<>();
        certificates.add(identity.certificate());
        certificates.addAll(identity.chain());
        try {
            return new JcaCertStore(new ArrayList<>(certificates));
        } catch (CertificateEncodingException e) {
            throw new SmimeException("cannot encode the certificates of " + identity + ": " + e.getMessage(), e);
        }
    }

    // contentType and messageDigest are added by the generator itself; it keeps our signingTime
    private static AttributeTable signedAttributes(SmimeAlgorithms algorithms, X509Certificate certificate,
            Instant signingTime) {
        ASN1EncodableVector attributes = new ASN1EncodableVector();
        attributes.add(new Attribute(CMSAttributes.signingTime, new DERSet(new Time(Date.from(signingTime)))));
        SMIMECapabilityVector capabilities = new SMIMECapabilityVector();
        for (ASN1ObjectIdentifier cipher : algorithms.advertisedCiphers()) {
            capabilities.addCapability(cipher);
        }
        attributes.add(new SMIMECapabilitiesAttribute(capabilities));
        attributes.add(new SMIMEEncryptionKeyPreferenceAttribute(new IssuerAndSerialNumber(
                X500Name.getInstance(certificate.getIssuerX500Principal().getEncoded()),
                certificate.getSerialNumber())));
        return new AttributeTable(attributes);
    }
}
