package org.smimegw.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.smimegw.core.queue.Direction;
import org.smimegw.core.revocation.RevocationMode;
import org.smimegw.smtp.sink.SmtpSink;

/**
 * One run of the load benchmark: for each size and direction a closed-loop phase (warm-up, then the measured
 * period, then waiting until the sink has every accepted message), the half-load phase after outbound 10KB, the
 * revocation comparison ({@link #revocationSuffix}), and then the openssl ceilings (after the gateway has stopped, so
 * they have the machine to themselves).
 */
final class LoadRun {
    static final int TEN_KB = 10 * 1024;
    /**
     * The name of a phase of the revocation comparison: the same 10KB phase on fresh gateways, each on an empty store,
     * after the other phases have warmed the JIT. Round 0 ({@code off}) only lets the machine settle: the first fresh
     * gateway after the main phases ran up to 40 % slower than the next, whatever its mode, and is not compared. Then
     * soft, off, off, soft (rounds 1 and 2 of each): the mirrored order cancels what a phase gains or loses from
     * coming later.
     */
    static String revocationSuffix(RevocationMode mode, int round) {
        return " (fresh " + round + ", revocation.check=" + mode.word() + ")";
    }
    private static final Duration DRAIN = Duration.ofMinutes(10);
    /** Progress lines start with the time of day (UTC), so that a JFR recording can be cut to one phase. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    /** The shortest JIT warm-up per direction: on 2 cores, phases of 10 s kept getting faster for a minute. */
    private static final Duration JIT_WARM_UP = Duration.ofSeconds(30);
    /** How often the single large message and its openssl counterpart are timed; the median counts. */
    private static final int LARGE_RUNS = 3;

    /**
     * What to run; a zero {@code opensslTime} skips the openssl ceilings; {@code lockStep} makes the clients wait for
     * each reply instead of pipelining.
     */
    record Settings(int connections, List<MessageSize> sizes, List<Direction> directions, Span warmUp, Span measure,
            boolean quick, Duration opensslTime, int nodes, Optional<BenchCluster.PostgresServer> postgres,
            boolean lockStep) {
    }

    private final Settings settings;
    private final PrintWriter progress;
    private final Clock clock = Clock.systemUTC();

    LoadRun(Settings settings, PrintWriter progress) {
        this.settings = settings;
        this.progress = progress;
    }

