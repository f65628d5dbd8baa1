package org.smimegw.core.cert;

/** What a certificate is picked for. Key usage decides which certificates fit which purpose. */
public enum KeyPurpose {
    /** Signing outgoing mail: Key Usage digitalSignature (nonRepudiation alone does not count, DESIGN.md §4). */
    SIGN,
    /** Encrypting to the certificate: keyEncipherment for RSA, keyAgreement (or keyEncipherment) for EC. */
    ENCRYPT
}
