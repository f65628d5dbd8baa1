package org.smimegw.bench;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.smimegw.core.revocation.RevocationMode;

/**
 * Everything one run measured, and its rendering as one markdown table plus ceilings, ratios against the targets of
 * issue #16 (and the revocation target of issue #15), and facts about the JVM.
 *
 * @param setting one line: cores, connections, period lengths
 * @param cores the cores of the machine, over which {@code signsPerSecond} was measured
 * @param phases closed-loop phases and the half-load phase, in the order run
 * @param signsPerSecond openssl speed rsa2048 sign/s over all cores, empty when skipped
 * @param filterPerSecond the openssl-per-message filter's msg/s, empty when skipped
 * @param large one large outbound message end to end, against the openssl filter on the same file
 * @param accepted messages the gateway answered 250 to, over the whole run
 * @param delivered messages that reached the sink as they should (signed+encrypted out, smime=pass in)
 * @param unexpected messages that reached the sink otherwise (bounces, failed verification)
 * @param jvm lines about the JVM: heap, providers, peak RSS
 */
record BenchReport(String setting, int cores, List<PhaseResult> phases, Optional<Double> signsPerSecond,
        Optional<Double> filterPerSecond, Optional<LargeMessage> large, String filterSetting, long accepted,
        long delivered, long unexpected, List<String> jvm) {

    /** Median seconds of one message of {@code size} through the gateway and through the openssl filter. */
    record LargeMessage(String size, double gatewaySeconds, Optional<Double> opensslSeconds) {
    }

    Optional<PhaseResult> phase(String name, String size) {
        return phases.stream().filter(p -> p.name().equals(name) && p.size().equals(size)).findFirst();
    }

    /** Milliseconds of one RSA-2048 signature on one core at openssl's speed: the floor of a signed message. */
    Optional<Double> rsaFloorMillis() {
        return signsPerSecond.filter(signs -> signs > 0).map(signs -> 1000.0 * cores / signs);
    }

    String toMarkdown() {
        StringBuilder out = new StringBuilder();
        out.append(setting).append("\n\n");
        out.append("| direction | size | msg/s (delivered) | msg/s (accepted) | MB/s (delivered) | p50 ms | p99 ms"
                + " | messages | CPU cores: JVM / PostgreSQL / machine | CPU ms/msg: JVM / gateway |\n");
        out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (PhaseResult p : phases) {
            double megabytes = p.deliveredPerSecond() * MessageSize.parse(p.size()).bytes() / (1024.0 * 1024.0);
            out.append(String.format(Locale.ROOT,
                    "| %s | %s | %s | %s | %s | %s | %s | %d | %s / %s / %s | %s / %s |%n",
                    p.name(), p.size(), number(p.deliveredPerSecond()), number(p.acceptedPerSecond()),
                    number(megabytes), number(p.p50Millis()), number(p.p99Millis()), p.accepted(),
                    number(p.cpu().jvm()), number(p.cpu().postgres()), number(p.cpu().machine()),
                    number(p.work().jvmMillis()), number(p.work().gatewayMillis())));
        }
        out.append("\n| ceiling (same machine, same keys) | value |\n|---|---:|\n");
        out.append("| openssl speed rsa2048 sign/s (all cores) | ")
                .append(signsPerSecond.map(BenchReport::number).orElse("skipped")).append(" |\n");
        out.append("| RSA floor: ms of one RSA-2048 sign on one core | ")
                .append(rsaFloorMillis().map(BenchReport::number).orElse("n/a")).append(" |\n");
        out.append("| openssl filter msg/s (").append(filterSetting).append(") | ")
                .append(filterPerSecond.map(BenchReport::number).orElse("skipped")).append(" |\n");
        large.ifPresent(l -> out.append("| openssl filter, one ").append(l.size()).append(" message (s, median) | ")
                .append(l.opensslSeconds().map(BenchReport::number).orElse("skipped")).append(" |\n"));
        out.append("\n| ratio | measured | target |\n|---|---:|---:|\n");
        for (String direction : List.of("outbound", "inbound")) {
            Optional<Double> gatewayMillis = phase(direction, "10KB").map(p -> p.work().gatewayMillis());
            ratio(out, direction + " 10KB: gateway CPU per message ÷ RSA floor", times(gatewayMillis,
                    rsaFloorMillis()), "≤ 3×");
        }
        Optional<Double> outbound = phase("outbound", "10KB").map(PhaseResult::deliveredPerSecond);
        ratio(out, "outbound 10KB delivered msg/s ÷ openssl filter msg/s", times(outbound, filterPerSecond), "≥ 5×");
        phases.stream().filter(p -> p.name().startsWith("outbound @ half")).findFirst().ifPresent(p -> ratio(out,
                "p99 at half load (outbound 10KB)", number(p.p99Millis()) + " ms", "≤ 10 ms"));
        large.ifPresent(l -> ratio(out, "one outbound " + l.size() + " message end to end ÷ openssl filter on it ("
                + number(l.gatewaySeconds()) + " s)", times(Optional.of(l.gatewaySeconds()), l.opensslSeconds()),
                "≤ 3×"));
        for (String direction : List.of("outbound", "inbound")) {
            ratio(out, direction + " 10KB msg/s, revocation.check soft ÷ off (fresh gateways, both rounds)",
                    percent(bothRounds(direction, RevocationMode.SOFT), bothRounds(direction, RevocationMode.OFF)),
                    "≥ 90 %");
        }
        out.append(String.format(Locale.ROOT, "%naccepted %d, delivered %d as expected, %d unexpected at the sink%n",
                accepted, delivered, unexpected));
        for (String line : jvm) {
            out.append(line).append('\n');
        }
        return out.toString();
    }

    /** The delivered msg/s of both rounds of the revocation comparison added up, when both ran. */
    private Optional<Double> bothRounds(String direction, RevocationMode mode) {
        Optional<Double> first = phase(direction + LoadRun.revocationSuffix(mode, 1), "10KB")
                .map(PhaseResult::deliveredPerSecond);
        Optional<Double> second = phase(direction + LoadRun.revocationSuffix(mode, 2), "10KB")
                .map(PhaseResult::deliveredPerSecond);
        return first.isPresent() && second.isPresent() ? Optional.of(first.get() + second.get()) : Optional.empty();
    }

    private static void ratio(StringBuilder out, String what, String value, String target) {
        out.append("| ").append(what).append(" | ").append(value).append(" | ").append(target).append(" |\n");
    }

    private static String percent(Optional<Double> part, Optional<Double> whole) {
        return part.isPresent() && whole.isPresent() && whole.get() > 0
                ? String.format(Locale.ROOT, "%.1f %%", 100 * part.get() / whole.get()) : "n/a";
    }

    private static String times(Optional<Double> part, Optional<Double> whole) {
        return part.isPresent() && whole.isPresent() && whole.get() > 0
                ? String.format(Locale.ROOT, "%.2f×", part.get() / whole.get()) : "n/a";
    }

    static String number(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, value >= 100 ? "%.0f" : value >= 10 ? "%.1f" : "%.2f", value);
    }
}
