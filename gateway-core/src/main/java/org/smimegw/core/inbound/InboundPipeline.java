package org.smimegw.core.inbound;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smimegw.core.helpdesk.HelpdeskSettings;
import org.smimegw.core.helpdesk.SubjectTags;
import org.smimegw.core.inbound.Decompressor.Decompression;
import org.smimegw.core.inbound.Decryptor.Decryption;
import org.smimegw.core.inbound.SignatureVerifier.Verification;
import org.smimegw.core.limits.MessageLimits;
import org.smimegw.core.limits.MessageLimits.Limit;
import org.smimegw.core.limits.MimeStructure;
import org.smimegw.core.mime.RawMessage;
import org.smimegw.core.port.CertificateDirectory;
import org.smimegw.core.port.PrivateKeyRepository;
import org.smimegw.core.revocation.RevocationCheck;
import org.smimegw.core.revocation.RevocationChecker;
import org.smimegw.core.smime.CryptoProviders;
import org.smimegw.core.smime.Envelope;
import org.smimegw.core.smime.SmimeAlgorithms;

/**
 * The inbound pipeline (docs/design.md §3.2): remove headers a sender could use to spoof our verdict or steer the
 * helpdesk, check the message against the {@link MessageLimits}, open the S/MIME layers at its top (decrypt, verify,
 * expand compressed data), tag the Subject when configured, and annotate the result (docs/design.md §6.2).
 *
 * <p>Only layers at the top of the message are opened: an enveloped part inside an unencrypted multipart is
 * never decrypted (that would make the gateway a decryption oracle), and a signed part inside an unsigned
 * message gives {@code none}. Layers nest in any order (encrypted around signed, signed around encrypted, either
 * around compressed); each kind is opened at most once, so the walk ends after at most three layers.
 *
 * <p>Every outcome is a value: malformed input gives {@code permerror} or a failed decryption, never an
 * exception. A message over a limit, before or after a layer is opened, and a compressed layer that cannot be
 * expanded, leave the message as received (less the spoofed headers), with {@code permerror} naming the reason.
 * Reasons are fixed texts; what a parser or a store said goes to the log only. Thread-safe when the ports are;
 * one instance serves every message.
 */
public final class InboundPipeline {
    /** Why a valid signature around encrypted content is not {@code pass} for the text found inside. */
    static final String SIGNED_CIPHERTEXT_ONLY = "signature covers only the encrypted content, not the decrypted text";
    /** The reason when something unforeseen went wrong: the message is delivered as received. */
    static final String UNPARSEABLE = "message cannot be parsed";
    private static final Logger LOG = LoggerFactory.getLogger(InboundPipeline.class);

    private final SpoofedHeaderFilter filter;
    private final Decryptor decryptor;
    private final SignatureVerifier verifier;
    private final Decompressor decompressor;
    private final Annotator annotator;
    private final MessageLimits limits;
    private final RevocationChecker revocation;
    private final SubjectTags subjectTags;

    /** With the default {@link MessageLimits}, without revocation checking. */
    public InboundPipeline(CertificateDirectory certificates, PrivateKeyRepository keys, SmimeAlgorithms algorithms,
            String authservId) {
        this(certificates, keys, algorithms, authservId, MessageLimits.DEFAULTS);
    }

    /**
     * @param certificates stored certificates: trust anchors and the organisation's certificates
     * @param keys the organisation's private keys
     * @param algorithms which received algorithms are acceptable
     * @param authservId this gateway's authserv-id ({@code gateway.hostname})
     * @param limits what a received message may hold
     */
    public InboundPipeline(CertificateDirectory certificates, PrivateKeyRepository keys, SmimeAlgorithms algorithms,
            String authservId, MessageLimits limits) {
        this(certificates, keys, algorithms, authservId, limits, RevocationChecker.off());
    }

