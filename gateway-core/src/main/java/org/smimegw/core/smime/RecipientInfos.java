package org.smimegw.core.smime;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cms.RecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.operator.jcajce.JcaAlgorithmParametersConverter;

/**
 * One RecipientInfo per distinct recipient certificate: RSA key transport (PKCS#1 v1.5, or OAEP with SHA-256
 * when chosen) or, for EC certificates, ephemeral-static ECDH with an ephemeral key on the recipient's curve
 * (RFC 5753). Stateless and thread-safe.
 */
final class RecipientInfos {
    private RecipientInfos() {
    }

    static List<RecipientInfoGenerator> forCertificates(List<X509Certificate> recipients, SmimeAlgorithms algorithms) {
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("cannot encrypt to nobody: the recipient list is empty");
        }
        // X509Certificate.equals compares the encodings, so identical certificates collapse into one
        List<RecipientInfoGenerator> generators = new ArrayList<>();
        for (X509Certificate certificate : new LinkedHashSet<>(recipients)) {
            generators.add(forCertificate(certificate, algorithms));
        }
        return generators;
    }

    private static RecipientInfoGenerator forCertificate(X509Certificate certificate, SmimeAlgorithms algorithms) {
        try {
            if (SmimeAlgorithms.usesKeyAgreement(certificate.getPublicKey())) {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(((ECPublicKey) certificate.getPublicKey()).getParams());
                KeyPair ephemeral = generator.generateKeyPair();
                return new JceKeyAgreeRecipientInfoGenerator(algorithms.keyAgreementAlgorithm(),
                        ephemeral.getPrivate(), ephemeral.getPublic(), algorithms.keyWrapAlgorithm())
                        .addRecipient(certificate);
            }
            if (algorithms.keyTransport() == SmimeAlgorithms.KeyTransport.RSA_OAEP) {
                return new JceKeyTransRecipientInfoGenerator(certificate, new JcaAlgorithmParametersConverter()
                        .getAlgorithmIdentifier(PKCSObjectIdentifiers.id_RSAES_OAEP, algorithms.oaepParameters()));
            }
            return new JceKeyTransRecipientInfoGenerator(certificate);
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new SmimeException("cannot prepare encryption to " + certificate.getSubjectX500Principal()
                    + " (serial " + certificate.getSerialNumber().toString(16) + "): " + e.getMessage(), e);
        }
    }
}
