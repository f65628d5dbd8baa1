package org.smimegw.smtp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durability promise, checked from outside as an operator would see it: the packaged gateway runs
 * {@code run} in its own JVM under load in both directions and is killed with SIGKILL three times: twice under
 * load, at moments chosen by the load rather than by the code, and once soon after a restart, while it delivers the
 * backlog and the dead process's leased messages. After each restart on the same data directory every message that was answered 250
 * must reach the upstream; a message may arrive twice only if it was on its way upstream when the process died, so
 * duplicates are bounded by the delivery workers per kill.
 */
class KillNineIT {
    private static final int WORKERS = 4;
    private static final int KILLS = 3;
    /** Acknowledged messages between restarts, so each kill falls in the middle of sustained load. */
    private static final int ACKS_PER_ROUND = 150;
    /** The second kill comes soon after a restart, while deliveries of the backlog are in flight. */
    private static final int DELIVERIES_BEFORE_SECOND_KILL = 10;
    /** Short, so the messages the dead process had leased are taken up soon; much longer than one local delivery. */
    private static final String LEASE = "5s";
    private static final Duration WAIT = Duration.ofSeconds(90);
    /** 128 + SIGKILL: how the JDK reports a process that the signal ended. */
    private static final int KILLED_BY_SIGKILL = 137;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedMessageIsDeliveredAfterKillNineUnderLoadAndDuplicatesStayBounded() throws Exception {
        long started = System.nanoTime();
        GatewayJar jar = new GatewayJar(dir);
        Files.createDirectories(dir.resolve("config"));
        Files.writeString(dir.resolve("config/gateway.properties"), "gateway.hostname=gw.test\n");
        jar.importAliceAsTheOrganisationAndBobAsAContact();

        try (CountingSink sink = new CountingSink(0)) {
            int outbound = GatewayJar.freePort();
            int inbound = GatewayJar.freePort();
            Files.writeString(dir.resolve("config/gateway.properties"), "gateway.hostname=gw.test\n"
                    + "outbound.listen=127.0.0.1:" + outbound + "\ninbound.listen=127.0.0.1:" + inbound + "\n"
                    + "admin.listen=127.0.0.1:" + GatewayJar.freePort() + "\n"
                    + "outbound.relay=127.0.0.1:" + sink.port() + "\noutbound.relay.tls=none\n"
                    + "inbound.relay=127.0.0.1:" + sink.port() + "\ninbound.relay.tls=none\n"
                    + "delivery.workers=" + WORKERS + "\ndelivery.lease.time=" + LEASE + "\n"
                    + "delivery.retry.intervals=1s\n");
            // outbound is signed by Alice and encrypted to Bob; inbound is plain and only annotated
            List<SubmissionLoad.Route> routes = List.of(
                    new SubmissionLoad.Route("out", outbound, "alice@smime.example", "bob@smime.example"),
                    new SubmissionLoad.Route("in", inbound, "bob@smime.example", "alice@smime.example"),
                    new SubmissionLoad.Route("out", outbound, "alice@smime.example", "bob@smime.example"),
                    new SubmissionLoad.Route("in", inbound, "bob@smime.example", "alice@smime.example"),
                    new SubmissionLoad.Route("out", outbound, "alice@smime.example", "bob@smime.example"),
                    new SubmissionLoad.Route("in", inbound, "bob@smime.example", "alice@smime.example"));

            GatewayJar.Started gateway = startRunning(jar);
            try {
                SubmissionLoad load = new SubmissionLoad(routes);
                try {
                    awaitAcknowledged(load, ACKS_PER_ROUND);
                    gateway = killNineAndRestart(jar, gateway, 1, "under load", load, sink);
                    // the restarted process takes up the backlog and, after the lease, the dead one's messages
                    int delivered = sink.accepted().size();
                    assertTrue(sink.awaitAccepted(delivered + DELIVERIES_BEFORE_SECOND_KILL, WAIT),
                            "the restarted gateway delivers nothing");
                    gateway = killNineAndRestart(jar, gateway, 2, "while it drains the backlog", load, sink);
                    awaitAcknowledged(load, load.acknowledged().size() + ACKS_PER_ROUND);
                    gateway = killNineAndRestart(jar, gateway, 3, "under load again", load, sink);
                    // the clients reconnect to the restarted gateway: acceptance goes on after a crash
                    awaitAcknowledged(load, load.acknowledged().size() + ACKS_PER_ROUND / 3);
                } finally {
                    load.close();
                }
                assertEverythingAcknowledgedIsDeliveredOnceOrBoundedTwice(load, sink, started);
                awaitEmptyQueue(jar);
            } finally {
                gateway.process().destroy();
                jar.finish(gateway);
            }
        }
    }

