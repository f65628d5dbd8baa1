package org.smimegw.core.cert;

/** What a certificate is picked for. Key usage decides which certificates fit which purpose. */
public enum KeyPurpose {
    /** Signing outgoing mail: Key Usage digitalSignature (nonRepudiation alone does not count, docs/design.md §4.1). */
    SIGN,
    /** Encrypting to the certificate: keyEncipherment for RSA, keyAgreement (or keyEncipherment) for EC. */
    ENCRYPT
}
