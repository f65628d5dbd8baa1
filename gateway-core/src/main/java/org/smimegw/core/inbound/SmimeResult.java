package org.smimegw.core.inbound;

import java.util.Optional;

/**
 * The RFC 7281 {@code smime} verdict on a received message: exactly one of {@link Pass}, {@link Fail},
 * {@link Policy}, {@link None}, {@link PermError} or {@link TempError}. Immutable values.
 */
public sealed interface SmimeResult {

    /** The result keyword written after {@code smime=}. */
    String word();

    /** Why the result is not {@code pass}, when there is something to say. */
    Optional<String> reason();

    /** The signer the verdict is about, when its certificate was found. */
    Optional<Signer> signer();

    /** Whether the verdict lets the message through without keeping its original for reprocessing. */
    default boolean settled() {
        return this instanceof Pass || this instanceof None;
    }

    /** The signature is valid, the signer is trusted and valid at the processing time, and carries From. */
    record Pass(Signer signerInfo) implements SmimeResult {
        @Override
        public String word() {
            return "pass";
        }

        @Override
        public Optional<String> reason() {
            return Optional.empty();
        }

        @Override
        public Optional<Signer> signer() {
            return Optional.of(signerInfo);
        }
    }

    /** The signature does not verify: content changed, wrong key, embedded content differs. */
    record Fail(String why, Signer signerInfo) implements SmimeResult {
        @Override
        public String word() {
            return "fail";
        }

        @Override
        public Optional<String> reason() {
            return Optional.of(why);
        }

        @Override
        public Optional<Signer> signer() {
            return Optional.ofNullable(signerInfo);
        }
    }

    /** Cryptographically fine but not acceptable: untrusted, expired, weak algorithm, signer is not From. */
    record Policy(String why, Signer signerInfo) implements SmimeResult {
        @Override
        public String word() {
            return "policy";
        }

        @Override
        public Optional<String> reason() {
            return Optional.of(why);
        }

        @Override
        public Optional<Signer> signer() {
            return Optional.ofNullable(signerInfo);
        }
    }

    /** The message as a whole is not signed (even if an inner part is). */
    record None() implements SmimeResult {
        @Override
        public String word() {
            return "none";
        }

        @Override
        public Optional<String> reason() {
            return Optional.empty();
        }

        @Override
        public Optional<Signer> signer() {
            return Optional.empty();
        }
    }

    /**
     * The signature data is malformed, or the message could not be parsed or exceeds an input limit (ADR 13); in
     * the last two cases it is delivered as received.
     */
    record PermError(String why) implements SmimeResult {
        @Override
        public String word() {
            return "permerror";
        }

        @Override
        public Optional<String> reason() {
            return Optional.of(why);
        }

        @Override
        public Optional<Signer> signer() {
            return Optional.empty();
        }
    }

    /** A transient failure, e.g. the certificate store was unavailable; processing again may succeed. */
    record TempError(String why) implements SmimeResult {
        @Override
        public String word() {
            return "temperror";
        }

        @Override
        public Optional<String> reason() {
            return Optional.of(why);
        }

        @Override
        public Optional<Signer> signer() {
            return Optional.empty();
        }
    }
}