    private static void assertEverythingAcknowledgedIsDeliveredOnceOrBoundedTwice(SubmissionLoad load,
            CountingSink sink, long started) throws InterruptedException {
        Set<String> acknowledged = load.acknowledged();
        long drain = System.nanoTime();
        boolean all = sink.awaitAccepted(acknowledged, WAIT);
        System.out.printf("KillNineIT: the rest delivered %d ms after the load stopped%n", millisSince(drain));
        Map<String, Integer> delivered = sink.accepted();
        Set<String> lost = new TreeSet<>(acknowledged);
        lost.removeAll(delivered.keySet());
        Set<String> duplicates = delivered.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> unacknowledgedButDelivered = new TreeSet<>(delivered.keySet());
        unacknowledgedButDelivered.removeAll(acknowledged);
        Set<String> unknown = new TreeSet<>(delivered.keySet());
        unknown.removeAll(load.submitted());
        System.out.printf("KillNineIT: %d kills, %d submitted, %d acknowledged, %d delivered, %d lost,"
                        + " %d duplicates %s, %d unacknowledged but delivered %s, other replies %s, %d s%n", KILLS,
                load.submitted().size(), acknowledged.size(), delivered.size(), lost.size(), duplicates.size(),
                duplicates, unacknowledgedButDelivered.size(), unacknowledgedButDelivered, load.otherReplies(),
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));

        assertTrue(all && lost.isEmpty(), lost.size() + " acknowledged messages were not delivered within "
                + WAIT.toSeconds() + " s: " + lost);
        assertTrue(duplicates.size() <= KILLS * WORKERS, "more duplicates than messages in flight at the kills ("
                + KILLS + " x " + WORKERS + " workers): " + duplicates);
        assertTrue(unknown.isEmpty(), "delivered but never submitted: " + unknown);
        assertEquals(0, sink.withoutSeq(), "a message without sequence header (a bounce?) was delivered");
    }

    /** Nothing may stay in the queue, e.g. under a lease that nobody takes up. */
    private static void awaitEmptyQueue(GatewayJar jar) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        GatewayJar.Run list = jar.succeeds(Map.of(), "queue", "list");
        while (!list.out().isBlank() && System.nanoTime() < deadline) {
            list = jar.succeeds(Map.of(), "queue", "list");
        }
        assertTrue(list.out().isBlank(), "still queued:\n" + list.out());
    }

    private GatewayJar.Started killNineAndRestart(GatewayJar jar, GatewayJar.Started gateway, int kill, String when,
            SubmissionLoad load, CountingSink sink) throws Exception {
        killNine(gateway);
        int acknowledged = load.acknowledged().size();
        int delivered = sink.accepted().size();
        long restart = System.nanoTime();
        GatewayJar.Started restarted = startRunning(jar);
        System.out.printf("KillNineIT: kill %d %s after %d acknowledged, %d delivered; running again after %d ms%n",
                kill, when, acknowledged, delivered, millisSince(restart));
        return restarted;
    }

    private static long millisSince(long nanoTime) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanoTime);
    }

    private GatewayJar.Started startRunning(GatewayJar jar) throws Exception {
        GatewayJar.Started gateway = jar.start(Map.of(), List.of(), "run");
        GatewayJar.awaitText(gateway.err(), "smime-gateway running", gateway.process());
        return gateway;
    }

    private static void awaitAcknowledged(SubmissionLoad load, int count) {
        assertTrue(load.awaitAcknowledged(count, WAIT), "only " + load.acknowledged().size() + " of " + count
                + " messages acknowledged within " + WAIT.toSeconds() + " s; other replies " + load.otherReplies());
    }

    /** SIGKILL, checked by the exit status: no shutdown hook, no graceful stop, no flush. */
    private static void killNine(GatewayJar.Started gateway) throws InterruptedException {
        gateway.process().destroyForcibly();
        assertTrue(gateway.process().waitFor(GatewayJar.TIMEOUT_SECONDS, TimeUnit.SECONDS), "not dead after SIGKILL");
        assertEquals(KILLED_BY_SIGKILL, gateway.process().exitValue(), "the process was not ended by SIGKILL");
    }
}
