package org.smimegw.smtp;

import java.lang.management.ManagementFactory;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smimegw.core.queue.Direction;
import org.smimegw.smtp.config.GatewayConfig;
import org.smimegw.smtp.delivery.DeliveryService;
import org.smimegw.smtp.delivery.RetrySchedule;
import org.smimegw.smtp.delivery.SmtpUpstream;
import org.smimegw.smtp.monitor.Monitoring;
import org.smimegw.smtp.server.ListenerConfig;
import org.smimegw.smtp.server.SmtpListener;

/**
 * The running relay: the outbound and inbound listeners feeding the queue, and the delivery workers draining it.
 * {@link #close} stops it gracefully: listeners first (no new connections, transactions in DATA finish), then the
 * workers; whatever is not delivered stays queued for the next start.
 */
public final class Relay implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Relay.class);
    /** How long in-flight SMTP transactions and deliveries may take to finish on shutdown. */
    static final Duration STOP_GRACE = Duration.ofSeconds(20);
    private static final SecureRandom NODE_SUFFIX = new SecureRandom();

    private final DeliveryService delivery;
    private final SmtpListener outbound;
    private final SmtpListener inbound;
    private final Monitoring monitoring;

    private Relay(DeliveryService delivery, SmtpListener outbound, SmtpListener inbound, Monitoring monitoring) {
        this.delivery = delivery;
        this.outbound = outbound;
        this.inbound = inbound;
        this.monitoring = monitoring;
    }

    /** Starts the workers and both listeners on the configured addresses. */
    public static Relay start(Gateway gateway, Clock clock) {
        GatewayConfig config = gateway.config();
        return start(gateway, clock, ListenerConfig.of(config, Direction.OUTBOUND),
                ListenerConfig.of(config, Direction.INBOUND));
    }

    /** Starts with the given listener configurations (tests bind port 0). */
    public static Relay start(Gateway gateway, Clock clock, ListenerConfig outboundListener,
            ListenerConfig inboundListener) {
        GatewayConfig config = gateway.config();
        Monitoring monitoring = gateway.monitoring();
        String nodeId = nodeId(config);
        DeliveryService delivery = new DeliveryService(config, gateway.queue(), gateway.audit(), clock, nodeId,
                new SmtpUpstream(config.hostname(), config.delivery()), monitoring.events());
        QueueIntake intake = gateway.intake(delivery::wakeUp);
        SmtpListener outbound = new SmtpListener(outboundListener, intake, clock, gateway.spool());
        SmtpListener inbound = new SmtpListener(inboundListener, intake, clock, gateway.spool());
        outbound.start();
        try {
            inbound.start();
        } catch (RuntimeException e) {
            outbound.stop(Duration.ZERO);
            throw e;
        }
        delivery.start();
        monitoring.startExpiryWatch();
        Relay relay = new Relay(delivery, outbound, inbound, monitoring);
        LOG.info("smime-gateway running: outbound {}:{} -> {} (tls {}), inbound {}:{} -> {} (tls {}), store {}, "
                        + "{} certificates, {} keys, STARTTLS {}, AUTH {}, {} workers as node {} (lease {}), "
                        + "crypto: {}",
                outboundListener.listen().host(), outbound.port(), config.outboundRelay(),
                config.delivery().outboundRelayTls().word(),
                inboundListener.listen().host(), inbound.port(), config.inboundRelay(),
                config.delivery().inboundRelayTls().word(), gateway.storeDescription(),
                gateway.certificates().all().size(), gateway.keys().certificateFingerprints().size(),
                config.tlsCertificate().isPresent() ? (config.listeners().tlsRequired() ? "required" : "on") : "off",
                config.listeners().authUsersFile().isPresent() ? "on" : "off", config.delivery().workers(), nodeId,
                RetrySchedule.format(config.delivery().leaseTime()), CryptoSetup.providerSummary());
        PolicyWarnings.of(config, gateway.certificates(), gateway.keys(), clock.instant()).forEach(LOG::warn);
        return relay;
    }

    public int outboundPort() {
        return outbound.port();
    }

    public int inboundPort() {
        return inbound.port();
    }

    /** Wakes the delivery workers, e.g. after a command changed the queue. */
    public void wakeUp() {
        delivery.wakeUp();
    }

    @Override
    public void close() {
        outbound.stop(STOP_GRACE);
        inbound.stop(STOP_GRACE);
        if (!delivery.stop(STOP_GRACE)) {
            LOG.warn("delivery workers still busy after {}s; their messages stay queued and are retried when "
                    + "their lease ends", STOP_GRACE.toSeconds());
        }
        monitoring.stopExpiryWatch();
        LOG.info("smime-gateway stopped; undelivered messages stay queued");
    }

    /**
     * Names this process among the nodes on one store: its leases are {@code nodeId-worker}, shown by queue show.
     * Host name and PID tell an operator where it runs; the random part keeps two starts apart that share both
     * (nodes share {@code gateway.hostname}, and in containers java is PID 1 everywhere), so that one never renews
     * or finishes a lease the other holds.
     */
    private static String nodeId(GatewayConfig config) {
        return config.hostname() + "/" + ManagementFactory.getRuntimeMXBean().getPid() + "/"
                + Integer.toString(NODE_SUFFIX.nextInt(36 * 36 * 36 * 36), 36);
    }
}
