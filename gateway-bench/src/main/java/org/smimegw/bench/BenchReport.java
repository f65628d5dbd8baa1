package org.smimegw.bench;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.smimegw.core.revocation.RevocationMode;

/**
 * Everything one run measured, and its rendering as one markdown table plus ceilings, ratios against the targets of
 * issue #4, and facts about the JVM.
 *
 * @param setting one line: cores, connections, period lengths
 * @param phases closed-loop phases and the half-load phase, in the order run
 * @param signsPerSecond openssl speed rsa2048 sign/s over all cores, empty when skipped
 * @param filterPerSecond the openssl-per-message filter's msg/s, empty when skipped
 * @param accepted messages the gateway answered 250 to, over the whole run
 * @param delivered messages that reached the sink as they should (signed+encrypted out, smime=pass in)
 * @param unexpected messages that reached the sink otherwise (bounces, failed verification)
 * @param jvm lines about the JVM: heap, providers, peak RSS
 */
record BenchReport(String setting, List<PhaseResult> phases, Optional<Double> signsPerSecond,
        Optional<Double> filterPerSecond, String filterSetting, long accepted, long delivered, long unexpected,
        List<String> jvm) {

    Optional<PhaseResult> phase(String name, String size) {
        return phases.stream().filter(p -> p.name().equals(name) && p.size().equals(size)).findFirst();
    }

    String toMarkdown() {
        StringBuilder out = new StringBuilder();
        out.append(setting).append("\n\n");
        out.append("| direction | size | msg/s (delivered) | msg/s (accepted) | p50 ms | p99 ms | messages"
                + " | CPU cores: JVM / PostgreSQL / machine |\n");
        out.append("|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (PhaseResult p : phases) {
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %d | %s / %s / %s |%n", p.name(),
                    p.size(), number(p.deliveredPerSecond()), number(p.acceptedPerSecond()), number(p.p50Millis()),
                    number(p.p99Millis()), p.accepted(), number(p.cpu().jvm()), number(p.cpu().postgres()),
                    number(p.cpu().machine())));
        }
        out.append("\n| ceiling (same machine, same keys) | value |\n|---|---:|\n");
        out.append("| openssl speed rsa2048 sign/s (all cores) | ")
                .append(signsPerSecond.map(BenchReport::number).orElse("skipped")).append(" |\n");
        out.append("| openssl filter msg/s (").append(filterSetting).append(") | ")
                .append(filterPerSecond.map(BenchReport::number).orElse("skipped")).append(" |\n");
        out.append("\n| ratio | measured | target |\n|---|---:|---:|\n");
        Optional<Double> outbound = phase("outbound", "10KB").map(PhaseResult::deliveredPerSecond);
        Optional<Double> inbound = phase("inbound", "10KB").map(PhaseResult::deliveredPerSecond);
        ratio(out, "outbound 10KB msg/s ÷ openssl sign/s", percent(outbound, signsPerSecond), "≥ 50 %");
        ratio(out, "outbound 10KB msg/s ÷ openssl filter msg/s", times(outbound, filterPerSecond), "≥ 15×");
        ratio(out, "inbound 10KB msg/s ÷ openssl sign/s", percent(inbound, signsPerSecond), "≥ 50 %");
        for (String direction : List.of("outbound", "inbound")) {
            ratio(out, direction + " 10KB msg/s, revocation.check soft ÷ off (fresh gateways, both rounds)",
                    percent(bothRounds(direction, RevocationMode.SOFT), bothRounds(direction, RevocationMode.OFF)),
                    "≥ 90 %");
        }
        phases.stream().filter(p -> p.name().startsWith("outbound @ half")).findFirst().ifPresent(p -> ratio(out,
                "p99 at half load (outbound 10KB)", number(p.p99Millis()) + " ms", "≤ 10 ms"));
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
