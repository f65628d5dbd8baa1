package org.smimegw.core.port;

import java.time.Instant;

/**
 * One line of the audit log.
 *
 * @param at when it happened
 * @param action what was done, e.g. {@code cert.import}, {@code key.delete}, {@code outbound}, {@code inbound}
 * @param subject what it was done to: a fingerprint, a message id, an address
 * @param decision the outcome, e.g. {@code imported}, {@code rejected}, {@code signed+encrypted}, {@code pass}
 * @param detail free text: a reason, the recipients; never key material
 */
public record AuditEvent(Instant at, String action, String subject, String decision, String detail) {
}