    BenchReport run() throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        String loadBefore = JvmFacts.loadAverage();
        say("generating RSA-2048 certificates for the organisation and a contact");
        BenchIdentities parties = BenchIdentities.generate(clock.instant());
        List<PhaseResult> phases = new ArrayList<>();
        List<String> jvm = new ArrayList<>();
        long accepted = 0;
        long delivered;
        long unexpected;
        Optional<MessageSize> largest;
        Optional<Double> largeSeconds = Optional.empty();
        try (SmtpSink sink = DeliveryCheck.sink();
                BenchCluster gateway = BenchCluster.start(parties, sink.port(), clock, settings.nodes(),
                        settings.postgres(), RevocationMode.SOFT)) {
            jvm.add("JVM: " + JvmFacts.java() + ", max heap " + JvmFacts.maxHeap() + " (options: "
                    + JvmFacts.options() + "), " + cores + " cores");
            jvm.add("crypto: " + gateway.first().crypto() + "; first providers: " + JvmFacts.firstProviders(5));
            jvm.add("gateway: " + gateway.description() + ", connections spread evenly over the nodes, sink on"
                    + " loopback");
            jvm.forEach(this::say);
            if (!settings.quick()) {
                accepted += warmUpJit(sink, gateway, parties);
            }
            for (MessageSize size : settings.sizes()) {
                for (Direction direction : settings.directions()) {
                    byte[] message = message(parties, direction, size);
                    Measured measured = closedLoopPhase(sink, gateway, direction.word(), direction, size, message);
                    phases.add(measured.phase());
                    accepted += measured.acceptedTotal();
                    if (direction == Direction.OUTBOUND && size.bytes() == TEN_KB) {
                        PhaseResult half = halfLoad(sink, gateway, size, message,
                                measured.phase().deliveredPerSecond());
                        phases.add(half);
                        accepted += half.accepted();
                    }
                }
            }
            largest = largestOutbound();
            if (largest.isPresent()) {
                byte[] message = message(parties, Direction.OUTBOUND, largest.get());
                largeSeconds = Optional.of(singleMessageSeconds(sink, gateway, message));
                accepted += LARGE_RUNS;
            }
            delivered = DeliveryCheck.delivered(sink, Direction.OUTBOUND)
                    + DeliveryCheck.delivered(sink, Direction.INBOUND);
            unexpected = sink.withoutKey();
            if (unexpected > 0) {
                say("unexpected at the sink (" + unexpected + "), the first: " + DeliveryCheck.firstUnexpected(sink));
            }
        }
        List<RevocationMode> order = List.of(RevocationMode.OFF, RevocationMode.SOFT, RevocationMode.OFF,
                RevocationMode.OFF, RevocationMode.SOFT);
        for (int run = 0; run < order.size(); run++) {
            RevocationMode mode = order.get(run);
            try (SmtpSink sink = DeliveryCheck.sink();
                    BenchCluster gateway = BenchCluster.start(parties, sink.port(), clock, settings.nodes(),
                            settings.postgres(), mode)) {
                MessageSize tenKb = MessageSize.parse("10KB");
                for (Direction direction : settings.directions()) {
                    Measured measured = closedLoopPhase(sink, gateway, direction.word() + revocationSuffix(mode,
                                    run == 0 ? 0 : run < 3 ? 1 : 2),
                            direction, tenKb, message(parties, direction, tenKb));
                    phases.add(measured.phase());
                    accepted += measured.acceptedTotal();
                }
                delivered += DeliveryCheck.delivered(sink, Direction.OUTBOUND)
                        + DeliveryCheck.delivered(sink, Direction.INBOUND);
                unexpected += sink.withoutKey();
            }
        }
        jvm.add("machine load average (1 / 5 / 15 min): " + loadBefore + " at start, " + JvmFacts.loadAverage()
                + " after the SMTP phases (more than the core count means other processes competed)");
        jvm.add("peak RSS of this JVM (VmHWM, gateway and load generator together): " + JvmFacts.peakRssMiB() + " MiB");
        Optional<Double> signs = Optional.empty();
        Optional<Double> filter = Optional.empty();
        if (!settings.opensslTime().isZero()) {
            OpensslCeilings openssl = new OpensslCeilings(cores);
            signs = measure("openssl speed rsa2048", () -> openssl.rsa2048SignsPerSecond(settings.opensslTime()));
            filter = measure("openssl filter", () -> openssl.filterMessagesPerSecond(parties,
                    BenchMessages.plain(BenchIdentities.ORG, BenchIdentities.CONTACT, TEN_KB).toBytes().toByteArray(),
                    settings.opensslTime()));
        }
        Optional<BenchReport.LargeMessage> large = Optional.empty();
        if (largeSeconds.isPresent()) {
            byte[] message = message(parties, Direction.OUTBOUND, largest.get());
            Optional<Double> openssl = settings.opensslTime().isZero() ? Optional.empty()
                    : measure("openssl filter on one " + largest.get() + " message",
                            () -> new OpensslCeilings(cores).filterSeconds(parties, message, LARGE_RUNS));
            large = Optional.of(new BenchReport.LargeMessage(largest.get().label(), largeSeconds.get(), openssl));
        }
        String setting = String.format(Locale.ROOT, "%d cores, %d %s connections per phase, %s", cores,
                settings.connections(), settings.lockStep() ? "lock-step" : "pipelining",
                settings.quick() ? "quick mode (a few messages per connection)"
                        : "warm-up " + settings.warmUp().time().toSeconds() + " s, measured "
                                + settings.measure().time().toSeconds() + " s per phase");
        return new BenchReport(setting, cores, List.copyOf(phases), signs, filter, large,
                "cms -sign \\| cms -encrypt per 10KB message, " + cores + " workers", accepted, delivered,
                unexpected, jvm);
    }

    /**
     * 10KB messages in each direction for {@link #JIT_WARM_UP} (or one measured period when longer), not reported:
     * the JIT compiles the hot paths here and not during the first phase, which ran up to twice as slow as the same
     * phase on a later gateway without this.
     *
     * @return the messages accepted
     */
    private long warmUpJit(SmtpSink sink, BenchCluster gateway, BenchIdentities parties) throws IOException,
            InterruptedException {
        long accepted = 0;
        MessageSize tenKb = MessageSize.parse("10KB");
        Span warmUp = Span.of(JIT_WARM_UP.compareTo(settings.measure().time()) > 0 ? JIT_WARM_UP
                : settings.measure().time());
        for (Direction direction : settings.directions()) {
            say("warming up the JIT: " + direction.word() + " 10KB for " + warmUp.time().toSeconds() + " s");
            long before = DeliveryCheck.delivered(sink, direction);
            try (LoadDriver driver = driver(gateway, direction, message(parties, direction, tenKb))) {
                driver.closedLoop(warmUp);
                drain(sink, direction, before + driver.acceptedTotal());
                accepted += driver.acceptedTotal();
            }
        }
        return accepted;
    }

    /** The largest outbound size of the run, when it is at least 1 MB (quick runs skip it). */
    private Optional<MessageSize> largestOutbound() {
        if (settings.quick() || !settings.directions().contains(Direction.OUTBOUND)) {
            return Optional.empty();
        }
        return settings.sizes().stream().filter(size -> size.bytes() >= 1024 * 1024)
                .max(Comparator.comparingInt(MessageSize::bytes));
    }

    /**
     * One message at a time over one session, from writing {@code MAIL FROM} until the sink has it signed and
     * encrypted, {@value #LARGE_RUNS} times; the median seconds.
     */
    private double singleMessageSeconds(SmtpSink sink, BenchCluster gateway, byte[] message) throws IOException,
            InterruptedException {
        double[] seconds = new double[LARGE_RUNS];
        try (LoadDriver driver = new LoadDriver(gateway.ports(Direction.OUTBOUND), BenchIdentities.ORG,
                BenchIdentities.CONTACT, message, 1, !settings.lockStep())) {
            for (int i = 0; i < LARGE_RUNS; i++) {
                long before = DeliveryCheck.delivered(sink, Direction.OUTBOUND);
                long start = System.nanoTime();
                driver.paced(1, 1);
                drain(sink, Direction.OUTBOUND, before + 1);
                seconds[i] = (System.nanoTime() - start) / 1e9;
            }
        }
        say(String.format(Locale.ROOT, "one %d-byte outbound message end to end: %s s (median of %d)",
                message.length, BenchReport.number(OpensslCeilings.median(seconds)), LARGE_RUNS));
        return OpensslCeilings.median(seconds);
    }

    private static byte[] message(BenchIdentities parties, Direction direction, MessageSize size) {
        return direction == Direction.OUTBOUND
                ? BenchMessages.plain(BenchIdentities.ORG, BenchIdentities.CONTACT, size.bytes()).toBytes()
                        .toByteArray()
                : BenchMessages.inbound(parties, size.bytes(), java.time.Instant.now()).toBytes().toByteArray();
    }

    /** A closed-loop phase and how many messages it got accepted in all (warm-up included). */
    private record Measured(PhaseResult phase, long acceptedTotal) {
    }

    private Measured closedLoopPhase(SmtpSink sink, BenchCluster gateway, String name, Direction direction,
            MessageSize size, byte[] message) throws IOException, InterruptedException {
        long before = DeliveryCheck.delivered(sink, direction);
        try (LoadDriver driver = driver(gateway, direction, message)) {
            driver.closedLoop(settings.warmUp());
            // the measured period starts on an empty queue, so the CPU time until its messages are delivered is theirs
            drain(sink, direction, before + driver.acceptedTotal());
            long startDelivered = DeliveryCheck.delivered(sink, direction);
            CpuSample cpu = CpuSample.now(harness(sink, driver));
            long start = System.nanoTime();
            LoadDriver.Stage stage = driver.closedLoop(settings.measure());
            double seconds = (System.nanoTime() - start) / 1e9;
            long inWindow = DeliveryCheck.delivered(sink, direction) - startDelivered;
            CpuSample end = CpuSample.now(harness(sink, driver));
            drain(sink, direction, before + driver.acceptedTotal());
            PhaseResult.Work work = PhaseResult.Work.between(cpu, CpuSample.now(harness(sink, driver)),
                    stage.accepted());
            PhaseResult result = result(name, size, stage, inWindow, seconds, driver, end.since(cpu), work);
            return new Measured(result, driver.acceptedTotal());
        }
    }

    private PhaseResult halfLoad(SmtpSink sink, BenchCluster gateway, MessageSize size, byte[] message,
            double peak) throws IOException, InterruptedException {
        double rate = Math.max(0.5, peak / 2);
        long total = settings.quick() ? 10 : Math.max(1, Math.round(rate * settings.measure().time().toSeconds()));
        long before = DeliveryCheck.delivered(sink, Direction.OUTBOUND);
        try (LoadDriver driver = driver(gateway, Direction.OUTBOUND, message)) {
            CpuSample cpu = CpuSample.now(harness(sink, driver));
            long start = System.nanoTime();
            LoadDriver.Stage stage = driver.paced(rate, total);
            double seconds = (System.nanoTime() - start) / 1e9;
            long inWindow = DeliveryCheck.delivered(sink, Direction.OUTBOUND) - before;
            CpuSample end = CpuSample.now(harness(sink, driver));
            drain(sink, Direction.OUTBOUND, before + driver.acceptedTotal());
            PhaseResult.Work work = PhaseResult.Work.between(cpu, CpuSample.now(harness(sink, driver)),
                    stage.accepted());
            String name = String.format(Locale.ROOT, "outbound @ half load (%s msg/s paced)",
                    BenchReport.number(rate));
            return result(name, size, stage, inWindow, seconds, driver, end.since(cpu), work);
        }
    }

    private PhaseResult result(String name, MessageSize size, LoadDriver.Stage stage, long inWindow, double seconds,
            LoadDriver driver, CpuSample.Use cpu, PhaseResult.Work work) {
        String note = stage.refused() == 0 ? "" : stage.refused() + " refused, e.g. " + driver.firstRefusal();
        PhaseResult result = new PhaseResult(name, size.label(), stage.accepted(), stage.refused(), inWindow, seconds,
                stage.latencies().percentileMillis(50), stage.latencies().percentileMillis(99), note, cpu, work);
        say(String.format(Locale.ROOT, "%s %s: %s msg/s delivered, %s msg/s accepted, p50 %s ms, p99 %s ms, "
                        + "CPU cores JVM %s PostgreSQL %s machine %s, CPU ms/msg JVM %s gateway %s, VmHWM %d MiB %s",
                name, size, BenchReport.number(result.deliveredPerSecond()),
                BenchReport.number(result.acceptedPerSecond()), BenchReport.number(result.p50Millis()),
                BenchReport.number(result.p99Millis()), BenchReport.number(cpu.jvm()),
                BenchReport.number(cpu.postgres()), BenchReport.number(cpu.machine()),
                BenchReport.number(work.jvmMillis()), BenchReport.number(work.gatewayMillis()), JvmFacts.peakRssMiB(),
                note));
        return result;
    }

    private static List<Thread> harness(SmtpSink sink, LoadDriver driver) {
        List<Thread> threads = new ArrayList<>(sink.sessionThreads());
        threads.addAll(driver.clientThreads());
        return threads;
    }

    private LoadDriver driver(BenchCluster gateway, Direction direction, byte[] message) throws IOException {
        String from = direction == Direction.OUTBOUND ? BenchIdentities.ORG : BenchIdentities.CONTACT;
        String to = direction == Direction.OUTBOUND ? BenchIdentities.CONTACT : BenchIdentities.ORG;
        return new LoadDriver(gateway.ports(direction), from, to, message, settings.connections(),
                !settings.lockStep());
    }

    private void drain(SmtpSink sink, Direction direction, long expected) throws InterruptedException {
        if (!DeliveryCheck.awaitDelivered(sink, direction, expected, DRAIN)) {
            throw new IllegalStateException("only " + DeliveryCheck.delivered(sink, direction) + " of " + expected
                    + " " + direction.word() + " messages reached the sink within " + DRAIN.toMinutes() + " min ("
                    + sink.withoutKey() + " unexpected)");
        }
    }

    private interface Measurement {
        double get() throws IOException, InterruptedException;
    }

    private Optional<Double> measure(String what, Measurement measurement) throws InterruptedException {
        say("measuring " + what + " for " + settings.opensslTime().toSeconds() + " s");
        try {
            return Optional.of(measurement.get());
        } catch (IOException e) {
            say(what + " not measured: " + e.getMessage());
            return Optional.empty();
        }
    }

    private void say(String line) {
        progress.println("# " + TIME.format(LocalTime.now(clock)) + " " + line);
        progress.flush();
    }
}
