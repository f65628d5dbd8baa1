package org.smimegw.bench;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

import org.smimegw.core.queue.Direction;
import org.smimegw.smtp.sink.Delivery;
import org.smimegw.smtp.sink.SmtpSink;

/**
 * What a message that reached the sink counts as: the direction it was delivered in when it looks as it should
 * (outbound: S/MIME enveloped, to the contact; inbound: {@code smime=pass} and decrypted, to the organisation),
 * nothing otherwise (a bounce, a failed verification). Throughput is measured at the sink, where messages leave the
 * gateway.
 */
final class DeliveryCheck {
    private DeliveryCheck() {
    }

    /** A sink on a free loopback port that counts what it accepts with {@link #direction}. */
    static SmtpSink sink() {
        return SmtpSink.builder().countBy(DeliveryCheck::direction).start();
    }

    /** Messages delivered in this direction so far that looked as they should. */
    static long delivered(SmtpSink sink, Direction direction) {
        return sink.accepted().getOrDefault(direction.word(), 0);
    }

    /**
     * Waits until {@code count} messages have been delivered in this direction.
     *
     * @return false when the timeout passed first
     */
    static boolean awaitDelivered(SmtpSink sink, Direction direction, long count, Duration timeout)
            throws InterruptedException {
        return sink.await(accepted -> accepted.getOrDefault(direction.word(), 0) >= count, timeout);
    }

    /** The first message that was not what the gateway should deliver, for the report. */
    static String firstUnexpected(SmtpSink sink) {
        return sink.firstWithoutKey().map(d -> "to " + d.lastRecipient() + ":\n" + d.headers().toLowerCase(Locale.ROOT))
                .orElse(null);
    }

    static Optional<String> direction(Delivery delivery) {
        String headers = delivery.headers().toLowerCase(Locale.ROOT);
        String to = delivery.lastRecipient().toLowerCase(Locale.ROOT);
        if (to.equals(BenchIdentities.CONTACT) && headers.contains("application/pkcs7-mime")) {
            return Optional.of(Direction.OUTBOUND.word());
        }
        if (to.equals(BenchIdentities.ORG) && headers.contains("smime=pass")
                && headers.contains("x-smime-encryption: decrypted")) {
            return Optional.of(Direction.INBOUND.word());
        }
        return Optional.empty();
    }
}
