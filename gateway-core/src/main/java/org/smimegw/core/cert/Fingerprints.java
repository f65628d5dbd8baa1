package org.smimegw.core.cert;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;

/** SHA-256 certificate fingerprints: lower-case hex, no separators, as printed everywhere by the gateway. */
public final class Fingerprints {
    private Fingerprints() {
    }

    public static String sha256(X509Certificate certificate) {
        try {
            return sha256(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be encoded: " + e.getMessage(), e);
        }
    }

    public static String sha256(byte[] der) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /**
     * Normalises what a user typed: any case, {@code :} or spaces allowed. Returns lower-case hex, possibly a
     * prefix. Throws {@link IllegalArgumentException} naming the input when it is not hex.
     */
    public static String normalise(String typed) {
        String hex = typed.replace(":", "").replace(" ", "").toLowerCase(Locale.ROOT);
        if (hex.isEmpty() || !hex.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw new IllegalArgumentException("'" + typed + "' is not a SHA-256 fingerprint (hex, ':' allowed)");
        }
        return hex;
    }
}
