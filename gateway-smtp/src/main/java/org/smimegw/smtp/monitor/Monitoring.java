package org.smimegw.smtp.monitor;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;

import org.smimegw.core.port.CertificateDirectory;
import org.smimegw.core.port.PrivateKeyRepository;
import org.smimegw.core.queue.Direction;
import org.smimegw.core.queue.MessageQueue;
import org.smimegw.core.queue.QueueStats;
import org.smimegw.smtp.config.HostPort;

import com.sun.net.httpserver.HttpHandler;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The gateway's metrics, health and certificate-expiry watch; one per {@code Gateway}. It owns a Prometheus meter
 * registry, counts what the intake and the delivery workers report ({@link MessageEvents}), reads the queue and the
 * organisation certificates through caches (the store is read at most once per {@link #STORE_READS} however often
 * Prometheus scrapes), and hands the admin HTTP server its handlers: {@link #metricsHandler} for {@code /metrics} and
 * {@link #healthHandler} for {@code /health}. Every metric is described in {@code docs/monitoring.md}.
 *
 * <p>Call order: create, then {@link #startExpiryWatch} when the relay runs, {@link #stopExpiryWatch} when it stops,
 * {@link #close} at the end. Thread-safe.
 */
public final class Monitoring implements MessageEvents, AutoCloseable {
    /** How old the cached queue counts and certificate list may be when a scrape reads them. */
    static final Duration STORE_READS = Duration.ofSeconds(5);
    /** The longest {@code /health} waits for the store to answer. */
    static final Duration STORE_PROBE_TIMEOUT = Duration.ofSeconds(2);
    /** Histogram buckets of the processing and delivery timers. */
    private static final Duration[] BUCKETS = {Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100),
        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
        Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60)};

    /** The # HELP text of each counter. */
    private static final Map<String, String> COUNTERS = Map.of(
            "smimegw.intake.messages", "messages at the end of DATA, by direction and outcome",
            "smimegw.inbound.verdicts", "inbound messages queued, by smime verdict and encryption outcome",
            "smimegw.outbound.treatments", "outbound messages queued, by whether they were signed and encrypted",
            "smimegw.delivery.recipients", "recipients delivered, deferred or bounced by delivery attempts",
            "smimegw.messages.finished", "messages that left the queue's delivery, by final result");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Clock clock;
    private final int warningDays;
    private final OrgCertificates org;
    private final CertificateGauges certificateGauges;
    private final StoreProbe storeProbe;
    private final Health health;
    private ExpiryWatch watch;

    /**
     * @param storeReachable true when the store answers a cheap query; it may block, {@code /health} bounds it
     * @param relays the relay address of each direction ({@code outbound.relay}, {@code inbound.relay})
     * @param healthGrace {@code admin.health.grace}
     * @param warningDays {@code cert.expiry.warning.days}
     */
    public Monitoring(MessageQueue queue, CertificateDirectory certificates, PrivateKeyRepository keys,
            BooleanSupplier storeReachable, Map<Direction, HostPort> relays, Duration healthGrace, int warningDays,
            Clock clock) {
        this.clock = clock;
        this.warningDays = warningDays;
        this.org = new OrgCertificates(certificates, keys);
        this.storeProbe = new StoreProbe(storeReachable, STORE_PROBE_TIMEOUT);
        this.health = new Health(storeProbe, relays, healthGrace, clock);
        QueueGauges.register(registry, new Cached<QueueStats>("the queue", queue::stats, STORE_READS, clock), clock);
        this.certificateGauges = new CertificateGauges(registry, new Cached<List<OrgCertificates.Status>>(
                "the organisation certificates", () -> org.statuses(clock.instant(), warningDays), STORE_READS, clock),
                clock);
        for (Direction direction : Direction.values()) {
            for (String outcome : List.of(QUEUED, REFUSED, DEFERRED, UNPROCESSED)) {
                counter("smimegw.intake.messages", "direction", direction.word(), "outcome", outcome);
            }
            for (String result : List.of("delivered", "bounced", "partial", "held")) {
                counter("smimegw.messages.finished", "direction", direction.word(), "result", result);
            }
            Gauge.builder("smimegw.upstream.reachable", health, h -> h.relayReachable(direction))
                    .description("1 while the relay of the direction counts as reachable (from delivery attempts)")
                    .tags("relay", direction.word()).strongReference(true).register(registry);
        }
    }

    /** The Prometheus text (format 0.0.4) of every metric, with the certificate rows brought up to date. */
    public String scrape() {
        certificateGauges.refresh();
        return registry.scrape(MetricsHandler.CONTENT_TYPE);
    }

    /** Serves {@code /metrics}. */
    public HttpHandler metricsHandler() {
        return new MetricsHandler(this::scrape);
    }

    /** Serves {@code /health}, {@code /health/live} and {@code /health/ready}; mount it on the context /health. */
    public HttpHandler healthHandler() {
        return new HealthHandler(health);
    }

    /** What the intake and the delivery workers report to. */
    public MessageEvents events() {
        return this;
    }

    /** Checks the organisation certificates for expiry now and then every hour, on a thread of its own. */
    public synchronized void startExpiryWatch() {
        if (watch != null) {
            return;
        }
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "cert-expiry-watch");
            thread.setDaemon(true);
            return thread;
        });
        watch = new ExpiryWatch(org, warningDays, clock);
        watch.start(executor);
    }

    public synchronized void stopExpiryWatch() {
        if (watch != null) {
            watch.close();
            watch = null;
        }
    }

    @Override
    public void processed(Direction direction, Duration took) {
        timer("smimegw.processing", "time the pipeline took over one message", "direction", direction.word())
                .record(took);
    }

    @Override
    public void inboundVerdict(String smime, String encryption) {
        counter("smimegw.inbound.verdicts", "smime", smime, "encryption", encryption).increment();
    }

    @Override
    public void outboundTreatment(boolean signed, boolean encrypted) {
        counter("smimegw.outbound.treatments", "signed", signed ? "yes" : "no", "encrypted",
                encrypted ? "yes" : "no").increment();
    }

    @Override
    public void intake(Direction direction, String outcome) {
        counter("smimegw.intake.messages", "direction", direction.word(), "outcome", outcome).increment();
    }

    @Override
    public void attempt(Direction direction, String result, Duration took) {
        timer("smimegw.delivery.attempt", "delivery attempts and their time", "direction", direction.word(),
                "result", result).record(took);
    }

    @Override
    public void recipients(Direction direction, String result, int count) {
        counter("smimegw.delivery.recipients", "direction", direction.word(), "result", result)
                .increment(count);
    }

    @Override
    public void finished(Direction direction, String result) {
        counter("smimegw.messages.finished", "direction", direction.word(), "result", result).increment();
    }

    @Override
    public void relay(Direction direction, HostPort address, boolean reachable) {
        health.relay(direction, address, reachable);
    }

    private Counter counter(String name, String... tags) {
        return Counter.builder(name).description(COUNTERS.get(name)).tags(tags).register(registry);
    }

    private Timer timer(String name, String description, String... tags) {
        return Timer.builder(name).description(description).tags(tags).serviceLevelObjectives(BUCKETS)
                .register(registry);
    }

    /** Stops the expiry watch and the store probe, and closes the registry. */
    @Override
    public void close() {
        stopExpiryWatch();
        storeProbe.close();
        registry.close();
    }
}
