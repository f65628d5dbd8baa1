package org.smimegw.core.cert;

/** The outcome of the import rules for one certificate: accepted as CA or client, or rejected with a reason. */
public sealed interface ImportDecision {

    /** The certificate passes the rules and is stored as {@code kind}. */
    record Accepted(CertificateKind kind) implements ImportDecision {
    }

    /** The certificate breaks a rule; {@code reason} names the attribute, e.g. "Key Usage lacks ...". */
    record Rejected(String reason) implements ImportDecision {
    }
}
