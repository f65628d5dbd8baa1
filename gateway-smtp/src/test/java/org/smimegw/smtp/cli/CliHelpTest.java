package org.smimegw.smtp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --help} works on every command, also on those with required options, and never touches the store. */
class CliHelpTest {
    @TempDir
    Path dir;

    @Test
    void everyCommandPrintsItsUsageWithHelpWhateverItRequires() {
        Cli cli = new Cli(dir, Instant.now());
        for (List<String> command : List.of(List.of("key", "export"), List.of("key", "request"),
                List.of("cert", "import"), List.of("process"), List.of("run"), List.of("queue", "hold"))) {
            String[] args = java.util.stream.Stream.concat(command.stream(), java.util.stream.Stream.of("--help"))
                    .toArray(String[]::new);
            Cli.Result help = cli.runRaw(args);
            assertEquals(0, help.exit(), command + "\n" + help);
            assertTrue(help.out().startsWith("Usage: smime-gateway " + String.join(" ", command)), help.toString());
            assertTrue(help.out().contains("-h, --help"), help.toString());
        }
    }
}
