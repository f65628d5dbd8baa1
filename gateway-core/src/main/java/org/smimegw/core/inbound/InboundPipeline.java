package org.smimegw.core.inbound;

import java.time.Instant;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smimegw.core.inbound.Decryptor.Decryption;
import org.smimegw.core.inbound.SignatureVerifier.Verification;
import org.smimegw.core.mime.RawMessage;
import org.smimegw.core.port.CertificateDirectory;
import org.smimegw.core.port.PrivateKeyRepository;
import org.smimegw.core.smime.CryptoProviders;
import org.smimegw.core.smime.Envelope;
import org.smimegw.core.smime.SmimeAlgorithms;

/**
 * The inbound pipeline (DESIGN §3): remove headers a sender could use to spoof our verdict, decrypt a top-level
 * enveloped message, verify a top-level signature, and annotate the result (DESIGN §6).
 *
 * <p>Only layers at the top of the message are opened: an enveloped part inside an unencrypted multipart is
 * never decrypted (that would make the gateway a decryption oracle), and a signed part inside an unsigned
 * message gives {@code none}. The two layer orders that clients produce are handled: encrypted around signed,
 * and signed around encrypted.
 *
 * <p>Every outcome is a value: malformed input gives {@code permerror} or a failed decryption, never an
 * exception. Reasons are fixed texts; what a parser or a store said goes to the log only. Thread-safe when the ports are; one instance serves every message.
 */
public final class InboundPipeline {
    private static final Logger LOG = LoggerFactory.getLogger(InboundPipeline.class);

    private final SpoofedHeaderFilter filter;
    private final Decryptor decryptor;
    private final SignatureVerifier verifier;
    private final Annotator annotator;

    /**
     * @param certificates stored certificates: trust anchors and the organisation's certificates
     * @param keys the organisation's private keys
     * @param algorithms which received algorithms are acceptable
     * @param authservId this gateway's authserv-id ({@code gateway.hostname})
     */
    public InboundPipeline(CertificateDirectory certificates, PrivateKeyRepository keys, SmimeAlgorithms algorithms,
            String authservId) {
        Objects.requireNonNull(authservId, "authservId");
        // idempotent; verification names the BC provider, so a pipeline must never run without it
        CryptoProviders.installBouncyCastle();
        Stores stores = new Stores(Objects.requireNonNull(certificates, "certificates"),
                Objects.requireNonNull(keys, "keys"));
        this.filter = new SpoofedHeaderFilter(authservId);
        this.decryptor = new Decryptor(stores);
        this.verifier = new SignatureVerifier(new SignerEvaluator(stores, new SignerTrust(stores),
                Objects.requireNonNull(algorithms, "algorithms")));
        this.annotator = new Annotator(authservId);
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
        RawMessage stripped = filter.strip(message);
        State state = new State(stripped, new SmimeResult.None(), new EncryptionOutcome.NotEncrypted());
        state = decryptTopLevel(state);
        if (!(state.encryption() instanceof EncryptionOutcome.Failed)) {
            state = verifyTopLevel(state, at);
        }
        boolean keep = state.encryption() instanceof EncryptionOutcome.Failed || !state.verdict().settled();
        RawMessage annotated = annotator.annotate(state.message(), state.verdict(), state.encryption());
        return new InboundResult(annotated, state.verdict(), state.encryption(), keep);
    }

    /** The message so far, between stages. */
    private record State(RawMessage message, SmimeResult verdict, EncryptionOutcome encryption) {
    }

    private State decryptTopLevel(State state) {
        if (!classify(state.message().entity()).encrypted()) {
            return state;
        }
        Decryption decryption = decrypt(state.message().entity());
        // an undecryptable message passes unchanged: the original is kept for reprocessing
        RawMessage message = decryption.succeeded() ? state.message().withEntity(decryption.entity()) : state.message();
        return new State(message, state.verdict(), decryption.outcome());
    }

    private State verifyTopLevel(State state, Instant at) {
        EntityKind kind = classify(state.message().entity());
        if (!kind.signed()) {
            return state;
        }
        Verification verification = unambiguous(state.message(), verify(state.message(), kind, at));
        if (verification.content() == null) {
            return new State(state.message(), verification.result(), state.encryption());
        }
        return afterSignature(state, kind, verification);
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
     * Opaque signed-data is unwrapped. Signed content that is itself enveloped (signature outside encryption)
     * is decrypted, once: a message already decrypted is not decrypted again.
     */
    private State afterSignature(State state, EntityKind kind, Verification verification) {
        RawMessage content = verification.content();
        boolean unwrap = kind == EntityKind.OPAQUE_SIGNED;
        if (state.encryption() instanceof EncryptionOutcome.NotEncrypted && classify(content).encrypted()) {
            Decryption decryption = decrypt(content);
            if (decryption.succeeded()) {
                return new State(state.message().withEntity(decryption.entity()), verification.result(),
                        decryption.outcome());
            }
            RawMessage message = unwrap ? state.message().withEntity(content) : state.message();
            return new State(message, verification.result(), decryption.outcome());
        }
        RawMessage message = unwrap ? state.message().withEntity(content) : state.message();
        return new State(message, verification.result(), state.encryption());
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
    private Verification verify(RawMessage message, EntityKind kind, Instant at) {
        try {
            return verifier.verify(message, kind, at);
        } catch (RuntimeException | StackOverflowError e) {
            LOG.warn("verification failed unexpectedly", e);
            return new Verification(new SmimeResult.PermError(SignatureVerifier.MALFORMED), null);
        }
    }
}
