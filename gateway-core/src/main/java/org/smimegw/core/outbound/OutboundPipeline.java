package org.smimegw.core.outbound;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.smimegw.core.cert.CertificateRecord;
import org.smimegw.core.cert.Selection;
import org.smimegw.core.helpdesk.SubjectField;
import org.smimegw.core.helpdesk.SubjectTags;
import org.smimegw.core.helpdesk.TagRemoval;
import org.smimegw.core.limits.MessageLimits;
import org.smimegw.core.limits.MessageLimits.Limit;
import org.smimegw.core.limits.MimeStructure;
import org.smimegw.core.mime.Addresses;
import org.smimegw.core.mime.RawMessage;
import org.smimegw.core.outbound.OutboundPolicy.Decision;
import org.smimegw.core.smime.Envelope;
import org.smimegw.core.smime.SmimeEncryptor;
import org.smimegw.core.smime.SmimeSigner;

/**
 * The outbound pipeline (docs/design.md §3.1): read and remove the control headers and the Subject's verdict tags
 * (docs/design.md §16), decide, sign with the organisation's certificate for the From address, then encrypt to every
 * envelope recipient plus the organisation's own certificate. Required but impossible gives a
 * {@link OutboundResult.Refused} naming every address concerned; nothing is ever sent in plain against the policy. A
 * message over a {@link MessageLimits} limit (nesting, header fields, header lines) is refused before anything else.
 * Thread-safe; certificate validity is judged at the instant given to {@link #process}.
 */
public final class OutboundPipeline {
    private final CertificateLookup lookup;
    private final SmimeSigner signer;
    private final SmimeEncryptor encryptor;
    private final OutboundPolicy policy;
    private final HeaderProtector protector;
    private final MessageLimits limits;
    private final SubjectTags subjectTags;
    private final Optional<TagRemoval> trigger;

    /** With the default {@link MessageLimits}. */
    public OutboundPipeline(CertificateLookup lookup, SmimeSigner signer, SmimeEncryptor encryptor,
            PolicyMode signDefault, PolicyMode encryptDefault) {
        this(lookup, signer, encryptor, signDefault, encryptDefault, MessageLimits.DEFAULTS);
    }

    /** Without rules, with the default tag texts ({@link SubjectTags#DEFAULTS}). */
    public OutboundPipeline(CertificateLookup lookup, SmimeSigner signer, SmimeEncryptor encryptor,
            PolicyMode signDefault, PolicyMode encryptDefault, MessageLimits limits) {
        this(lookup, signer, encryptor, OutboundPolicy.of(signDefault, encryptDefault), HeaderProtection.PROTECT,
                limits, SubjectTags.DEFAULTS);
    }

    /**
     * @param policy the default modes, the rules and the Subject trigger (docs/design.md §11)
     * @param protection how the header fields are protected (docs/design.md §12)
     * @param subjectTags the tags inbound mail may carry in its Subject, removed from replies
     */
    public OutboundPipeline(CertificateLookup lookup, SmimeSigner signer, SmimeEncryptor encryptor,
            OutboundPolicy policy, HeaderProtection protection, MessageLimits limits, SubjectTags subjectTags) {
        this.protector = new HeaderProtector(protection);
        this.lookup = lookup;
        this.signer = signer;
        this.encryptor = encryptor;
        this.policy = policy;
        this.limits = limits;
        this.subjectTags = subjectTags;
        this.trigger = policy.subjectTrigger().map(text -> new TagRemoval(List.of(text)));
    }

    /** The limits this pipeline applies; callers parse with {@link MessageLimits#headerFields()} too. */
    public MessageLimits limits() {
        return limits;
    }

    public OutboundResult process(RawMessage received, Envelope envelope, Instant at) {
        Optional<OutboundResult.Refused> early = checked(received);
        if (early.isPresent()) {
            return early.get();
        }
        CertificateLookup.ForMessage lookups = lookup.forMessage(at);
        OutboundPlan plan = plan(received, envelope, lookups);
        if (plan.refused()) {
            return new OutboundResult.Refused(String.join("; ", plan.problems()), OutboundResult.Cause.POLICY,
                    lookups.revocationNotes());
        }
        return new OutboundResult.Relay(copies(plan, envelope, lookups, at), plan.unencrypted(),
                lookups.revocationNotes());
    }

