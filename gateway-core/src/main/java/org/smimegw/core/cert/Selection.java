package org.smimegw.core.cert;

/** The certificate picked for an address and purpose, or why none could be. */
public sealed interface Selection {

    record Selected(CertificateRecord certificate) implements Selection {
    }

    /**
     * No usable certificate; {@code reason} is the phrase that follows the address in a refusal, e.g.
     * "no certificate", "expired on 2024-07-31", "not yet valid (from 2030-01-01)", "revoked on 2026-05-01".
     */
    record Unavailable(String reason) implements Selection {
    }
}
