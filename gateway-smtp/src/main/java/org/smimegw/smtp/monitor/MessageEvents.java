package org.smimegw.smtp.monitor;

import java.time.Duration;

import org.smimegw.core.queue.Direction;
import org.smimegw.smtp.config.HostPort;

/**
 * What the intake and the delivery workers report as messages pass through: {@link Monitoring} counts it in the
 * metrics and the upstream health. Every method does nothing by default ({@link #NONE}), so a command that does not
 * monitor need not care. Implementations are thread-safe and never throw.
 */
public interface MessageEvents {

    /** Reports nowhere: for commands and tests that do not monitor. */
    MessageEvents NONE = new MessageEvents() {
    };

    /** Outcome words of {@link #intake}. */
    String QUEUED = "queued";
    String REFUSED = "refused";
    String DEFERRED = "deferred";
    String UNPROCESSED = "unprocessed";

    /** The pipeline of {@code direction} took this long over one message, whatever it decided. */
    default void processed(Direction direction, Duration took) {
    }

    /** An inbound message was queued with these verdicts ({@code smime=} word and encryption word). */
    default void inboundVerdict(String smime, String encryption) {
    }

    /** An outbound message was queued signed and/or encrypted, or neither. */
    default void outboundTreatment(boolean signed, boolean encrypted) {
    }

    /**
     * What became of a message at the end of DATA: {@link #QUEUED}, {@link #REFUSED} (5xx), {@link #DEFERRED}
     * (451, the client tries again) or {@link #UNPROCESSED} (kept as received, ADR 14).
     */
    default void intake(Direction direction, String outcome) {
    }

    /**
     * One delivery attempt ended.
     *
     * @param result {@code delivered} (every recipient tried accepted), {@code deferred} (some recipient stays
     *               pending), {@code bounced} (some recipient given up, none pending) or {@code failed} (the attempt
     *               ended with an exception)
     */
    default void attempt(Direction direction, String result, Duration took) {
    }

    /** {@code count} recipients got this result in one attempt: {@code delivered}, {@code deferred} or {@code bounced}. */
    default void recipients(Direction direction, String result, int count) {
    }

    /** A message left the delivery queue's hands: {@code delivered}, {@code bounced}, {@code partial} or {@code held}. */
    default void finished(Direction direction, String result) {
    }

    /**
     * A delivery attempt found the relay of {@code direction} reachable (it answered with an SMTP reply other than
     * 421) or not (no connection, a timeout, no reply, or 421).
     */
    default void relay(Direction direction, HostPort address, boolean reachable) {
    }
}