    /**
     * What {@link #process} would decide, line by line, without signing or encrypting ({@code process --explain}):
     * the rule behind each decision and the certificate each recipient would get, or why none can be.
     */
    public List<String> explain(RawMessage received, Envelope envelope, Instant at) {
        Optional<OutboundResult.Refused> early = checked(received);
        if (early.isPresent()) {
            return List.of("refused: " + early.get().reason());
        }
        return plan(received, envelope, lookup.forMessage(at)).explanation();
    }

    /** A refusal for a message over a limit or with a malformed control header; empty when it may go on. */
    private Optional<OutboundResult.Refused> checked(RawMessage received) {
        // first, so that signing never walks a structure deeper than the limit (the 7bit encoder recurses)
        MessageLimits submission = limits.forSubmission();
        Optional<Limit> limit = MimeStructure.check(received, submission, true);
        if (limit.isPresent()) {
            return Optional.of(new OutboundResult.Refused(submission.reason(limit.get()), OutboundResult.Cause.LIMIT));
        }
        for (String header : List.of(ControlHeaders.SIGN, ControlHeaders.ENCRYPT)) {
            if (ControlHeaders.override(received, header).isEmpty()
                    && !received.headerValues(header).isEmpty()) {
                return Optional.of(new OutboundResult.Refused(ControlHeaders.problem(received, header)));
            }
        }
        return Optional.empty();
    }

    private OutboundPlan plan(RawMessage received, Envelope envelope, CertificateLookup.ForMessage lookups) {
        // Bcc addresses are envelope recipients only: the header would show them to everyone (RFC 5322 3.6.3);
        // the Subject's verdict tags belong to the helpdesk's view of inbound mail, never to a customer
        RawMessage message = subjectTags.untagged(
                received.withoutHeaders(h -> ControlHeaders.isControlHeader(h.name()) || h.is("Bcc")));
        Optional<String> triggered = Optional.empty();
        if (trigger.isPresent()) {
            SubjectField.Without without = SubjectField.without(message, trigger.get());
            if (without.removed() > 0) {
                message = without.message();
                triggered = policy.subjectTrigger();
            }
        }
        Optional<Decision> encryptOverride = triggered.isPresent()
                ? Optional.of(new Decision(PolicyMode.REQUIRED, "outbound.encrypt.subject.trigger=" + triggered.get()))
                : ControlHeaders.override(received, ControlHeaders.ENCRYPT);
        String from = Addresses.singleFrom(message);
        List<String> problems = new ArrayList<>();

        Decision signDecision = policy.signing(from, ControlHeaders.override(received, ControlHeaders.SIGN));
        CertificateLookup.SignerLookup signerLookup = null;
        if (signDecision.mode() != PolicyMode.NEVER) {
            signerLookup = from == null
                    ? new CertificateLookup.SignerLookup.Missing("the message needs exactly one From header with one "
                            + "address")
                    : lookups.signingIdentity(from);
            if (signerLookup instanceof CertificateLookup.SignerLookup.Missing missing
                    && signDecision.mode() == PolicyMode.REQUIRED) {
                problems.add(from == null ? "cannot sign: " + missing.reason()
                        : "cannot sign as " + from + ": " + missing.reason());
            }
        }

        List<OutboundPlan.Recipient> recipients = new ArrayList<>();
        Map<String, String> refused = new LinkedHashMap<>();
        for (String address : distinct(envelope.recipients())) {
            Decision decision = policy.encryption(address, encryptOverride);
            Selection selection = decision.mode() == PolicyMode.NEVER ? null : lookups.encryptionCertificate(address);
            OutboundPlan.Recipient recipient = new OutboundPlan.Recipient(address, decision, selection);
            recipients.add(recipient);
            if (recipient.treatment() == OutboundPlan.Treatment.REFUSED) {
                refused.put(address, ((Selection.Unavailable) selection).reason());
            }
        }
        if (envelope.recipients().isEmpty() && policy.encryption("", encryptOverride).mode() == PolicyMode.REQUIRED) {
            refused.put("(no recipients)", "nothing to encrypt to");
        }
        if (!refused.isEmpty()) {
            problems.add("cannot encrypt: " + describe(refused));
        }
        return new OutboundPlan(message, from, triggered, new OutboundPlan.Signing(signDecision, signerLookup),
                recipients, problems);
    }

