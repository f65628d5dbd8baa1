package org.smimegw.bench.fuzz;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.smimegw.core.testing.TestData;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The long fuzz run: {@code --inputs} mutated messages through both pipelines, then one markdown table (mutator,
 * inputs, findings, inputs/s, verdicts) and the distinct findings. Exit status 1 when there is a finding.
 * {@code --replay} runs one input again by its input seed. See docs/fuzzing.md.
 */
@Command(name = "FuzzRun", mixinStandardHelpOptions = true,
        description = "mutation-fuzz the inbound and outbound pipelines and print one markdown table")
public final class FuzzRun implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--inputs", defaultValue = "100000", description = "inputs to run (default ${DEFAULT-VALUE})")
    long inputs;

    @Option(names = "--seed", defaultValue = "1", description = "campaign seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--per-input-seconds", defaultValue = "30",
            description = "an input that takes longer is reported as a hang (default ${DEFAULT-VALUE})")
    int perInputSeconds;

    @Option(names = "--findings", defaultValue = "target/fuzz-findings",
            description = "where the inputs of findings are written (default ${DEFAULT-VALUE})")
    Path findings;

    @Option(names = "--testdata", description = "the third-party corpus folder (default the repository's "
            + "gateway-core/src/test/resources/corpus; without one only generated seeds are used)")
    Path testdata;

    @Option(names = "--max-minutes", defaultValue = "600",
            description = "stop after this many minutes and report the inputs run so far (default ${DEFAULT-VALUE})")
    long maxMinutes;

    @Option(names = "--replay", description = "run only the input with this input seed (hex, from a finding)")
    String replay;

    public static void main(String[] args) {
        System.exit(new CommandLine(new FuzzRun()).execute(args));
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Optional<Path> corpus = testdataDir(testdata);
        out.println(corpus.map(d -> "seeds: corpus in " + d + " and generated")
                .orElse("seeds: generated only (no test data folder found)"));
        FuzzCampaign campaign = new FuzzCampaign(new FuzzCampaign.Settings(seed, inputs,
                Duration.ofSeconds(perInputSeconds), findings, corpus, Duration.ofMinutes(maxMinutes)));
        out.println(campaign.seeds().size() + " seeds, " + Mutators.inventory().size() + " mutators, campaign seed "
                + seed);
        out.flush();
        long started = System.nanoTime();
        FuzzReport report = replay != null ? campaign.replay(Long.parseUnsignedLong(replay, 16))
                : campaign.run(line -> {
                    out.println(line);
                    out.flush();
                });
        out.println();
        out.print(report.toMarkdown());
        out.printf("wall clock %.0f s%n", (System.nanoTime() - started) / 1e9);
        out.flush();
        return report.findingCount() == 0 ? 0 : 1;
    }

    /** The given folder, else the repository's corpus above the working directory, as the corpus tests find it. */
    static Optional<Path> testdataDir(Path given) {
        if (given != null) {
            return Optional.of(given).filter(Files::isDirectory);
        }
        try {
            return Optional.of(TestData.dir());
        } catch (IllegalStateException outsideTheRepository) {
            return Optional.empty();
        }
    }
}
