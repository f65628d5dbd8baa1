package org.smimegw.core.revocation;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.SignatureException;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.IssuingDistributionPoint;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.openssl.PEMParser;
import org.smimegw.core.cert.CertificateFacts;
import org.smimegw.core.cert.Fingerprints;

/**
 * Decides whether a CRL counts (docs/design.md §9): DER or PEM, within {@code revocation.crl.max.bytes}, a complete
 * CRL that a stored CA certificate of the issuer's name signed and may sign CRLs with, and not expired. Used for
 * {@code crl import} and for every CRL fetched from a distribution point. Stateless and thread-safe.
 */
public final class CrlVerifier {
    private static final int CRL_SIGN = 6;
    /** cRLNumber, issuerAltName, issuingDistributionPoint, freshestCRL and authorityKeyIdentifier. */
    private static final Set<String> HANDLED_CRITICAL = Set.of("2.5.29.20", "2.5.29.18", "2.5.29.28", "2.5.29.46",
            "2.5.29.35");
    /** reasonCode, holdInstructionCode and invalidityDate. */
    private static final Set<String> HANDLED_CRITICAL_IN_ENTRIES = Set.of("2.5.29.21", "2.5.29.23", "2.5.29.24");

    private CrlVerifier() {
    }

    /**
     * The CRL in {@code data} as it is stored, or the reason it does not count at {@code at}.
     *
     * @param origin {@code imported}, or the URL it was fetched from
     * @param storedCas the stored CA certificates; the CRL's issuer is looked up among them by name
     * @param maxBytes {@code revocation.crl.max.bytes}
     * @throws CrlRejected with a one-line reason; nothing else is thrown, whatever the bytes
     */
    public static StoredCrl verify(byte[] data, String origin, List<X509Certificate> storedCas, Instant at,
            long maxBytes) throws CrlRejected {
        if (data.length > maxBytes) {
            throw new CrlRejected("larger than the limit of " + maxBytes + " bytes (revocation.crl.max.bytes)");
        }
        X509CRL crl = parse(data);
        refuseOtherKinds(crl);
        X509Certificate ca = signer(crl, storedCas);
        boolean[] usage = ca.getKeyUsage();
        if (usage != null && (usage.length <= CRL_SIGN || !usage[CRL_SIGN])) {
            throw new CrlRejected("the stored CA certificate " + CertificateFacts.subject(ca)
                    + " may not sign CRLs: its Key Usage lacks cRLSign");
        }
        Instant nextUpdate = crl.getNextUpdate() == null ? null : crl.getNextUpdate().toInstant();
        if (nextUpdate != null && nextUpdate.isBefore(at)) {
            throw new CrlRejected("expired: its nextUpdate " + nextUpdate + " has passed");
        }
        Set<? extends X509CRLEntry> entries = crl.getRevokedCertificates();
        return new StoredCrl(Fingerprints.sha256(ca), CertificateFacts.subject(ca), crl.getThisUpdate().toInstant(),
                nextUpdate, entries == null ? 0 : entries.size(), origin, crl);
    }

    /**
     * Why a verified CRL says nothing about the certificate, or null when it covers it: a CRL limited by its issuing
     * distribution point to CA or end-entity certificates, or to one distribution point the certificate does not name,
     * is one part of a partitioned CRL (RFC 5280 §5.2.5) and must not make other certificates look good.
     */
    static String outOfScope(X509CRL crl, X509Certificate certificate) {
        IssuingDistributionPoint point = issuingDistributionPoint(crl);
        if (point == null) {
            return null;
        }
        if (point.onlyContainsUserCerts() && CertificateFacts.isCa(certificate)) {
            return "it lists only end-entity certificates";
        }
        if (point.onlyContainsCACerts() && !CertificateFacts.isCa(certificate)) {
            return "it lists only CA certificates";
        }
        if (point.getDistributionPoint() != null && Collections.disjoint(Sources.fullName(point.getDistributionPoint()),
                Sources.distributionPointNames(certificate))) {
            return "it is the CRL of a distribution point the certificate does not name";
        }
        return null;
    }

    private static X509CRL parse(byte[] data) throws CrlRejected {
        byte[] der = data;
        try {
            if (new String(data, 0, Math.min(data.length, 1024), StandardCharsets.ISO_8859_1).contains("-----BEGIN")) {
                der = pem(data);
            }
            X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509")
                    .generateCRL(new ByteArrayInputStream(der));
            if (crl == null) {
                throw new CrlRejected("not a CRL: no data");
            }
            if (crl.getEncoded().length != der.length) {
                throw new CrlRejected("not a CRL: " + (der.length - crl.getEncoded().length)
                        + " bytes follow the CRL");
            }
            return crl;
        } catch (CRLException | CertificateException | RuntimeException e) {
            throw new CrlRejected("not a CRL: " + (data.length == 0 ? "the data is empty"
                    : "the data is not a DER or PEM X.509 CRL, or is truncated"));
        }
    }

