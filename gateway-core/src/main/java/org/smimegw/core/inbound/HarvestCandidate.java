package org.smimegw.core.inbound;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A signer certificate that {@code inbound.harvest} may keep (docs/design.md §9): the certificate of the signer that
 * carries the single From address of a message whose signature verified. Which of these are kept, and how, is the
 * harvester's decision. Immutable.
 *
 * @param certificate the signer certificate
 * @param intermediates the certificates between it and its stored anchor (path material), empty when not trusted
 * @param fromAddress the message's single From address, which the certificate carries
 * @param trusted whether the verdict is {@code pass}; otherwise the signer did not chain to a stored anchor and that
 *     was the only problem
 */
public record HarvestCandidate(X509Certificate certificate, List<X509Certificate> intermediates, String fromAddress,
        boolean trusted) {

    public HarvestCandidate {
        intermediates = List.copyOf(intermediates);
    }
}
