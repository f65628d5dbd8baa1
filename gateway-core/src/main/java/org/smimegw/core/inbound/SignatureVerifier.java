package org.smimegw.core.inbound;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.SignerInformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smimegw.core.cert.CertificateFacts;
import org.smimegw.core.cert.Fingerprints;
import org.smimegw.core.inbound.SignerCheck.Outcome;
import org.smimegw.core.limits.MessageLimits;
import org.smimegw.core.limits.MessageLimits.Limit;
import org.smimegw.core.mime.FromIdentity;
import org.smimegw.core.mime.RawMessage;
import org.smimegw.core.port.StoreFailure;
import org.smimegw.core.revocation.RevocationCheck;

/**
 * Verifies the top-level signature layer of a message and gives the {@link SmimeResult}. Every SignerInfo must
 * verify and be acceptable, and at least one signer must carry the single From address. A SignedData without any
 * SignerInfo gives {@code none}: RFC 5652 allows it (the degenerate, certificates-only form), so it is not
 * malformed, and it signs nothing, so the message is not signed. Never throws for bad input; a failing store
 * gives {@code temperror}. Thread-safe.
 */
final class SignatureVerifier {
    static final String MALFORMED = "malformed signed-data";
    private static final Logger LOG = LoggerFactory.getLogger(SignatureVerifier.class);

    private final SignerEvaluator evaluator;
    private final MessageLimits limits;

    SignatureVerifier(SignerEvaluator evaluator, MessageLimits limits) {
        this.evaluator = evaluator;
        this.limits = limits;
    }

    /**
     * The verdict, and the signed content as an entity when the layer could be read.
     *
     * @param result the verdict
     * @param content the signed entity (null on {@code permerror} or {@code temperror})
     * @param harvest the signer certificate harvesting may keep, when the verdict allows it; else null
     */
    record Verification(SmimeResult result, RawMessage content, HarvestCandidate harvest,
            ProtectedHeaders protectedHeaders) {
        Verification(SmimeResult result, RawMessage content) {
            this(result, content, null, null);
        }
    }

    /** The verdict and what harvesting may keep. */
    private record Judged(SmimeResult result, HarvestCandidate harvest) {
        Judged(SmimeResult result) {
            this(result, null);
        }
    }

    /**
     * Verifies {@code message}, whose top-level entity is of the signed {@code kind}, judging certificates at
     * {@code at} and asking {@code revocation} for their status.
     */
    Verification verify(RawMessage message, EntityKind kind, Instant at, RevocationCheck revocation) {
        SignedLayer layer;
        try {
            layer = SignedLayer.open(message.entity(), kind, limits);
        } catch (MalformedSignatureException e) {
            LOG.debug("signature layer cannot be read: {}", e.getMessage(), e);
            return new Verification(new SmimeResult.PermError(e.getMessage()), null);
        }
        try {
            MimeParts.Inner inner = layer.inner();
            Judged judged = judge(layer, FromIdentity.of(fromOf(message, inner.protectedHeaders())), at, revocation);
            return new Verification(judged.result(), inner.entity(), judged.harvest(), inner.protectedHeaders());
        } catch (StoreFailure e) {
            return new Verification(new SmimeResult.TempError(e.getMessage()), null);
        } catch (RuntimeException e) {
            LOG.debug("signed-data cannot be verified", e);
            return new Verification(new SmimeResult.PermError(MALFORMED), null);
        }
    }

    /**
     * The message whose From the signer must carry: with the protected From fields (RFC 9788) when the signed content
     * protects its header fields unambiguously, since those are the ones delivered (docs/design.md §12).
     */
    private static RawMessage fromOf(RawMessage message, ProtectedHeaders protectedHeaders) {
        if (protectedHeaders == null || protectedHeaders.ambiguity().isPresent()
                || protectedHeaders.named("From").isEmpty()) {
            return message;
        }
        return message.withoutHeaders(field -> field.is("From")).withHeadersFirst(protectedHeaders.named("From"));
    }