    private static byte[] pem(byte[] data) throws CrlRejected {
        try (PEMParser parser = new PEMParser(new InputStreamReader(new ByteArrayInputStream(data),
                StandardCharsets.ISO_8859_1))) {
            Object object = parser.readObject();
            if (!(object instanceof X509CRLHolder holder)) {
                throw new CrlRejected("not a CRL: the first PEM block is "
                        + (object == null ? "unreadable" : "not an X509 CRL"));
            }
            return holder.getEncoded();
        } catch (IOException | RuntimeException e) {
            throw new CrlRejected("not a CRL: the PEM block cannot be decoded");
        }
    }

    private static void refuseOtherKinds(X509CRL crl) throws CrlRejected {
        if (crl.getExtensionValue(Extension.deltaCRLIndicator.getId()) != null) {
            throw new CrlRejected("a delta CRL: only complete CRLs are used");
        }
        IssuingDistributionPoint point;
        try {
            point = issuingDistributionPoint(crl);
        } catch (RuntimeException e) {
            throw new CrlRejected("not a CRL: its issuing distribution point extension is malformed");
        }
        if (point != null && point.isIndirectCRL()) {
            throw new CrlRejected("an indirect CRL: only CRLs a CA issues about its own certificates are used");
        }
        if (point != null && (point.getOnlySomeReasons() != null || point.onlyContainsAttributeCerts())) {
            throw new CrlRejected("a CRL limited to some revocation reasons or to attribute certificates:"
                    + " only complete CRLs are used");
        }
        for (String oid : critical(crl.getCriticalExtensionOIDs())) {
            if (!HANDLED_CRITICAL.contains(oid)) {
                throw new CrlRejected("an unknown critical extension " + oid + " (RFC 5280 §5.2)");
            }
        }
        Set<? extends X509CRLEntry> entries = crl.getRevokedCertificates();
        for (X509CRLEntry entry : entries == null ? Set.<X509CRLEntry>of() : entries) {
            if (entry.getExtensionValue(Extension.certificateIssuer.getId()) != null) {
                throw new CrlRejected("an indirect CRL (an entry names another certificate issuer):"
                        + " only CRLs a CA issues about its own certificates are used");
            }
            for (String oid : critical(entry.getCriticalExtensionOIDs())) {
                if (!HANDLED_CRITICAL_IN_ENTRIES.contains(oid)) {
                    throw new CrlRejected("an unknown critical extension " + oid + " in the entry for serial "
                            + entry.getSerialNumber().toString(16) + " (RFC 5280 §5.3)");
                }
            }
        }
    }

    private static Set<String> critical(Set<String> oids) {
        return oids == null ? Set.of() : oids;
    }

    /** The stored CA certificate of the CRL's issuer name whose key verifies the CRL's signature. */
    private static X509Certificate signer(X509CRL crl, List<X509Certificate> storedCas) throws CrlRejected {
        List<X509Certificate> named = storedCas.stream()
                .filter(ca -> ca.getSubjectX500Principal().equals(crl.getIssuerX500Principal())).toList();
        if (named.isEmpty()) {
            throw new CrlRejected("no stored CA certificate named "
                    + CertificateFacts.name(crl.getIssuerX500Principal()));
        }
        for (X509Certificate ca : named) {
            try {
                crl.verify(ca.getPublicKey());
                return ca;
            } catch (SignatureException | InvalidKeyException e) {
                // signed by another key: try the next CA certificate of that name (a CA may have renewed its key)
            } catch (GeneralSecurityException | RuntimeException e) {
                throw new CrlRejected("its signature algorithm " + crl.getSigAlgName() + " cannot be verified");
            }
        }
        String subject = CertificateFacts.subject(named.get(0));
        throw new CrlRejected("signature does not verify with the key of the stored CA certificate"
                + (named.size() > 1 ? "s " : " ") + subject + ": signed by another key");
    }

    private static IssuingDistributionPoint issuingDistributionPoint(X509CRL crl) {
        byte[] value = crl.getExtensionValue(Extension.issuingDistributionPoint.getId());
        return value == null ? null : IssuingDistributionPoint.getInstance(ASN1OctetString.getInstance(value)
                .getOctets());
    }
}