    /**
     * The encrypted copy (its recipients' certificates and the organisation's own for From) and the unencrypted one,
     * each only when it has recipients; both signed when the plan signs.
     */
    private List<OutboundResult.Copy> copies(OutboundPlan plan, Envelope envelope,
            CertificateLookup.ForMessage lookups, Instant at) {
        CertificateLookup.SignerLookup.Found signing = plan.signing().lookup() instanceof
                CertificateLookup.SignerLookup.Found found ? found : null;
        String signerFingerprint = signing == null ? null : signing.fingerprint();
        Map<String, OutboundPlan.Treatment> treatments = new HashMap<>();
        plan.recipients().forEach(r -> treatments.put(r.address().toLowerCase(Locale.ROOT), r.treatment()));
        List<String> encryptedTo = new ArrayList<>();
        List<String> notEncryptedTo = new ArrayList<>();
        for (String address : envelope.recipients()) {
            (treatments.get(address.toLowerCase(Locale.ROOT)) == OutboundPlan.Treatment.ENCRYPTED
                    ? encryptedTo : notEncryptedTo).add(address);
        }
        List<OutboundResult.Copy> copies = new ArrayList<>();
        if (!encryptedTo.isEmpty()) {
            List<X509Certificate> certificates = new ArrayList<>();
            List<String> fingerprints = new ArrayList<>();
            plan.recipients().forEach(r -> r.certificate().ifPresent(c -> addOnce(certificates, fingerprints, c)));
            if (plan.from() != null) {
                lookups.organisationEncryptionCertificate(plan.from())
                        .ifPresent(own -> addOnce(certificates, fingerprints, own));
            }
            HeaderProtector.Protected payload = protector.protect(plan.message(), true);
            RawMessage encrypted = signing == null
                    ? encryptor.encrypt(payload.outer(), payload.payload(), certificates)
                    : encryptor.encrypt(signer.sign(payload.outer(), payload.payload(), signing.identity(), at),
                            certificates);
            copies.add(new OutboundResult.Copy(encrypted, encryptedTo, signerFingerprint, fingerprints));
        }
        if (!notEncryptedTo.isEmpty() || copies.isEmpty()) {
            RawMessage message = plan.message();
            if (signing != null) {
                HeaderProtector.Protected payload = protector.protect(message, false);
                message = signer.sign(payload.outer(), payload.payload(), signing.identity(), at);
            }
            copies.add(new OutboundResult.Copy(message, notEncryptedTo, signerFingerprint, List.of()));
        }
        return copies;
    }

    private static void addOnce(List<X509Certificate> certificates, List<String> fingerprints,
            CertificateRecord record) {
        if (!fingerprints.contains(record.fingerprint())) {
            fingerprints.add(record.fingerprint());
            certificates.add(record.certificate());
        }
    }

    private static List<String> distinct(List<String> addresses) {
        Map<String, String> byLowerCase = new LinkedHashMap<>();
        for (String address : addresses) {
            byLowerCase.putIfAbsent(address.toLowerCase(Locale.ROOT), address);
        }
        return List.copyOf(byLowerCase.values());
    }

    private static String describe(Map<String, String> missing) {
        List<String> parts = new ArrayList<>();
        missing.forEach((address, reason) -> parts.add(address + " (" + reason + ")"));
        return "no valid certificate for " + String.join(", ", parts);
    }
}
