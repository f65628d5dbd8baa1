package org.smimegw.smtp.config;

import java.time.Duration;

/**
 * How the queue is delivered upstream, beyond the relay addresses and the retry schedule.
 *
 * @param outboundRelayTls {@code outbound.relay.tls}
 * @param inboundRelayTls {@code inbound.relay.tls}
 * @param connectTimeout {@code delivery.connect.timeout}
 * @param readTimeout {@code delivery.read.timeout}: the longest wait for one reply of the relay
 * @param workers {@code delivery.workers}: messages delivered at the same time by this process
 * @param leaseTime {@code delivery.lease.time}: how long a worker owns a message it delivers; after that (a crashed
 *                  node) another worker may take it
 */
public record DeliverySettings(
        RelayTls outboundRelayTls,
        RelayTls inboundRelayTls,
        Duration connectTimeout,
        Duration readTimeout,
        int workers,
        Duration leaseTime) {
}
