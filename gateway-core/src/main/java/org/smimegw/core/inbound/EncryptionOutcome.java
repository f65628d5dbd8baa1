package org.smimegw.core.inbound;

/**
 * What the inbound pipeline did about encryption: {@link Decrypted}, {@link Failed} or {@link NotEncrypted}.
 * Immutable values; {@link #headerValue()} is the {@code X-SMIME-Encryption} value.
 */
public sealed interface EncryptionOutcome {

    /** The value of the {@code X-SMIME-Encryption} header, without the field name. */
    String headerValue();

    /** Decrypted with the key of the organisation certificate with this SHA-256 fingerprint. */
    record Decrypted(String certificateFingerprint) implements EncryptionOutcome {
        @Override
        public String headerValue() {
            return "decrypted; cert=" + certificateFingerprint;
        }
    }

    /** The message is encrypted but could not be decrypted; it passes through unchanged. */
    record Failed(String reason) implements EncryptionOutcome {
        @Override
        public String headerValue() {
            return "failed; reason=" + HeaderText.quoted(reason);
        }
    }

    /** The message was not encrypted (or only an inner part was, which is never decrypted). */
    record NotEncrypted() implements EncryptionOutcome {
        @Override
        public String headerValue() {
            return "none";
        }
    }
}
