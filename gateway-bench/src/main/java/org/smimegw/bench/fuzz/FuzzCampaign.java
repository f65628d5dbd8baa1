package org.smimegw.bench.fuzz;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.smimegw.core.inbound.InboundResult;
import org.smimegw.core.inbound.SmimeResult;
import org.smimegw.core.mime.Bytes;

/**
 * A fuzz campaign: {@code inputs} mutated messages, each derived from one random seed drawn from the campaign seed,
 * judged by the {@link Oracle} on a worker thread with a per-input time bound, so that a hang becomes a finding
 * instead of a stuck build. The same campaign seed, seeds and inventory give the same inputs (see docs/fuzzing.md
 * for the one exception, the random CMS keys of encrypted seeds).
 */
public final class FuzzCampaign {
    /** Inputs of one signature written to disk; the rest are counted only. */
    private static final int FILES_PER_SIGNATURE = 3;

    /**
     * @param seed the campaign seed
     * @param inputs how many inputs to run
     * @param perInput the time one input may take before it counts as a hang (not a performance bound)
     * @param findingsDir where the inputs of findings are written
     * @param testdata the third-party test data folder, when present
     * @param budget the campaign stops after this long even if fewer inputs ran (the report says how many)
     */
    public record Settings(long seed, long inputs, Duration perInput, Path findingsDir, Optional<Path> testdata,
            Duration budget) {
    }

    /** One input: the seed, the mutator and the random seed it was made from, and its bytes. */
    record Input(Seed seed, String mutator, long inputSeed, byte[] bytes) {
    }

    private final Settings settings;
    private final List<Seed> seeds;
    private final List<Mutator> mutators = Mutators.inventory();
    private final Oracle oracle;
    private final List<Finding> seedFindings = new ArrayList<>();
    private ExecutorService worker = newWorker();

    public FuzzCampaign(Settings settings) {
        this.settings = settings;
        FuzzGateway gateway = new FuzzGateway(settings.testdata());
        this.seeds = Seeds.all(gateway, settings.testdata());
        Set<String> passViews = new HashSet<>();
        for (Seed seed : seeds) {
            InboundResult result = gateway.processor.inbound(Bytes.of(seed.bytes()), FuzzGateway.INBOUND,
                    FuzzGateway.AT)
                    .result();
            if (result.verdict() instanceof SmimeResult.Pass) {
                try {
                    passViews.add(ReaderView.of(result.message().toBytes().toByteArray()));
                } catch (Exception e) {
                    throw new IllegalStateException("seed " + seed.name() + " passes but cannot be read: " + e, e);
                }
            }
        }
        this.oracle = new Oracle(gateway.processor, gateway.keyFingerprints, Set.copyOf(passViews));
        // the seeds themselves, unmutated, must satisfy the oracle: otherwise every finding would be noise
        for (Seed seed : seeds) {
            List<String> problems = oracle.judge(seed.bytes()).problems();
            if (!problems.isEmpty()) {
                seedFindings.add(new Finding("oracle", String.join("; ", problems), "", seed.name(), "none", 0, null));
            }
        }
    }

    public List<Seed> seeds() {
        return seeds;
    }

    /** Runs the campaign; {@code progress} gets a line every 10,000 inputs. */
    public FuzzReport run(Consumer<String> progress) {
        FuzzReport report = new FuzzReport();
        seedFindings.forEach(report::add);
        SplittableRandom campaign = new SplittableRandom(settings.seed());
        long started = System.nanoTime();
        try {
            long deadline = started + settings.budget().toNanos();
            for (long i = 1; i <= settings.inputs() && System.nanoTime() - deadline < 0; i++) {
                runOne(campaign.nextLong(), report);
                if (i % 10_000 == 0) {
                    progress.accept(String.format(Locale.ROOT, "%d inputs, %d findings, %.0f s", i,
                            report.findingCount(), (System.nanoTime() - started) / 1e9));
                }
            }
        } finally {
            worker.shutdownNow();
        }
        return report;
    }

    /** Runs one input again, by its random seed, and returns the report of that single input. */
    public FuzzReport replay(long inputSeed) {
        FuzzReport report = new FuzzReport();
        try {
            runOne(inputSeed, report);
        } finally {
            worker.shutdownNow();
        }
        return report;
    }

