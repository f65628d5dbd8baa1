package org.smimegw.core.cert;

import java.util.Locale;

/**
 * How a stored certificate came to the store, which decides what it may be used for (docs/design.md §9):
 * <ul>
 * <li>{@link #IMPORTED}: by {@code cert import} or {@code key import}; a CA certificate is a trust anchor, a client
 *     certificate is used for encryption and trusted when it signs.</li>
 * <li>{@link #HARVESTED}: the signer certificate of a passing inbound message; used for encryption, trusted only
 *     through its path to a stored anchor.</li>
 * <li>{@link #PENDING}: the signer certificate of a message that failed only because it does not chain to a stored
 *     anchor, under {@code inbound.harvest=pending}; neither used nor trusted until approved.</li>
 * <li>{@link #APPROVED}: a pending certificate that an operator approved; like an imported one.</li>
 * <li>{@link #PATH}: a CA certificate that helped build a harvested signer's path; it may be an intermediate of a
 *     path again, never a trust anchor.</li>
 * <li>{@link #LDAP}: found in the configured LDAP directory for a recipient without a usable certificate
 *     (docs/design.md §10); used for encryption, trusted only through its path, like a harvested one.</li>
 * <li>{@link #DANE}: found in a DNSSEC-validated SMIMEA record (RFC 8162, docs/design.md §10); as {@link #LDAP}.</li>
 * </ul>
 */
public enum CertificateSource {
    IMPORTED,
    HARVESTED,
    PENDING,
    APPROVED,
    PATH,
    LDAP,
    DANE;

    /** The lower-case word used on the command line, in JSON and in the store. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CertificateSource fromWord(String word) {
        return valueOf(word.toUpperCase(Locale.ROOT));
    }

    /** Whether the operator vouched for the certificate (imported or approved): it may be a trust anchor. */
    public boolean vouched() {
        return this == IMPORTED || this == APPROVED;
    }
}
