package org.smimegw.bench.fuzz;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a campaign counted: inputs, time and verdicts per mutator, and the findings grouped by signature (those of
 * {@link KnownIssues} apart). Rendered as one markdown table followed by the distinct findings with their
 * reproduction. Not thread-safe: one campaign
 * thread writes it.
 */
public final class FuzzReport {
    private static final List<String> WORDS = List.of("pass", "fail", "policy", "none", "permerror", "temperror");

    private final Map<String, Row> rows = new TreeMap<>();
    private final Map<String, List<Finding>> findings = new LinkedHashMap<>();
    private final Map<String, List<Finding>> known = new LinkedHashMap<>();
    private long inputs;
    private long findingCount;
    private long nanos;

    /** Counts per mutator. */
    private static final class Row {
        long inputs;
        long findings;
        long nanos;
        final Map<String, Long> verdicts = new TreeMap<>();
    }

    void count(String mutator, String verdict, long elapsedNanos) {
        Row row = rows.computeIfAbsent(mutator, m -> new Row());
        row.inputs++;
        row.nanos += elapsedNanos;
        if (verdict != null) {
            row.verdicts.merge(verdict, 1L, Long::sum);
        }
        inputs++;
        nanos += elapsedNanos;
    }

    void add(Finding finding) {
        if (KnownIssues.note(finding.signature()).isPresent()) {
            known.computeIfAbsent(finding.signature(), s -> new ArrayList<>()).add(finding);
            return;
        }
        rows.computeIfAbsent(finding.mutator(), m -> new Row()).findings++;
        findings.computeIfAbsent(finding.signature(), s -> new ArrayList<>()).add(finding);
        findingCount++;
    }

    /** How many findings of this signature were seen so far, known or new. */
    int seen(String signature) {
        return findings.getOrDefault(signature, known.getOrDefault(signature, List.of())).size();
    }

    /** Findings of {@link KnownIssues}, by signature. */
    public Map<String, Integer> knownCounts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        known.forEach((signature, list) -> counts.put(signature, list.size()));
        return counts;
    }

    public long inputs() {
        return inputs;
    }

    public long findingCount() {
        return findingCount;
    }

    /** The first finding of each distinct signature. */
    public List<Finding> distinctFindings() {
        return findings.values().stream().map(list -> list.get(0)).toList();
    }

    public String toMarkdown() {
        StringBuilder out = new StringBuilder();
        out.append("| mutator | inputs | findings | inputs/s |");
        WORDS.forEach(w -> out.append(' ').append(w).append(" |"));
        out.append("\n|---|---:|---:|---:|").append("---:|".repeat(WORDS.size())).append('\n');
        rows.forEach((name, row) -> {
            out.append(String.format(Locale.ROOT, "| %s | %d | %d | %s |", name, row.inputs, row.findings,
                    rate(row.inputs, row.nanos)));
            WORDS.forEach(w -> out.append(' ').append(row.verdicts.getOrDefault(w, 0L)).append(" |"));
            out.append('\n');
        });
        out.append(String.format(Locale.ROOT, "%n%d inputs, %s inputs/s while judging; %d findings, %d distinct%n",
                inputs, rate(inputs, nanos), findingCount, findings.size()));
        findings.forEach((signature, list) -> out.append("- ").append(list.size()).append("× ")
                .append(list.get(0).reproduction()).append('\n'));
        if (!known.isEmpty()) {
            out.append("\nknown, fixed elsewhere (not counted above):\n");
            known.forEach((signature, list) -> out.append("- ").append(list.size()).append("× ")
                    .append(list.get(0).reproduction()).append(" (").append(KnownIssues.note(signature).orElse(""))
                    .append(")\n"));
        }
        return out.toString();
    }

    private static String rate(long count, long nanos) {
        return nanos == 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", count * 1e9 / nanos);
    }
}
