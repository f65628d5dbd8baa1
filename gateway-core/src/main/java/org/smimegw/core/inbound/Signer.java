package org.smimegw.core.inbound;

import java.util.Optional;

/**
 * The signer a verdict is about, as reported in {@code Authentication-Results}. Immutable.
 *
 * @param fromAddress the single {@code From} address of the message, or {@code null} when there is none
 * @param identifier the signer's e-mail address (the one matching {@code From}, else the certificate's first),
 *     or {@code null} when the certificate carries no address
 * @param serialHex the certificate serial number, lower-case hex
 * @param issuer the issuer distinguished name, RFC 2253
 * @param fingerprint SHA-256 fingerprint of the signer certificate, lower-case hex
 */
public record Signer(String fromAddress, String identifier, String serialHex, String issuer, String fingerprint) {

    public Optional<String> from() {
        return Optional.ofNullable(fromAddress);
    }

    public Optional<String> email() {
        return Optional.ofNullable(identifier);
    }
}
