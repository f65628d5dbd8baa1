package org.smimegw.smtp.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.smtp.sink.SmtpSink;

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

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedMessageIsDeliveredAfterKillNineUnderLoadAndDuplicatesStayBounded() throws Exception {
        long started = System.nanoTime();
        GatewayJar jar = new GatewayJar(dir);
        Files.createDirectories(dir.resolve("config"));
        Files.writeString(dir.resolve("config/gateway.properties"), "gateway.hostname=gw.test\n");
        jar.importAliceAsTheOrganisationAndBobAsAContact();

        try (SmtpSink sink = SubmissionLoad.countingSink(0, 0)) {
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
                    LoadOutcome.awaitAcknowledged(load, ACKS_PER_ROUND, WAIT);
                    gateway = killNineAndRestart(jar, gateway, 1, "under load", load, sink);
                    // the restarted process takes up the backlog and, after the lease, the dead one's messages
                    int wanted = sink.accepted().size() + DELIVERIES_BEFORE_SECOND_KILL;
                    assertTrue(sink.await(accepted -> accepted.size() >= wanted, WAIT),
                            "the restarted gateway delivers nothing");
                    gateway = killNineAndRestart(jar, gateway, 2, "while it drains the backlog", load, sink);
                    LoadOutcome.awaitAcknowledged(load, load.acknowledged().size() + ACKS_PER_ROUND, WAIT);
                    gateway = killNineAndRestart(jar, gateway, 3, "under load again", load, sink);
                    // the clients reconnect to the restarted gateway: acceptance goes on after a crash
                    LoadOutcome.awaitAcknowledged(load, load.acknowledged().size() + ACKS_PER_ROUND / 3, WAIT);
                } finally {
                    load.close();
                }
                LoadOutcome outcome = LoadOutcome.await(load, sink, WAIT);
                System.out.printf("KillNineIT: the rest delivered %d ms after the load stopped%n", outcome.drainMillis);
                System.out.printf("KillNineIT: %d kills, %s, %d s%n", KILLS, outcome.counts(),
                        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
                outcome.assertNoneLostAndDuplicatesAtMost(KILLS * WORKERS,
                        "messages in flight at the kills (" + KILLS + " x " + WORKERS + " workers)");
                LoadOutcome.awaitEmptyQueue(jar, WAIT);
            } finally {
                gateway.process().destroy();
                jar.finish(gateway);
            }
        }
    }

    private GatewayJar.Started killNineAndRestart(GatewayJar jar, GatewayJar.Started gateway, int kill, String when,
            SubmissionLoad load, SmtpSink sink) throws Exception {
        LoadOutcome.killNine(gateway);
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
}
