package org.smimegw.smtp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.core.testing.Openssl;
import org.smimegw.smtp.Gateway;
import org.smimegw.smtp.config.GatewayConfig;
import org.smimegw.smtp.config.HostPort;

class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void walksThroughBothDirectionsAndItsOpensslCommandsSucceed() throws Exception {
        Path demo = dir.resolve("demo");
        Cli.Result result = new Cli(dir, Instant.now()).runRaw("demo", "--dir", demo.toString());

        assertEquals(0, result.exit(), result.toString());
        assertTrue(result.out().contains("answered '250 2.0.0 queued as ") && result.out().contains(
                "delivered application/pkcs7-mime to the MTA"), result.toString());
        assertTrue(result.out().contains("answered '550 5.7.1 cannot encrypt: no valid certificate for "
                + "bob@nowhere.example"), result.toString());
        assertTrue(result.out().contains("Authentication-Results: gateway.demo; smime=pass header.from="
                + "alice@partner.example"), result.toString());
        assertTrue(result.out().contains("X-SMIME-Encryption: decrypted; cert="), result.toString());
        Openssl openssl = new Openssl(demo);
        openssl.run("cms", "-decrypt", "-in", "outbound.eml", "-recip", "contact.pem", "-inkey", "contact.key",
                "-out", "decrypted.eml").assertSuccess();
        openssl.run("cms", "-verify", "-in", "decrypted.eml", "-CAfile", "org-ca.pem", "-purpose", "any",
                "-out", "content.txt").assertSuccess();
        assertTrue(Files.readString(demo.resolve("content.txt")).contains("your ticket is solved"));

        Cli.Result log = new Cli(dir, Instant.now()).runRaw("log", "--config", demo.resolve("gateway.properties")
                .toString());
        assertTrue(log.out().contains("inbound") && log.out().contains("smime=pass decrypted; cert="), log.toString());
    }

    @Test
    void keptDirectoryIsARunConfigurationWithTheOrganisationWhereverItIsMoved() throws Exception {
        Path demo = dir.resolve("demo");
        Cli.Result result = new Cli(dir, Instant.now()).runRaw("demo", "--dir", demo.toString());
        assertEquals(0, result.exit(), result.toString());
        assertTrue(result.out().contains("./smime-gateway --config " + demo.resolve("gateway.properties") + " run"),
                result.toString());
        for (String key : List.of("org.key", "contact.key")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(demo.resolve(key))),
                    key);
        }
        // the organisation's material, as a real set-up would import it
        new Openssl(demo).run("x509", "-in", "org.pem", "-noout", "-checkend", "0").assertSuccess();

        // paths are the file's own: the moved directory still opens its store, with the organisation key in it
        Path moved = Files.move(demo, dir.resolve("moved"));
        GatewayConfig config = GatewayConfig.load(moved.resolve("gateway.properties"), true, Map.of(),
                new Properties());
        assertEquals(new HostPort("127.0.0.1", 25), config.outboundRelay());
        try (Gateway gateway = Gateway.open(config, Clock.systemUTC())) {
            assertEquals(1, gateway.keys().certificateFingerprints().size());
            assertTrue(gateway.certificates().all().stream()
                    .anyMatch(c -> c.emails().contains("alice@partner.example")));
        }
        Cli.Result list = new Cli(dir, Instant.now()).runRaw("key", "list", "--config",
                moved.resolve("gateway.properties").toString());
        assertTrue(list.out().contains("helpdesk@org.example") && list.err().isEmpty(), list.toString());
    }
}
