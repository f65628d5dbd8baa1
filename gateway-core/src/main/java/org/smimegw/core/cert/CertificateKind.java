package org.smimegw.core.cert;

/** How an imported certificate is used: as a trust anchor/issuer, or as the certificate of a mail address. */
public enum CertificateKind {
    CA,
    CLIENT;

    /** The lower-case word used on the command line and in the store: {@code ca} or {@code client}. */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static CertificateKind fromWord(String word) {
        return valueOf(word.toUpperCase(java.util.Locale.ROOT));
    }
}