    /** With the default {@link HelpdeskSettings}. */
    public InboundPipeline(CertificateDirectory certificates, PrivateKeyRepository keys, SmimeAlgorithms algorithms,
            String authservId, MessageLimits limits, RevocationChecker revocation) {
        this(certificates, keys, algorithms, authservId, limits, revocation, HelpdeskSettings.DEFAULTS);
    }

    /**
     * @param revocation asked about the status of every signer certificate and its path (docs/design.md §9)
     * @param helpdesk the helpdesk's headers to strip and the Subject's tags (docs/design.md §16)
     */
    public InboundPipeline(CertificateDirectory certificates, PrivateKeyRepository keys, SmimeAlgorithms algorithms,
            String authservId, MessageLimits limits, RevocationChecker revocation, HelpdeskSettings helpdesk) {
        Objects.requireNonNull(authservId, "authservId");
        this.subjectTags = helpdesk.subjectTags();
        this.limits = Objects.requireNonNull(limits, "limits");
        this.revocation = Objects.requireNonNull(revocation, "revocation");
        // idempotent; verification names the BC provider, so a pipeline must never run without it
        CryptoProviders.installBouncyCastle();
        Stores stores = new Stores(Objects.requireNonNull(certificates, "certificates"),
                Objects.requireNonNull(keys, "keys"));
        this.filter = new SpoofedHeaderFilter(authservId, helpdesk.stripHeaders());
        this.decryptor = new Decryptor(stores, limits);
        this.verifier = new SignatureVerifier(new SignerEvaluator(stores, new SignerTrust(stores, limits.chainLength()),
                Objects.requireNonNull(algorithms, "algorithms")), limits);
        this.decompressor = new Decompressor(limits);
        this.annotator = new Annotator(authservId);
    }

    /** The limits this pipeline applies; callers parse with {@link MessageLimits#headerFields()} too. */
    public MessageLimits limits() {
        return limits;
    }

    /**
     * Processes one received message.
     *
     * @param message the message as received
     * @param envelope its SMTP envelope (not used for the verdict: only the {@code From} header counts)
     * @param at the instant certificate validity is judged at (now, or {@code process --at})
     * @return the annotated message and the verdicts; never {@code null}
     */
    public InboundResult process(RawMessage message, Envelope envelope, Instant at) {
        SpoofedHeaderFilter.Stripped stripped = filter.strip(message);
        RevocationCheck revocationCheck = revocation.begin(at);
        State state;
        try {
            state = new Layers(stripped.message(), at, revocationCheck).open();
        } catch (RuntimeException | StackOverflowError e) {
            // last line of defence: the parts below turn hostile input into values, so this is a bug
            LOG.warn("inbound processing failed unexpectedly", e);
            state = unopened(stripped.message(), UNPARSEABLE, new EncryptionOutcome.NotEncrypted());
        }
        boolean keep = state.encryption() instanceof EncryptionOutcome.Failed || !state.verdict().settled();
        boolean decrypted = state.encryption() instanceof EncryptionOutcome.Decrypted;
        ProtectedView.Applied view = ProtectedView.apply(state.message(), state.payloadHeaders(), decrypted,
                state.verdict(), filter);
        SubjectTags.Tagging tagging = subjectTags.tagged(view.message(), tagFor(state.verdict()), decrypted);
        RawMessage annotated = annotator.annotate(tagging.message(), state.verdict(), state.encryption(),
                view.report());
        List<String> headerNotes = new ArrayList<>();
        stripped.note().ifPresent(headerNotes::add);
        headerNotes.addAll(view.notes());
        headerNotes.addAll(tagging.notes());
        return new InboundResult(annotated, state.verdict(), state.encryption(), keep, state.harvest(),
                revocationCheck.notes(), headerNotes);
    }

