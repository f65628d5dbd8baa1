package org.smimegw.core.outbound;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outbound policy of docs/design.md §6.1 and §11: the default modes, the rules by recipient and by sender, and
 * the Subject trigger. {@link #encryption} and {@link #signing} say, for one address, which mode applies and why.
 * Immutable and thread-safe.
 *
 * @param signDefault {@code outbound.sign}
 * @param encryptDefault {@code outbound.encrypt}
 * @param encryptRequiredFor {@code outbound.encrypt.required.for}: recipients always encrypted to
 * @param encryptNeverFor {@code outbound.encrypt.never.for}: recipients never encrypted to
 * @param signNeverFor {@code outbound.sign.never.for}: senders (From) whose mail is never signed
 * @param subjectTrigger {@code outbound.encrypt.subject.trigger}: text in the Subject that makes encryption required
 */
public record OutboundPolicy(PolicyMode signDefault, PolicyMode encryptDefault, AddressRules encryptRequiredFor,
        AddressRules encryptNeverFor, AddressRules signNeverFor, Optional<String> subjectTrigger) {

    /**
     * @throws IllegalArgumentException when an entry is both in {@code encryptRequiredFor} and in
     *     {@code encryptNeverFor}, which makes neither more specific
     */
    public OutboundPolicy {
        Objects.requireNonNull(signDefault, "signDefault");
        Objects.requireNonNull(encryptDefault, "encryptDefault");
        List<String> both = new ArrayList<>(encryptRequiredFor.entries());
        both.retainAll(encryptNeverFor.entries());
        if (!both.isEmpty()) {
            throw new IllegalArgumentException(String.join(", ", both) + " cannot be both required and never");
        }
        subjectTrigger = subjectTrigger.map(String::trim).filter(trigger -> !trigger.isEmpty());
    }

    /** Only the defaults: no rules, no trigger. */
    public static OutboundPolicy of(PolicyMode signDefault, PolicyMode encryptDefault) {
        return new OutboundPolicy(signDefault, encryptDefault, AddressRules.NONE, AddressRules.NONE,
                AddressRules.NONE, Optional.empty());
    }

    /** A mode and what decided it, in the words of the configuration or the message. */
    public record Decision(PolicyMode mode, String because) {
    }

    /**
     * The encryption mode for one recipient: a per-message override (control header or Subject trigger) when
     * there is one, else the most specific rule (an address beats its domain, a subdomain its parent), else the
     * default.
     */
    public Decision encryption(String recipient, Optional<Decision> messageOverride) {
        if (messageOverride.isPresent()) {
            return messageOverride.get();
        }
        Optional<String> required = encryptRequiredFor.match(recipient);
        Optional<String> never = encryptNeverFor.match(recipient);
        if (required.isPresent() && (never.isEmpty()
                || AddressRules.specificity(required.get()) > AddressRules.specificity(never.get()))) {
            return new Decision(PolicyMode.REQUIRED, "outbound.encrypt.required.for=" + required.get());
        }
        if (never.isPresent()) {
            return new Decision(PolicyMode.NEVER, "outbound.encrypt.never.for=" + never.get());
        }
        return new Decision(encryptDefault, "outbound.encrypt=" + encryptDefault.word());
    }

    /** The signing mode for the sender: the control header when there is one, else the rules, else the default. */
    public Decision signing(String from, Optional<Decision> messageOverride) {
        if (messageOverride.isPresent()) {
            return messageOverride.get();
        }
        Optional<String> never = from == null ? Optional.empty() : signNeverFor.match(from);
        if (never.isPresent()) {
            return new Decision(PolicyMode.NEVER, "outbound.sign.never.for=" + never.get());
        }
        return new Decision(signDefault, "outbound.sign=" + signDefault.word());
    }
}
