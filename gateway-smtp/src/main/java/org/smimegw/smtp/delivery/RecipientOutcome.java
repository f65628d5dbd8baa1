package org.smimegw.smtp.delivery;

/**
 * The result of one delivery attempt for one recipient (docs/design.md §2.4 rule 4: an outcome is a value, not an
 * exception).
 */
public sealed interface RecipientOutcome {

    String address();

    Reply reply();

    /** The relay accepted the message for this recipient (2xx after DATA). */
    record Delivered(String address, Reply reply) implements RecipientOutcome {
    }

    /** Try again later: a 4xx, or no answer at all (connection, TLS, timeout). */
    record Temporary(String address, Reply reply) implements RecipientOutcome {
    }

    /** The relay refused this recipient for good (5xx): bounce. */
    record Permanent(String address, Reply reply) implements RecipientOutcome {
    }

    /** The outcome a reply stands for: 2xx delivered, 5xx permanent, anything else (4xx, local) temporary. */
    static RecipientOutcome of(String address, Reply reply) {
        if (reply.positive()) {
            return new Delivered(address, reply);
        }
        return reply.permanent() ? new Permanent(address, reply) : new Temporary(address, reply);
    }
}
