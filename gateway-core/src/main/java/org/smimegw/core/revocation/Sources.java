package org.smimegw.core.revocation;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

/**
 * Where a certificate says its revocation status can be had: the OCSP responders of its Authority Information Access
 * extension and the full names of its CRL distribution points. Only {@code http://} URLs are ever asked; the others
 * still count as sources (docs/design.md §9), so that a certificate that names only an {@code ldap://} point is
 * {@code unknown}, not judged by its dates alone. A malformed extension names no source. Immutable.
 *
 * @param ocsp the OCSP responder URLs, in the certificate's order
 * @param distributionPoints the full names of the CRL distribution points (any kind of general name)
 */
record Sources(List<String> ocsp, List<GeneralName> distributionPoints) {

    static Sources of(X509Certificate certificate) {
        return new Sources(ocspUrls(certificate), distributionPointNames(certificate));
    }

    /** The CRL distribution point URLs, in the certificate's order. */
    List<String> crlUrls() {
        return distributionPoints.stream().map(Sources::uri).filter(Objects::nonNull).toList();
    }

    boolean none() {
        return ocsp.isEmpty() && distributionPoints.isEmpty();
    }

    /** The URLs named by the certificate that are not asked because they are not {@code http://}. */
    List<String> notHttp() {
        List<String> urls = new ArrayList<>(ocsp);
        urls.addAll(crlUrls());
        return urls.stream().filter(url -> !isHttp(url)).toList();
    }

    static boolean isHttp(String url) {
        return url.toLowerCase(Locale.ROOT).startsWith("http://");
    }

    private static List<String> ocspUrls(X509Certificate certificate) {
        byte[] value = certificate.getExtensionValue(Extension.authorityInfoAccess.getId());
        List<String> urls = new ArrayList<>();
        try {
            if (value != null) {
                for (AccessDescription description : AuthorityInformationAccess.getInstance(
                        ASN1OctetString.getInstance(value).getOctets()).getAccessDescriptions()) {
                    String url = AccessDescription.id_ad_ocsp.equals(description.getAccessMethod())
                            ? uri(description.getAccessLocation()) : null;
                    if (url != null) {
                        urls.add(url);
                    }
                }
            }
        } catch (RuntimeException e) {
            return List.of();
        }
        return urls;
    }

    /** The general names of every distribution point given by its full name. */
    static List<GeneralName> distributionPointNames(X509Certificate certificate) {
        byte[] value = certificate.getExtensionValue(Extension.cRLDistributionPoints.getId());
        List<GeneralName> names = new ArrayList<>();
        try {
            if (value != null) {
                for (DistributionPoint point : CRLDistPoint.getInstance(
                        ASN1OctetString.getInstance(value).getOctets()).getDistributionPoints()) {
                    names.addAll(fullName(point.getDistributionPoint()));
                }
            }
        } catch (RuntimeException e) {
            return List.of();
        }
        return names;
    }

    static List<GeneralName> fullName(DistributionPointName name) {
        return name != null && name.getType() == DistributionPointName.FULL_NAME
                ? List.of(GeneralNames.getInstance(name.getName()).getNames()) : List.of();
    }

    /** The URI a general name holds, when it is a URI that parses (so it is one printable line), else null. */
    private static String uri(GeneralName name) {
        if (name.getTagNo() != GeneralName.uniformResourceIdentifier
                || !(name.getName() instanceof ASN1IA5String text)) {
            return null;
        }
        try {
            URI uri = new URI(text.getString());
            return uri.isAbsolute() ? uri.toString() : null;
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }
}
