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
 */
record PhaseResult(String name, String size, long accepted, long refused, long delivered, double seconds,
        double p50Millis, double p99Millis, String note, CpuSample.Use cpu) {

    double deliveredPerSecond() {
        return seconds > 0 ? delivered / seconds : Double.NaN;
    }

    double acceptedPerSecond() {
        return seconds > 0 ? accepted / seconds : Double.NaN;
    }
}
