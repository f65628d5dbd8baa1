package org.smimegw.core.inbound;

import java.security.cert.X509Certificate;

/**
 * The verdict on one SignerInfo before the From rule: verified and acceptable ({@link Outcome#OK}), or why
 * not. Immutable.
 *
 * @param outcome what kind of result this signer gives
 * @param reason why it is not OK, or {@code null}
 * @param certificate the signer certificate, when one was found
 */
record SignerCheck(Outcome outcome, String reason, X509Certificate certificate) {

    enum Outcome { OK, FAIL, POLICY, PERMERROR }

    static SignerCheck ok(X509Certificate certificate) {
        return new SignerCheck(Outcome.OK, null, certificate);
    }

    static SignerCheck of(Outcome outcome, String reason, X509Certificate certificate) {
        return new SignerCheck(outcome, reason, certificate);
    }
}
