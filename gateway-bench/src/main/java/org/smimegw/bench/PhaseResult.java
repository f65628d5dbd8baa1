package org.smimegw.bench;

/**
 * What one load phase measured.
 *
 * @param name e.g. {@code outbound}, {@code outbound @ half load}
 * @param size the message size label
 * @param accepted messages the gateway answered 250 to in the measured period
 * @param refused messages it answered anything else to (in the whole phase)
 * @param delivered messages that reached the sink during the measured period
 * @param seconds length of the measured period
 * @param p50Millis median time from writing MAIL FROM to the reply to the final dot of DATA
 * @param p99Millis 99th percentile of the same
 * @param note anything the table should say about the phase
 * @param cpu cores busy on average during the measured period
 * @param work CPU time per message accepted in the measured period, from its start (with the queue empty) until the
 *        sink had every one of them: each message's intake, processing and delivery, nothing else's
 */
record PhaseResult(String name, String size, long accepted, long refused, long delivered, double seconds,
        double p50Millis, double p99Millis, String note, CpuSample.Use cpu, Work work) {

    /** Milliseconds of CPU per message: the whole JVM's, and the gateway's alone (without load generator and sink). */
    record Work(double jvmMillis, double gatewayMillis) {
        static Work between(CpuSample start, CpuSample end, long messages) {
            return messages == 0 ? new Work(Double.NaN, Double.NaN)
                    : new Work(1000 * end.jvmSecondsSince(start) / messages,
                            1000 * end.gatewaySecondsSince(start) / messages);
        }
    }

    double deliveredPerSecond() {
        return seconds > 0 ? delivered / seconds : Double.NaN;
    }

    double acceptedPerSecond() {
        return seconds > 0 ? accepted / seconds : Double.NaN;
    }
}