    /** The input a random seed makes: a seed, then mutators tried until one applies. */
    Input input(long inputSeed) {
        SplittableRandom random = new SplittableRandom(inputSeed);
        Seed seed = seeds.get(random.nextInt(seeds.size()));
        for (int attempt = 0; attempt < 16; attempt++) {
            Mutator mutator = mutators.get(random.nextInt(mutators.size()));
            byte[] bytes;
            try {
                bytes = mutator.mutate(seed.bytes(), random, seeds);
            } catch (RuntimeException | StackOverflowError e) {
                throw new IllegalStateException("mutator " + mutator.name() + " on seed " + seed.name() + ": " + e, e);
            }
            if (bytes != null) {
                return new Input(seed, mutator.name(), inputSeed, bytes);
            }
        }
        return new Input(seed, "none", inputSeed, seed.bytes());
    }

    private void runOne(long inputSeed, FuzzReport report) {
        Input input;
        try {
            input = input(inputSeed);
        } catch (RuntimeException e) {
            report.add(new Finding("mutator-error", e.toString(), stack(e), "?", "?", inputSeed, null));
            return;
        }
        long start = System.nanoTime();
        Future<Oracle.Judgement> future = worker.submit(() -> oracle.judge(input.bytes()));
        try {
            Oracle.Judgement judgement = future.get(settings.perInput().toMillis(), TimeUnit.MILLISECONDS);
            report.count(input.mutator(), judgement.verdict(), System.nanoTime() - start);
            if (!judgement.problems().isEmpty()) {
                record(report, input, "oracle", String.join("; ", judgement.problems()),
                        String.join("\n", judgement.problems()));
            }
        } catch (TimeoutException e) {
            future.cancel(true);
            // the stuck thread is abandoned (it is a daemon); the next input gets a fresh one
            worker.shutdownNow();
            worker = newWorker();
            report.count(input.mutator(), null, System.nanoTime() - start);
            record(report, input, "hang", "no result within " + settings.perInput().toSeconds() + " s", "");
        } catch (ExecutionException e) {
            report.count(input.mutator(), null, System.nanoTime() - start);
            Throwable cause = e.getCause();
            record(report, input, "exception", signature(cause), stack(cause));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void record(FuzzReport report, Input input, String kind, String signature, String detail) {
        Path file = null;
        if (report.seen(signature) < FILES_PER_SIGNATURE) {
            file = write(input, kind, signature, detail);
        }
        report.add(new Finding(kind, signature, detail, input.seed().name(), input.mutator(), input.inputSeed(),
                file));
    }

    private Path write(Input input, String kind, String signature, String detail) {
        try {
            Files.createDirectories(settings.findingsDir());
            String name = kind + "-" + input.mutator() + "-" + input.seed().name().replaceAll("[^A-Za-z0-9.-]", "_")
                    + "-" + Long.toHexString(input.inputSeed());
            Path eml = settings.findingsDir().resolve(name + ".eml");
            Files.write(eml, input.bytes());
            Files.writeString(settings.findingsDir().resolve(name + ".txt"), signature + "\n\nseed "
                    + input.seed().name()
                    + "\nmutator " + input.mutator() + "\ninput seed " + Long.toHexString(input.inputSeed())
                    + "\n\n" + detail + "\n", StandardCharsets.UTF_8);
            return eml;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a finding to " + settings.findingsDir(), e);
        }
    }

    /**
     * The exception and where it was thrown: the first frame in the gateway's code, else the first frame. A stack
     * overflow ends at a different frame each time, so it is named by the gateway class that recurses most.
     */
    static String signature(Throwable t) {
        if (t instanceof StackOverflowError) {
            Map<String, Integer> frames = new HashMap<>();
            for (StackTraceElement frame : t.getStackTrace()) {
                if (frame.getClassName().startsWith("org.smimegw.core")) {
                    frames.merge(frame.getClassName(), 1, Integer::sum);
                }
            }
            return frames.entrySet().stream().max(Map.Entry.comparingByValue())
                    .map(e -> t.getClass().getName() + " in " + e.getKey()).orElse(t.getClass().getName());
        }
        return t.getClass().getName() + " at " + origin(t);
    }

    private static String origin(Throwable t) {
        StackTraceElement[] stack = t.getStackTrace();
        for (StackTraceElement frame : stack) {
            if (frame.getClassName().startsWith("org.smimegw.core")) {
                return frame.getClassName() + "." + frame.getMethodName();
            }
        }
        return stack.length == 0 ? "?" : stack[0].getClassName() + "." + stack[0].getMethodName();
    }

    private static String stack(Throwable t) {
        StringWriter text = new StringWriter();
        t.printStackTrace(new PrintWriter(text));
        return text.toString();
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "fuzz-worker");
            thread.setDaemon(true);
            return thread;
        });
    }
}