    private Judged judge(SignedLayer layer, FromIdentity from, Instant at, RevocationCheck revocation) {
        Collection<SignerInformation> signers = layer.signedData().getSignerInfos().getSigners();
        if (signers.isEmpty()) {
            // the "no signers" spoof of the Johnny paper: nothing is signed, and reprocessing cannot change that
            LOG.debug("signed-data has no SignerInfo: the message is not signed");
            return new Judged(new SmimeResult.None());
        }
        if (signers.size() > limits.signers()) {
            // each signer costs a verification and a path build: refuse what no mail client produces
            return new Judged(new SmimeResult.PermError(limits.reason(Limit.SIGNERS)));
        }
        Collection<X509CertificateHolder> holders = layer.signedData().getCertificates().getMatches(null);
        if (holders.size() > limits.certificates()) {
            // every embedded certificate may enter each signer's path search
            return new Judged(new SmimeResult.PermError(limits.reason(Limit.CERTIFICATES)));
        }
        List<X509Certificate> embedded = SignerEvaluator.embedded(holders);
        List<SignerCheck> checks = new ArrayList<>();
        for (SignerInformation signer : signers) {
            checks.add(evaluator.evaluate(signer, embedded, from, at, revocation));
        }
        if (layer.embedsOtherContent()) {
            return new Judged(new SmimeResult.Fail("signature embeds different content",
                    signerOf(checks.get(0), from)));
        }
        return combine(checks, from);
    }

    /**
     * Fail beats permerror beats policy beats temperror (a definite verdict is not made temporary by another signer's
     * unknown status); only when every signer is OK does the From rule decide.
     */
    private static Judged combine(List<SignerCheck> checks, FromIdentity from) {
        for (Outcome worst : List.of(Outcome.FAIL, Outcome.PERMERROR, Outcome.POLICY, Outcome.TEMPERROR)) {
            Optional<SignerCheck> found = checks.stream().filter(c -> c.outcome() == worst).findFirst();
            if (found.isPresent()) {
                SignerCheck check = found.get();
                boolean pending = checks.size() == 1 && check.unanchored() && from.present()
                        && CertificateFacts.carries(check.certificate(), from.address());
                return new Judged(result(check, from), pending
                        ? new HarvestCandidate(check.certificate(), List.of(), from.address(), false) : null);
            }
        }
        if (!from.present()) {
            return new Judged(new SmimeResult.Policy(from.problem(), signerOf(checks.get(0), from)));
        }
        Optional<SignerCheck> carrier = checks.stream()
                .filter(c -> CertificateFacts.carries(c.certificate(), from.address())).findFirst();
        if (carrier.isEmpty()) {
            Signer first = signerOf(checks.get(0), from);
            return new Judged(new SmimeResult.Policy("signer "
                    + first.email().orElse(first.issuer() + " #" + first.serialHex())
                    + " is not the From address " + from.address(), first));
        }
        SignerCheck pass = carrier.get();
        return new Judged(new SmimeResult.Pass(signerOf(pass, from)),
                new HarvestCandidate(pass.certificate(), pass.intermediates(), from.address(), true));
    }

    private static SmimeResult result(SignerCheck check, FromIdentity from) {
        Signer signer = signerOf(check, from);
        return switch (check.outcome()) {
            case FAIL -> new SmimeResult.Fail(check.reason(), signer);
            case PERMERROR -> new SmimeResult.PermError(check.reason());
            case TEMPERROR -> new SmimeResult.TempError(check.reason());
            default -> new SmimeResult.Policy(check.reason(), signer);
        };
    }

    /** What the header reports about a signer; {@code null} when its certificate is unknown. */
    static Signer signerOf(SignerCheck check, FromIdentity from) {
        X509Certificate certificate = check.certificate();
        if (certificate == null) {
            return null;
        }
        String identifier = null;
        if (from.present() && CertificateFacts.carries(certificate, from.address())) {
            identifier = from.address().trim().toLowerCase(Locale.ROOT);
        } else {
            identifier = CertificateFacts.emailAddresses(certificate).stream().findFirst().orElse(null);
        }
        return new Signer(from.address(), identifier, certificate.getSerialNumber().toString(16),
                CertificateFacts.issuer(certificate), Fingerprints.sha256(certificate));
    }
}
