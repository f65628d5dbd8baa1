package org.smimegw.smtp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.core.testing.TestPki;
import org.smimegw.smtp.config.GatewayConfig;

class AdminCommandTest {
    @TempDir
    Path dir;

    @Test
    void hashPrintsAConfigurationLineTheConfigurationAcceptsAndThePasswordMatches() throws Exception {
        Cli cli = new Cli(dir, TestPki.NOW);
        Path password = Files.writeString(dir.resolve("password"), "Admin s3cret\n");

        Cli.Result result = cli.run("admin", "hash", "--password-file", password.toString());

        assertEquals(0, result.exit(), result.toString());
        assertTrue(result.out().matches("admin\\.password\\.hash=\\$2y\\$12\\$[./A-Za-z0-9]{53}\n"), result.out());
        assertFalse(result.out().contains("Admin s3cret"));
        String hash = result.out().strip().substring("admin.password.hash=".length());
        assertTrue(OpenBSDBCrypt.checkPassword(hash, "Admin s3cret".toCharArray()));
        assertFalse(OpenBSDBCrypt.checkPassword(hash, "admin s3cret".toCharArray()));
        Path properties = Files.writeString(dir.resolve("admin.properties"), result.out());
        GatewayConfig config = GatewayConfig.load(properties, true, Map.of(), new Properties());
        assertEquals(hash, config.admin().passwordHash().orElseThrow());
    }

    @Test
    void hashRefusesAnEmptyPasswordAndNeedsAPasswordSource() throws Exception {
        Cli cli = new Cli(dir, TestPki.NOW);
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        Cli.Result refused = cli.run("admin", "hash", "--password-file", empty.toString());
        assertEquals(1, refused.exit(), refused.toString());
        assertEquals("smime-gateway: the password is empty\n", refused.err());
        assertEquals(2, cli.run("admin", "hash").exit());
        Cli.Result unset = cli.run("admin", "hash", "--password-env", "SMIMEGW_TEST_UNSET_VARIABLE");
        assertEquals(1, unset.exit(), unset.toString());
        assertTrue(unset.err().contains("SMIMEGW_TEST_UNSET_VARIABLE (--password-env) is not set"), unset.toString());
    }
}
