package org.smimegw.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Wall time of the command line as an operator meets it: the {@code ./smime-gateway} launcher (class-data archive,
 * first JIT tier) running {@code cert list} on an empty store and {@code process} of a 10 KB outbound message on the
 * demo's store (signed and encrypted), each run a number of times after one unmeasured run; prints min, median and
 * max as a markdown table. See docs/performance.md.
 */
@Command(name = "CommandLineBenchmark", mixinStandardHelpOptions = true,
        description = "time ./smime-gateway commands and print min/median/max as one markdown table")
public final class CommandLineBenchmark implements Callable<Integer> {
    private static final long TIMEOUT_SECONDS = 120;

    @Option(names = "--launcher", defaultValue = "./smime-gateway",
            description = "the launcher to run (default ${DEFAULT-VALUE})")
    Path launcher;

    @Option(names = "--runs", defaultValue = "10", description = "measured runs per command (default ${DEFAULT-VALUE})")
    int runs;

    public static void main(String[] args) {
        System.exit(new CommandLine(new CommandLineBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("smime-gateway-cli-bench-");
        try {
            System.out.print(measure(dir));
            return 0;
        } finally {
            BenchGateway.delete(dir);
        }
    }

    private String measure(Path dir) throws IOException, InterruptedException {
        Path empty = dir.resolve("empty");
        Path demo = dir.resolve("demo");
        Files.createDirectories(empty);
        Files.writeString(empty.resolve("gateway.properties"), "");
        // the demo leaves a store with the organisation's key and a contact's certificate, and its configuration
        run(dir, List.of("demo", "--dir", demo.toString()));
        Path message = dir.resolve("ten.eml");
        Files.write(message, BenchMessages.plain("helpdesk@org.example", "alice@partner.example", LoadRun.TEN_KB)
                .toBytes().toByteArray());
        List<String> certList = List.of("cert", "list", "--config", empty.resolve("gateway.properties").toString());
        List<String> process = List.of("process", "--config", demo.resolve("gateway.properties").toString(),
                "--direction", "outbound", "--in", message.toString(), "--out", dir.resolve("out.eml").toString());
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "| command (%d runs, after one unmeasured) | min s | median s | max s |%n|---|---:|---:|---:|%n",
                runs));
        table.append(row("cert list (empty store)", empty, certList));
        table.append(row("process, 10 KB outbound, signed and encrypted", demo, process));
        if (!new String(Files.readAllBytes(dir.resolve("out.eml")), StandardCharsets.US_ASCII)
                .contains("application/pkcs7-mime")) {
            throw new IllegalStateException("process did not encrypt the message");
        }
        return table.toString();
    }

    private String row(String name, Path workingDirectory, List<String> arguments)
            throws IOException, InterruptedException {
        run(workingDirectory, arguments);
        double[] seconds = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            run(workingDirectory, arguments);
            seconds[i] = (System.nanoTime() - start) / 1e9;
        }
        double[] sorted = seconds.clone();
        Arrays.sort(sorted);
        return String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f |%n", name, sorted[0],
                OpensslCeilings.median(seconds), sorted[sorted.length - 1]);
    }

    private void run(Path workingDirectory, List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(launcher.toAbsolutePath().toString());
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).directory(workingDirectory.toFile()).redirectErrorStream(true)
                .start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed: "
                    + new String(output, StandardCharsets.UTF_8).strip());
        }
    }
}
