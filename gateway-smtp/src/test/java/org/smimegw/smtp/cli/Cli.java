package org.smimegw.smtp.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.smimegw.smtp.GatewayMain;

/**
 * Runs the command line in-process against a store in a temporary directory, as a user would, and checks that
 * no stack trace ever reaches the output.
 */
final class Cli {
    final Path dir;
    final Path config;
    private final Clock clock;

    Cli(Path dir, Instant now, String... extraProperties) {
        this.dir = dir;
        this.config = dir.resolve("gateway.properties");
        this.clock = Clock.fixed(now, ZoneOffset.UTC);
        List<String> lines = new ArrayList<>(List.of(
                "gateway.hostname=gw.test",
                "store.url=jdbc:h2:file:" + dir.resolve("data/gateway").toAbsolutePath(),
                "store.master.key.file=" + dir.resolve("data/master.key").toAbsolutePath(),
                "spool.dir=" + dir.resolve("data/spool").toAbsolutePath()));
        lines.addAll(List.of(extraProperties));
        try {
            Files.write(config, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // the store exists before the test's first command, whose output is then its own: the line announcing a new
        // store (InstallationConfigTest) would otherwise lead it
        Result created = run("cert", "list");
        assertTrue(created.exit() == 0 && (created.err().isEmpty()
                || created.err().startsWith("smime-gateway: created a new store: ")), created.toString());
    }

    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** Runs with {@code --config} appended after the other arguments. */
    Result run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--config");
        all.add(config.toString());
        return runRaw(all.toArray(String[]::new));
    }

    Result runRaw(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = GatewayMain.run(args, new PrintWriter(out, true), new PrintWriter(err, true), clock);
        Result result = new Result(exit, out.toString(), err.toString());
        assertFalse(result.err().contains("\tat ") || result.out().contains("\tat "),
                "a stack trace reached the user:\n" + result);
        return result;
    }

    Path file(String name) {
        return dir.resolve(name);
    }
}
