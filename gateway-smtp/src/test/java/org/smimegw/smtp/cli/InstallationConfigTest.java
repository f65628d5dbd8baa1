package org.smimegw.smtp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.smtp.config.Installation;

/**
 * Without {@code --config}, a command reads the installation's own configuration (docs/design.md §13), whose store
 * is beside it, and a store it creates is announced in one line naming where.
 */
class InstallationConfigTest {
    @TempDir
    Path dir;

    @AfterEach
    void forgetInstallation() {
        System.clearProperty(Installation.HOME_PROPERTY);
    }

    @Test
    void commandWithoutConfigUsesTheInstallationsFileAndAnnouncesTheStoreItCreates() throws Exception {
        Path installation = Files.createDirectories(dir.resolve("opt/gw"));
        Files.createDirectories(installation.resolve("config"));
        Files.copy(Path.of("../config/gateway.properties"), installation.resolve(Installation.CONFIG_FILE));
        System.setProperty(Installation.HOME_PROPERTY, installation.toString());
        Cli cli = new Cli(Files.createDirectories(dir.resolve("elsewhere")), Instant.now());

        Cli.Result first = cli.runRaw("cert", "list");
        assertEquals(0, first.exit(), first.toString());
        Path data = installation.resolve("data");
        assertEquals("smime-gateway: created a new store: jdbc:h2:file:" + data.resolve("gateway")
                + " with master key " + data.resolve("master.key") + "\n", first.err(), first.toString());
        assertTrue(Files.exists(data.resolve("gateway.mv.db")) && Files.exists(data.resolve("master.key")));
        assertFalse(Files.exists(Path.of("data")), "a store in the working directory");

        Cli.Result second = cli.runRaw("cert", "list");
        assertEquals(0, second.exit(), second.toString());
        assertEquals("", second.err(), "an existing store is opened without a word");
    }
}
