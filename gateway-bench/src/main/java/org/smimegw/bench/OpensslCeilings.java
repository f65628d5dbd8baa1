package org.smimegw.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two ceilings the gateway is compared with, measured with the {@code openssl} command on the same machine:
 * raw RSA-2048 signatures per second on every core ({@code openssl speed -multi}), and what a shell filter that runs
 * {@code openssl cms -sign | openssl cms -encrypt} once per message achieves with one worker per core, with the
 * same certificates and keys as the gateway.
 */
final class OpensslCeilings {
    private static final Pattern RSA_LINE = Pattern.compile(
            "(?m)^rsa\\s+2048 bits\\s+\\S+s\\s+\\S+s\\s+([0-9.]+)\\s+([0-9.]+)\\s*$");

    private final int cores;

    OpensslCeilings(int cores) {
        this.cores = cores;
    }

    /** RSA-2048 sign/s over all cores, from {@code openssl speed -seconds N -multi cores rsa2048}. */
    double rsa2048SignsPerSecond(Duration time) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl", "speed", "-seconds",
                String.valueOf(Math.max(1, time.toSeconds()))));
        if (cores > 1) {
            command.addAll(List.of("-multi", String.valueOf(cores)));
        }
        command.add("rsa2048");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
        return parseSignsPerSecond(output);
    }

    static double parseSignsPerSecond(String speedOutput) throws IOException {
        Matcher matcher = RSA_LINE.matcher(speedOutput);
        if (!matcher.find()) {
            throw new IOException("no 'rsa 2048 bits' line in the output of openssl speed");
        }
        return Double.parseDouble(matcher.group(1));
    }

    /**
     * Messages per second through {@code openssl cms -sign | openssl cms -encrypt}, one process pair per message,
     * one worker per core, for {@code time}.
     */
    double filterMessagesPerSecond(BenchIdentities parties, byte[] message, Duration time)
            throws IOException, InterruptedException {
        return withFilter(parties, message, (dir, pipeline) -> filterRate(dir, pipeline, time));
    }

    /** The median wall time of {@code runs} runs of the same pipeline, one after the other, on one message. */
    double filterSeconds(BenchIdentities parties, byte[] message, int runs) throws IOException, InterruptedException {
        return withFilter(parties, message, (dir, pipeline) -> {
            double[] seconds = new double[runs];
            for (int i = 0; i < runs; i++) {
                long start = System.nanoTime();
                runFilter(dir, pipeline);
                seconds[i] = (System.nanoTime() - start) / 1e9;
            }
            return median(seconds);
        });
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private interface FilterRun {
        double run(Path dir, String pipeline) throws IOException, InterruptedException;
    }

    /**
     * Writes the message and the keys to a temporary directory, checks the two steps once (a failing first step is
     * seen, as sh has no pipefail) and measures the pipeline there.
     */
    private static double withFilter(BenchIdentities parties, byte[] message, FilterRun measurement)
            throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("smime-gateway-bench-openssl-");
        try {
            Path in = dir.resolve("message.eml");
            Files.write(in, message);
            BenchPki.writePem(dir.resolve("org.pem"), parties.org().certificate());
            BenchPki.writePem(dir.resolve("org.key"), parties.org().key());
            BenchPki.writePem(dir.resolve("org-ca.pem"), parties.orgCa().certificate());
            BenchPki.writePem(dir.resolve("contact.pem"), parties.contact().certificate());
            String sign = "openssl cms -sign -in message.eml -signer org.pem -inkey org.key -certfile org-ca.pem"
                    + " -md sha256";
            String encrypt = "openssl cms -encrypt -aes256 -out /dev/null";
            runFilter(dir, sign + " -out signed.eml && " + encrypt + " -in signed.eml contact.pem org.pem");
            return measurement.run(dir, sign + " | " + encrypt + " contact.pem org.pem");
        } finally {
            try (var files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(dir);
        }
    }

    /**
     * One shell loop per core runs the pipeline until a stop file appears (the loop's test is a shell builtin, so
     * the only processes started are the two openssl ones per message), and prints how many messages it did.
     */
    private double filterRate(Path dir, String pipeline, Duration time) throws InterruptedException, IOException {
        String loop = "n=0; while [ ! -e stop ]; do " + pipeline + " || exit 1; n=$((n+1)); done; echo $n";
        List<Process> loops = new ArrayList<>();
        long start = System.nanoTime();
        try {
            for (int i = 0; i < cores; i++) {
                loops.add(new ProcessBuilder("sh", "-c", loop).directory(dir.toFile())
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start());
            }
            Thread.sleep(time.toMillis());
            Files.createFile(dir.resolve("stop"));
            long done = 0;
            for (Process process : loops) {
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                if (process.waitFor() != 0 || output.isEmpty()) {
                    throw new IOException("openssl filter loop failed: '" + pipeline + "'");
                }
                done += Long.parseLong(output);
            }
            return done / ((System.nanoTime() - start) / 1e9);
        } finally {
            loops.forEach(Process::destroy);
        }
    }

    private static void runFilter(Path dir, String pipeline) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("sh", "-c", pipeline).directory(dir.toFile())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException("'" + pipeline + "' failed: " + output.strip());
        }
    }
}
