package org.smimegw.smtp.server;

/**
 * What a listener does with a received message. Called on the session's thread at the end of DATA, before the
 * client gets its reply; several sessions call it concurrently, so implementations must be thread-safe.
 */
@FunctionalInterface
public interface ArrivalHandler {
    /**
     * Processes and durably queues the message. Returns normally: the listener answers
     * {@code 250 2.0.0 queued as <id>}. Throws {@link SmtpRefusal} for any other answer (e.g. {@code 550 5.7.1}
     * policy refusal, {@code 451 4.3.0} store failure). Any other exception is logged by the listener and answered
     * {@code 451 4.3.0 temporary failure, try again later}.
     */
    void handle(Arrival arrival) throws SmtpRefusal;
}