    /** The verdict's Subject tag: {@code permerror} shows as a failure; {@code none} and {@code temperror} get none. */
    private static SubjectTags.Verdict tagFor(SmimeResult verdict) {
        if (verdict instanceof SmimeResult.Pass) {
            return SubjectTags.Verdict.PASS;
        }
        if (verdict instanceof SmimeResult.Fail || verdict instanceof SmimeResult.PermError) {
            return SubjectTags.Verdict.FAIL;
        }
        return verdict instanceof SmimeResult.Policy ? SubjectTags.Verdict.POLICY : SubjectTags.Verdict.NONE;
    }

    /**
     * The message so far, between stages; {@code harvest} belongs to {@code verdict} and goes when it changes;
     * {@code payloadHeaders} are the protected fields of the layer opened last (RFC 9788), or null.
     */
    private record State(RawMessage message, SmimeResult verdict, EncryptionOutcome encryption,
            HarvestCandidate harvest, ProtectedHeaders payloadHeaders) {
        State(RawMessage message, SmimeResult verdict, EncryptionOutcome encryption) {
            this(message, verdict, encryption, null, null);
        }

        State(RawMessage message, SmimeResult verdict, EncryptionOutcome encryption, HarvestCandidate harvest) {
            this(message, verdict, encryption, harvest, null);
        }
    }

    /**
     * A pass for a message with several Content-Type fields becomes {@code policy}: we verify the layer the first
     * one names, a reader that takes another sees other content (a multipart/mixed whose parts sit in the
     * unsigned preamble of the multipart/signed), and the sender chooses.
     */
    private static Verification unambiguous(RawMessage message, Verification verification) {
        int types = message.headerValues("Content-Type").size();
        if (types > 1 && verification.result() instanceof SmimeResult.Pass pass) {
            return new Verification(new SmimeResult.Policy("message has " + types + " Content-Type fields",
                    pass.signerInfo()), verification.content());
        }
        return verification;
    }

    /**
     * The message as received, with {@code permerror}; an encrypted message stays encrypted (at the top, or
     * decrypted further in and now delivered as received), so its decryption failed for the same reason.
     */
    private static State unopened(RawMessage received, String reason, EncryptionOutcome soFar) {
        boolean encrypted = soFar instanceof EncryptionOutcome.Decrypted || classify(received.entity()).encrypted();
        EncryptionOutcome encryption = encrypted ? new EncryptionOutcome.Failed(reason) : soFar;
        return new State(received, new SmimeResult.PermError(reason), encryption);
    }

    /** One walk through the top-level layers of one message. Not thread-safe; one per message. */
    private final class Layers {
        private final RawMessage received;
        private final Instant at;
        private final RevocationCheck revocationCheck;
        private State state;
        /** The entity whose layer is opened next: the message's own, or the content of multipart/signed. */
        private RawMessage current;
        private boolean verified;
        private boolean expanded;

        Layers(RawMessage received, Instant at, RevocationCheck revocationCheck) {
            this.received = received;
            this.at = at;
            this.revocationCheck = revocationCheck;
            this.state = new State(received, new SmimeResult.None(), new EncryptionOutcome.NotEncrypted());
            this.current = received.entity();
        }

        State open() {
            Optional<Limit> limit = MimeStructure.check(received, limits, false);
            if (limit.isPresent()) {
                return unopened(received, limits.reason(limit.get()), state.encryption());
            }
            while (true) {
                EntityKind kind = classify(current);
                Optional<State> done;
                if (kind.encrypted() && state.encryption() instanceof EncryptionOutcome.NotEncrypted) {
                    done = decrypt();
                } else if (kind.signed() && !verified) {
                    done = verify(kind);
                } else if (kind == EntityKind.COMPRESSED && !expanded) {
                    done = expand();
                } else {
                    return state;
                }
                if (done.isPresent()) {
                    return done.get();
                }
            }
        }

