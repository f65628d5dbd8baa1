package org.smimegw.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.core.queue.Direction;
import org.smimegw.core.testing.TestPki;
import org.smimegw.smtp.config.GatewayConfig;
import org.smimegw.smtp.config.HostPort;
import org.smimegw.smtp.monitor.LogCapture;
import org.smimegw.smtp.monitor.MessageLog;
import org.smimegw.smtp.server.ListenerConfig;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;

/**
 * The acceptance of the monitoring: a running relay (H2 store, real listeners, GreenMail upstream) counts the messages
 * sent through it in {@code /metrics}, answers {@code /health}, and logs one final line per message.
 */
class MonitoringIT {
    private static final String ORG = "helpdesk@org.example";
    private static final String CONTACT = "alice@partner.example";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private GreenMail greenMail;
    private Gateway gateway;
    private Relay relay;
    private HttpServer admin;
    private final LogCapture log = LogCapture.of(MessageLog.class);
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void stop() {
        if (admin != null) {
            admin.stop(0);
        }
        if (relay != null) {
            relay.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (greenMail != null) {
            greenMail.stop();
        }
        log.close();
    }

    private void start() throws Exception {
        greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        greenMail.start();
        int upstream = greenMail.getSmtp().getPort();
        Path properties = dir.resolve("gateway.properties");
        Files.writeString(properties, "gateway.hostname=gateway.test\n"
                + "store.url=jdbc:h2:file:" + dir.resolve("gw").toAbsolutePath() + "\n"
                + "store.master.key.file=" + dir.resolve("master.key").toAbsolutePath() + "\n"
                + "spool.dir=" + dir.resolve("spool").toAbsolutePath() + "\n"
                + "outbound.relay=127.0.0.1:" + upstream + "\ninbound.relay=127.0.0.1:" + upstream + "\n"
                + "outbound.relay.tls=none\ninbound.relay.tls=none\n");
        GatewayConfig config = GatewayConfig.load(properties, true);
        gateway = Gateway.open(config, Clock.systemUTC());
        TestPki.Issued ca = TestPki.ca("Org CA");
        TestPki.Issued org = TestPki.client(ORG).issuedBy(ca).build();
        gateway.admin().importCertificate(ca.certificate(), "test");
        gateway.admin().importKey(org.key(), List.of(org.certificate()), "test");
        HostPort anyPort = new HostPort("127.0.0.1", 0);
        relay = Relay.start(gateway, Clock.systemUTC(),
                ListenerConfig.of(config, Direction.OUTBOUND).withListen(anyPort),
                ListenerConfig.of(config, Direction.INBOUND).withListen(anyPort));
        admin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        admin.createContext("/metrics", gateway.monitoring().metricsHandler());
        admin.createContext("/health", gateway.monitoring().healthHandler());
        admin.start();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.getAddress().getPort()
                + path)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] message(String extraHeaders) {
        return ("From: " + ORG + "\r\nTo: " + CONTACT + "\r\nSubject: ticket\r\n" + extraHeaders
                + "\r\nsolved.\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static double sample(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    @Test
    void metricsAndHealthAnswerAndCountTheMessagesSent() throws Exception {
        start();

        String queued = SmtpSubmission.send(relay.outboundPort(), ORG, CONTACT, message(""));
        String refused = SmtpSubmission.send(relay.outboundPort(), ORG, CONTACT, message("X-SMIME-Encrypt: yes\r\n"));

        assertTrue(queued.startsWith("250 "), queued);
        assertTrue(refused.startsWith("550 "), refused);
        assertTrue(greenMail.waitForIncomingEmail(WAIT.toMillis(), 1), "nothing reached the upstream");
        String finished = "smimegw_messages_finished_total{direction=\"outbound\",result=\"delivered\"}";
        await(() -> sample(gateway.monitoring().scrape(), finished) == 1);
        HttpResponse<String> metrics = get("/metrics");
        assertEquals(200, metrics.statusCode());
        String text = metrics.body();
        assertEquals(1, sample(text, "smimegw_intake_messages_total{direction=\"outbound\",outcome=\"queued\"}"));
        assertEquals(1, sample(text, "smimegw_intake_messages_total{direction=\"outbound\",outcome=\"refused\"}"));
        assertEquals(1, sample(text, "smimegw_outbound_treatments_total{encrypted=\"no\",signed=\"yes\"}"));
        assertEquals(2, sample(text, "smimegw_processing_seconds_count{direction=\"outbound\"}"));
        assertEquals(1, sample(text,
                "smimegw_delivery_attempt_seconds_count{direction=\"outbound\",result=\"delivered\"}"));
        assertEquals(1, sample(text, "smimegw_upstream_reachable{relay=\"outbound\"}"));
        assertTrue(text.contains("smimegw_org_certificate_expiry_days{email=\"" + ORG + "\""), text);

        HttpResponse<String> health = get("/health");
        assertEquals(200, health.statusCode(), health.body());
        assertTrue(health.body().startsWith("{\"live\":true,\"ready\":true,"), health.body());
        assertTrue(!health.body().contains("master.key") && !health.body().contains("jdbc:"), health.body());

        // the delivery may end before or after the second submission: one line each, in either order
        Map<String, Map<String, String>> lines = log.keyValues().stream()
                .collect(Collectors.toMap(l -> l.get("result"), l -> l));
        assertEquals(Set.of("refused", "delivered"), lines.keySet());
        assertEquals("550", lines.get("refused").get("code"));
        assertEquals("yes", lines.get("delivered").get("signed"));
        assertEquals("no", lines.get("delivered").get("encrypted"));
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }
}
