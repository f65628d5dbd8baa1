package org.smimegw.core.revocation;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The revocation status of one certificate at one instant (docs/design.md §9). Immutable values.
 */
public sealed interface RevocationStatus {
    DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    /** The word {@code cert list} shows: {@code good}, {@code revoked}, {@code unknown}, {@code none}, {@code off}. */
    String word();

    /** Whether this status makes the certificate unusable and untrusted under the mode. */
    default boolean blocks(RevocationMode mode) {
        return this instanceof Revoked || (mode == RevocationMode.HARD && this instanceof Unknown);
    }

    /** A current CRL or OCSP answer says the certificate is not revoked; {@code source} names it. */
    record Good(String source) implements RevocationStatus {
        @Override
        public String word() {
            return "good";
        }
    }

    /** A current CRL or OCSP answer says the certificate was revoked at {@code revokedAt}. */
    record Revoked(Instant revokedAt, String source) implements RevocationStatus {
        @Override
        public String word() {
            return "revoked";
        }

        /** {@code revoked on <date>}, the words refusals and verdicts use. */
        public String phrase() {
            return "revoked on " + DAY.format(revokedAt);
        }
    }

    /** A source exists (distribution point, OCSP responder, imported CRL) but gave no current answer; {@code why}. */
    record Unknown(String why) implements RevocationStatus {
        @Override
        public String word() {
            return "unknown";
        }
    }

    /** The certificate names no source and no CRL of its issuer is stored: it is judged by its dates alone. */
    record NoSource() implements RevocationStatus {
        @Override
        public String word() {
            return "none";
        }
    }

    /** {@code revocation.check=off}: not looked at. */
    record NotChecked() implements RevocationStatus {
        @Override
        public String word() {
            return "off";
        }
    }
}