        /**
         * An undecryptable message passes as it is: the original is kept for reprocessing. A signature verified
         * around the ciphertext proves only who sent the ciphertext: anyone can sign one they captured ("Re: What's
         * up Johnny?"), so a passing signature becomes {@code policy} once the text inside is shown.
         */
        private Optional<State> decrypt() {
            Decryption decryption = InboundPipeline.this.decrypt(current);
            if (!decryption.succeeded()) {
                return Optional.of(new State(state.message(), state.verdict(), decryption.outcome(),
                        state.harvest(), state.payloadHeaders()));
            }
            if (verified && state.verdict() instanceof SmimeResult.Pass pass) {
                state = new State(state.message(), new SmimeResult.Policy(SIGNED_CIPHERTEXT_ONLY, pass.signerInfo()),
                        state.encryption(), null, state.payloadHeaders());
            }
            return opened(decryption.entity(), state.verdict(), decryption.outcome(), decryption.protectedHeaders());
        }

        /**
         * Opaque signed-data is unwrapped. The content of multipart/signed stays inside its signature unless it is
         * itself a layer that is opened next (signature outside encryption or compression).
         */
        private Optional<State> verify(EntityKind kind) {
            verified = true;
            Verification verification = unambiguous(state.message(),
                    InboundPipeline.this.verify(state.message().withEntity(current), kind, at, revocationCheck));
            if (verification.content() == null) {
                return Optional.of(new State(state.message(), verification.result(), state.encryption(), null,
                        state.payloadHeaders()));
            }
            state = new State(state.message(), verification.result(), state.encryption(), verification.harvest(),
                    verification.protectedHeaders());
            if (kind == EntityKind.OPAQUE_SIGNED) {
                return opened(verification.content(), verification.result(), state.encryption(),
                        verification.protectedHeaders());
            }
            current = verification.content();
            return Optional.empty();
        }

        private Optional<State> expand() {
            expanded = true;
            Decompression decompression = decompressor.decompress(current);
            if (decompression.entity() == null) {
                return Optional.of(unopened(received, decompression.problem(), state.encryption()));
            }
            return opened(decompression.entity(), state.verdict(), state.encryption(),
                    decompression.protectedHeaders());
        }

        /**
         * Puts an opened layer's content in the message, unless that makes the message exceed a limit; its protected
         * fields are now the payload's.
         */
        private Optional<State> opened(RawMessage content, SmimeResult verdict, EncryptionOutcome encryption,
                ProtectedHeaders payloadHeaders) {
            RawMessage message = state.message().withEntity(content);
            Optional<Limit> limit = MimeStructure.check(message, limits, false);
            if (limit.isPresent()) {
                return Optional.of(unopened(received, limits.reason(limit.get()), encryption));
            }
            state = new State(message, verdict, encryption, verdict == state.verdict() ? state.harvest() : null,
                    payloadHeaders);
            current = content;
            return Optional.empty();
        }
    }

    private static EntityKind classify(RawMessage entity) {
        try {
            return EntityClassifier.classify(entity);
        } catch (RuntimeException | StackOverflowError e) {
            return EntityKind.OTHER;
        }
    }

    /** Last line of defence: whatever a parser throws for hostile input becomes a failed decryption. */
    private Decryption decrypt(RawMessage entity) {
        try {
            return decryptor.decrypt(entity);
        } catch (RuntimeException | StackOverflowError e) {
            LOG.warn("decryption failed unexpectedly", e);
            return new Decryption(new EncryptionOutcome.Failed(Decryptor.MALFORMED), null);
        }
    }

    /** Last line of defence: whatever a parser throws for hostile input becomes {@code permerror}. */
    private Verification verify(RawMessage message, EntityKind kind, Instant at, RevocationCheck revocationCheck) {
        try {
            return verifier.verify(message, kind, at, revocationCheck);
        } catch (RuntimeException | StackOverflowError e) {
            LOG.warn("verification failed unexpectedly", e);
            return new Verification(new SmimeResult.PermError(SignatureVerifier.MALFORMED), null);
        }
    }
}
