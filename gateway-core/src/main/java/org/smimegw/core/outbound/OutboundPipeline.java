package org.smimegw.core.outbound;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.smimegw.core.cert.CertificateRecord;
import org.smimegw.core.cert.Selection;
import org.smimegw.core.helpdesk.SubjectTags;
import org.smimegw.core.limits.MessageLimits;
import org.smimegw.core.limits.MessageLimits.Limit;
import org.smimegw.core.limits.MimeStructure;
import org.smimegw.core.mime.Addresses;
import org.smimegw.core.mime.RawMessage;
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
    private final PolicyMode signDefault;
    private final PolicyMode encryptDefault;

    private final MessageLimits limits;
    private final SubjectTags subjectTags;

    /** With the default {@link MessageLimits}. */
    public OutboundPipeline(CertificateLookup lookup, SmimeSigner signer, SmimeEncryptor encryptor,
            PolicyMode signDefault, PolicyMode encryptDefault) {
        this(lookup, signer, encryptor, signDefault, encryptDefault, MessageLimits.DEFAULTS);
    }

    /** With the default tag texts ({@link SubjectTags#DEFAULTS}). */
    public OutboundPipeline(CertificateLookup lookup, SmimeSigner signer, SmimeEncryptor encryptor,
            PolicyMode signDefault, PolicyMode encryptDefault, MessageLimits limits) {
        this(lookup, signer, encryptor, signDefault, encryptDefault, limits, SubjectTags.DEFAULTS);
    }

    /** @param subjectTags the tags inbound mail may carry in its Subject, removed from replies */
    public OutboundPipeline(CertificateLookup lookup, SmimeSigner signer, SmimeEncryptor encryptor,
            PolicyMode signDefault, PolicyMode encryptDefault, MessageLimits limits, SubjectTags subjectTags) {
        this.subjectTags = subjectTags;
        this.lookup = lookup;
        this.signer = signer;
        this.encryptor = encryptor;
        this.signDefault = signDefault;
        this.encryptDefault = encryptDefault;
        this.limits = limits;
    }

    /** The limits this pipeline applies; callers parse with {@link MessageLimits#headerFields()} too. */
    public MessageLimits limits() {
        return limits;
    }

    public OutboundResult process(RawMessage received, Envelope envelope, Instant at) {
        // first, so that signing never walks a structure deeper than the limit (the 7bit encoder recurses)
        MessageLimits submission = limits.forSubmission();
        Optional<Limit> limit = MimeStructure.check(received, submission, true);
        if (limit.isPresent()) {
            return new OutboundResult.Refused(submission.reason(limit.get()), OutboundResult.Cause.LIMIT);
        }
        PolicyMode sign = ControlHeaders.mode(received, ControlHeaders.SIGN, signDefault);
        if (sign == null) {
            return new OutboundResult.Refused(ControlHeaders.problem(received, ControlHeaders.SIGN));
        }
        PolicyMode encrypt = ControlHeaders.mode(received, ControlHeaders.ENCRYPT, encryptDefault);
        if (encrypt == null) {
            return new OutboundResult.Refused(ControlHeaders.problem(received, ControlHeaders.ENCRYPT));
        }
        // Bcc addresses are envelope recipients only: the header would show them to everyone (RFC 5322 3.6.3)
        // the Subject's verdict tags belong to the helpdesk's view of inbound mail, never to a customer
        RawMessage message = subjectTags.untagged(
                received.withoutHeaders(h -> ControlHeaders.isControlHeader(h.name()) || h.is("Bcc")));
        String from = Addresses.singleFrom(message);

        CertificateLookup.ForMessage lookups = lookup.forMessage(at);
        List<String> problems = new ArrayList<>();
        CertificateLookup.SignerLookup.Found signing = null;
        if (sign != PolicyMode.NEVER) {
            if (from == null) {
                if (sign == PolicyMode.REQUIRED) {
                    problems.add("cannot sign: the message needs exactly one From header with one address");
                }
            } else {
                CertificateLookup.SignerLookup found = lookups.signingIdentity(from);
                if (found instanceof CertificateLookup.SignerLookup.Found f) {
                    signing = f;
                } else if (sign == PolicyMode.REQUIRED) {
                    problems.add("cannot sign as " + from + ": "
                            + ((CertificateLookup.SignerLookup.Missing) found).reason());
                }
            }
        }

        List<CertificateRecord> recipients = new ArrayList<>();
        if (encrypt != PolicyMode.NEVER) {
            Map<String, String> missing = new LinkedHashMap<>();
            for (String recipient : distinct(envelope.recipients())) {
                Selection selection = lookups.encryptionCertificate(recipient);
                if (selection instanceof Selection.Selected selected) {
                    recipients.add(selected.certificate());
                } else {
                    missing.put(recipient, ((Selection.Unavailable) selection).reason());
                }
            }
            if (envelope.recipients().isEmpty()) {
                missing.put("(no recipients)", "nothing to encrypt to");
            }
            if (!missing.isEmpty()) {
                if (encrypt == PolicyMode.REQUIRED) {
                    problems.add("cannot encrypt: " + describe(missing));
                }
                // if-possible: never encrypt to only some recipients; the others could not read the message
                recipients.clear();
            }
        }
        if (!problems.isEmpty()) {
            return new OutboundResult.Refused(String.join("; ", problems), OutboundResult.Cause.POLICY,
                    lookups.revocationNotes());
        }

        RawMessage result = message;
        if (signing != null) {
            result = signer.sign(result, signing.identity(), at);
        }
        List<String> encryptedTo = new ArrayList<>();
        if (!recipients.isEmpty()) {
            List<X509Certificate> certificates = new ArrayList<>();
            for (CertificateRecord r : recipients) {
                addOnce(certificates, encryptedTo, r);
            }
            if (from != null) {
                lookups.organisationEncryptionCertificate(from)
                        .ifPresent(own -> addOnce(certificates, encryptedTo, own));
            }
            result = encryptor.encrypt(result, certificates);
        }
        return new OutboundResult.Relay(result, signing == null ? null : signing.fingerprint(), encryptedTo,
                lookups.revocationNotes());
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
