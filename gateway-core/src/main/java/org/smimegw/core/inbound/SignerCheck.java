package org.smimegw.core.inbound;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The verdict on one SignerInfo before the From rule: verified and acceptable ({@link Outcome#OK}), or why
 * not. Immutable.
 *
 * @param outcome what kind of result this signer gives
 * @param reason why it is not OK, or {@code null}
 * @param certificate the signer certificate, when one was found
 * @param intermediates when OK through a path: the certificates between the signer and its anchor
 * @param unanchored whether the signature verified and the only problem is that the signer does not chain to a
 *     stored anchor (docs/design.md §9: a certificate {@code inbound.harvest=pending} may keep)
 */
record SignerCheck(Outcome outcome, String reason, X509Certificate certificate, List<X509Certificate> intermediates,
        boolean unanchored) {

    enum Outcome { OK, FAIL, POLICY, PERMERROR, TEMPERROR }

    SignerCheck {
        intermediates = List.copyOf(intermediates);
    }

    static SignerCheck of(Outcome outcome, String reason, X509Certificate certificate) {
        return new SignerCheck(outcome, reason, certificate, List.of(), false);
    }

    /** The signer's trust decision on a verified signature. */
    static SignerCheck of(SignerTrust.Decision decision, X509Certificate certificate) {
        if (decision.trusted()) {
            return new SignerCheck(Outcome.OK, null, certificate, decision.intermediates(), false);
        }
        return new SignerCheck(decision.temporary() ? Outcome.TEMPERROR : Outcome.POLICY, decision.problem(),
                certificate, List.of(), decision.unanchored());
    }
}
