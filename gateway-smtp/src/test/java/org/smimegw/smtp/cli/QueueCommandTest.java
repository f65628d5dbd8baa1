package org.smimegw.smtp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.core.mime.Bytes;
import org.smimegw.core.queue.Direction;
import org.smimegw.core.queue.QueueIds;
import org.smimegw.core.testing.TestPki;
import org.smimegw.smtp.Gateway;
import org.smimegw.smtp.config.GatewayConfig;

class QueueCommandTest {
    @TempDir
    Path dir;
    Cli cli;
    String id;

    @BeforeEach
    void setUp() {
        cli = new Cli(dir, TestPki.NOW);
        id = QueueIds.next(TestPki.NOW);
        try (Gateway gateway = Gateway.open(GatewayConfig.load(cli.config, true),
                Clock.fixed(TestPki.NOW, ZoneOffset.UTC))) {
            gateway.queue().enqueue(id, Direction.OUTBOUND, "", List.of("bob@example.com", "carol@example.com"),
                    "Subject: x\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII), TestPki.NOW);
        }
    }

    @Test
    void listsAndShowsTheMessage() {
        Cli.Result list = cli.run("queue", "list");
        assertEquals(0, list.exit(), list.toString());
        assertTrue(list.out().startsWith(id + " outbound queued 20B from=<> pending=2/2 attempts=0"), list.toString());
        Cli.Result show = cli.run("queue", "show", id);
        assertTrue(show.out().contains("  bob@example.com pending\n"), show.toString());
        assertTrue(show.out().contains("  carol@example.com pending\n"), show.toString());
        Cli.Result json = cli.run("queue", "show", id, "--json");
        assertTrue(json.out().contains("\"sender\":\"\"") && json.out().contains("\"state\":\"queued\""),
                json.toString());
    }

    @Test
    void showNamesTheNodeAndWorkerHoldingTheLeaseAndWhenItEnds() {
        try (Gateway gateway = Gateway.open(GatewayConfig.load(cli.config, true),
                Clock.fixed(TestPki.NOW, ZoneOffset.UTC))) {
            gateway.queue().lease("gw.example.org/4242-3", TestPki.NOW, Duration.ofMinutes(1))
                    .orElseThrow();
        }

        Cli.Result show = cli.run("queue", "show", id);

        assertTrue(show.out().contains("leased by:    gw.example.org/4242-3 until "
                + Output.date(TestPki.NOW.plusSeconds(60)) + "\n"), show.toString());
        Cli.Result json = cli.run("queue", "show", id, "--json");
        assertTrue(json.out().contains("\"leaseOwner\":\"gw.example.org/4242-3\""), json.toString());
    }

    @Test
    void holdsReleasesRetriesAndDeletesWithAudit() {
        assertEquals("held " + id + "\n", cli.run("queue", "hold", id).out());
        Cli.Result retryHeld = cli.run("queue", "retry", id);
        assertEquals(1, retryHeld.exit(), retryHeld.toString());
        assertTrue(retryHeld.err().contains("is held; 'queue release " + id + "'"), retryHeld.toString());
        assertTrue(cli.run("queue", "list").out().contains(" held "));
        assertEquals("released " + id + "\n", cli.run("queue", "release", id).out());
        Cli.Result releaseAgain = cli.run("queue", "release", id);
        assertEquals(1, releaseAgain.exit(), releaseAgain.toString());
        assertTrue(releaseAgain.err().contains("is not held"), releaseAgain.toString());
        assertEquals("retrying " + id + "\n", cli.run("queue", "retry", id).out());
        assertEquals("deleted " + id + "\n", cli.run("queue", "delete", id).out());
        assertEquals("", cli.run("queue", "list").out());
        String log = cli.run("log").out();
        for (String action : List.of("queue.hold", "queue.release", "queue.retry", "queue.delete")) {
            assertTrue(log.contains(action + " " + id), action + " not audited:\n" + log);
        }
    }

    @Test
    void anUnprocessedMessageIsNeverHeldOrRetriedIntoDeliveryAndReleaseProcessesItAgain() {
        String unprocessed = QueueIds.next(TestPki.NOW);
        try (Gateway gateway = Gateway.open(GatewayConfig.load(cli.config, true),
                Clock.fixed(TestPki.NOW, ZoneOffset.UTC))) {
            gateway.queue().enqueueUnprocessed(unprocessed, Direction.OUTBOUND, "alice@example.org",
                    List.of("bob@example.com"), Bytes.of(("From: alice@example.org\r\nTo: bob@example.com\r\n"
                            + "Subject: poison\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII)),
                    TestPki.NOW, "processing failed 3 times: java.lang.IllegalStateException: bug");
        }

        assertTrue(cli.run("queue", "list").out().contains(unprocessed + " outbound unprocessed "));
        Cli.Result hold = cli.run("queue", "hold", unprocessed);
        assertEquals(1, hold.exit(), hold.toString());
        assertTrue(hold.err().contains("is unprocessed: it is never delivered as it is"), hold.toString());
        Cli.Result retry = cli.run("queue", "retry", unprocessed);
        assertTrue(retry.err().contains("is unprocessed; 'queue release " + unprocessed + "' processes it"),
                retry.toString());
        // signing is required and alice@example.org has no key: refused now, and kept
        Cli.Result refused = cli.run("queue", "release", unprocessed);
        assertEquals(1, refused.exit(), refused.toString());
        assertTrue(refused.err().contains("is refused: 550 5.7.1 "), refused.toString());
        assertTrue(refused.err().contains("it stays unprocessed ('queue delete " + unprocessed + "' drops it)"),
                refused.toString());
        assertTrue(cli.run("queue", "list").out().contains(unprocessed + " outbound unprocessed "));

        Cli unsigned = new Cli(dir, TestPki.NOW, "outbound.sign=never");
        Cli.Result released = unsigned.run("queue", "release", unprocessed);
        assertEquals(0, released.exit(), released.toString());
        assertTrue(released.out().startsWith("processed " + unprocessed + ", queued as "), released.toString());
        String list = unsigned.run("queue", "list").out();
        assertFalse(list.contains(unprocessed), list);
        assertTrue(list.contains(" outbound queued "), list);
    }

    @Test
    void unknownAndMalformedIdsFailInOneLine() {
        Cli.Result unknown = cli.run("queue", "show", QueueIds.next(TestPki.NOW));
        assertEquals(1, unknown.exit(), unknown.toString());
        assertTrue(unknown.err().contains("no message"), unknown.toString());
        Cli.Result malformed = cli.run("queue", "hold", "../../etc");
        assertEquals(1, malformed.exit(), malformed.toString());
        assertTrue(malformed.err().contains("is not a queue id"), malformed.toString());
        assertEquals(1, malformed.err().lines().count(), malformed.toString());
    }

    @Test
    void reprocessOfAnUnknownOriginalFails() {
        Cli.Result result = cli.run("reprocess", "no-such-original");
        assertEquals(1, result.exit(), result.toString());
        assertTrue(result.err().contains("no kept original no-such-original"), result.toString());
    }

    @Test
    void authHashPrintsAUsersFileLine() throws Exception {
        Path password = Files.writeString(cli.file("pw"), "s3cret\n");
        Cli.Result result = cli.run("auth", "hash", "helpdesk", "--password-file", password.toString());
        assertEquals(0, result.exit(), result.toString());
        assertTrue(result.out().startsWith("helpdesk:$2y$12$"), result.toString());
        String hash = result.out().strip().substring("helpdesk:".length());
        assertTrue(OpenBSDBCrypt.checkPassword(hash, "s3cret".toCharArray()), result.toString());
        Cli.Result badName = cli.run("auth", "hash", "a:b", "--password-file", password.toString());
        assertEquals(1, badName.exit(), badName.toString());
    }
}
