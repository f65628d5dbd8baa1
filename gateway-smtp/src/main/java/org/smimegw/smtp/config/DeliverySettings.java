package org.smimegw.smtp.config;

import java.time.Duration;

/**
 * How the queue is delivered upstream, beyond the relay addresses and the retry schedule.
 *
 * @param outboundRelayTls {@code outbound.relay.tls}
 * @param inboundRelayTls {@code inbound.relay.tls}
 * @param connectTimeout {@code delivery.connect.timeout}
 * @param readTimeout {@code delivery.read.timeout}: the longest wait for one reply of the relay
 * @param workers {@code delivery.workers}: messages delivered at the same time by this process; {@code auto} is
 *                {@link #AUTO_WORKERS_PER_PROCESSOR} per available processor, at least {@link #MIN_AUTO_WORKERS}
 * @param leaseTime {@code delivery.lease.time}: how long a worker owns a message it delivers unless it renews the
 *                  lease (it does, every third of this, while the attempt lasts); after that (a dead node) another
 *                  worker may take it
 */
public record DeliverySettings(
        RelayTls outboundRelayTls,
        RelayTls inboundRelayTls,
        Duration connectTimeout,
        Duration readTimeout,
        int workers,
        Duration leaseTime) {

    /**
     * A worker mostly waits for the relay and the store. Measured on 2 processors (8 submitting connections, 10 KB):
     * 2 workers delivered 39 msg/s, 4 workers 58-70, 8 workers 98-103, 16 workers 101.
     */
    static final int AUTO_WORKERS_PER_PROCESSOR = 4;
    static final int MIN_AUTO_WORKERS = 4;

    /** The number of workers {@code auto} gives on this machine. */
    public static int autoWorkers() {
        return Math.max(MIN_AUTO_WORKERS, AUTO_WORKERS_PER_PROCESSOR * Runtime.getRuntime().availableProcessors());
    }

    /** The shortest {@code delivery.lease.time}: renewals every third of it stay a second or more apart. */
    static final Duration MIN_LEASE_TIME = Duration.ofSeconds(3);

    static Duration leaseTime(String key, String value) {
        Duration lease = ConfigValues.duration(key, value);
        if (lease.compareTo(MIN_LEASE_TIME) < 0) {
            throw new ConfigException(key + ": '" + value.trim() + "' is shorter than "
                    + MIN_LEASE_TIME.toSeconds() + "s (the lease is renewed every third of it)");
        }
        return lease;
    }

    static int workers(String key, String value) {
        return "auto".equalsIgnoreCase(value.trim()) ? autoWorkers() : ConfigValues.positiveInt(key, value);
    }
}
