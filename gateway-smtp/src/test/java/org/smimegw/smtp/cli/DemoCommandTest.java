package org.smimegw.smtp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.core.testing.Openssl;

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
}
