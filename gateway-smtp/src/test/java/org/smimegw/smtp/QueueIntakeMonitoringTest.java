package org.smimegw.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.smimegw.core.inbound.InboundPipeline;
import org.smimegw.core.mime.Bytes;
import org.smimegw.core.outbound.CertificateLookup;
import org.smimegw.core.outbound.OutboundPipeline;
import org.smimegw.core.outbound.PolicyMode;
import org.smimegw.core.port.AuditEvent;
import org.smimegw.core.port.AuditLog;
import org.smimegw.core.port.StoreFailure;
import org.smimegw.core.process.MessageProcessor;
import org.smimegw.core.queue.Direction;
import org.smimegw.core.smime.SmimeAlgorithms;
import org.smimegw.core.smime.SmimeEncryptor;
import org.smimegw.core.smime.SmimeSigner;
import org.smimegw.core.testing.InMemoryAuditLog;
import org.smimegw.core.testing.InMemoryCertificateDirectory;
import org.smimegw.core.testing.InMemoryMessageQueue;
import org.smimegw.core.testing.InMemoryPrivateKeyRepository;
import org.smimegw.core.testing.TestPki;
import org.smimegw.smtp.monitor.LogCapture;
import org.smimegw.smtp.monitor.MessageLog;
import org.smimegw.smtp.monitor.RecordingEvents;
import org.smimegw.smtp.server.Arrival;
import org.smimegw.smtp.server.SmtpRefusal;

/** What the intake reports to the monitoring, the verdicts it queues, and its final lines for refused messages. */
class QueueIntakeMonitoringTest {
    private static final Instant AT = TestPki.NOW;
    private static final String RECEIVED = "Received: from mta by gw.example.org; Mon, 1 Jun 2026 12:00:00 +0000\r\n";

    private InMemoryMessageQueue queue;
    private final RecordingEvents events = new RecordingEvents();
    private final LogCapture log = LogCapture.of(MessageLog.class);

    @AfterEach
    void close() {
        log.close();
    }

    private QueueIntake intake(AuditLog audit) {
        InMemoryCertificateDirectory certificates = new InMemoryCertificateDirectory();
        InMemoryPrivateKeyRepository keys = new InMemoryPrivateKeyRepository();
        SmimeAlgorithms algorithms = SmimeAlgorithms.defaults();
        OutboundPipeline outbound = new OutboundPipeline(new CertificateLookup(certificates, keys),
                new SmimeSigner(algorithms), new SmimeEncryptor(algorithms), PolicyMode.NEVER, PolicyMode.IF_POSSIBLE);
        InboundPipeline inbound = new InboundPipeline(certificates, keys, algorithms, "gw.example.org");
        queue = new InMemoryMessageQueue(audit);
        return new QueueIntake(new MessageProcessor(outbound, inbound, audit, null), queue, audit, () -> { }, events);
    }

    private static Arrival arrival(String id, Direction direction, String extraHeader) {
        byte[] content = ("From: helpdesk@example.org\r\nTo: bob@example.net\r\n" + extraHeader
                + "Subject: hello\r\n\r\nhello\r\n").getBytes(StandardCharsets.US_ASCII);
        return new Arrival(id, direction, "helpdesk@example.org", List.of("bob@example.net"), Bytes.of(content),
                RECEIVED, AT);
    }

    @Test
    void anInboundMessageIsQueuedWithItsVerdictsAndCounted() throws SmtpRefusal {
        intake(new InMemoryAuditLog()).handle(arrival("00000000000000a1", Direction.INBOUND, ""));

        assertEquals("smime=none encryption=none", queue.find("00000000000000a1").orElseThrow().verdicts());
        assertEquals(List.of("processed inbound", "inbound smime=none encryption=none", "intake inbound queued"),
                events.events());
        assertEquals(List.of(), log.keyValues(), "queued is not a final state");
    }

    @Test
    void anOutboundMessageIsQueuedWithWhetherItWasSignedAndEncrypted() throws SmtpRefusal {
        intake(new InMemoryAuditLog()).handle(arrival("00000000000000a2", Direction.OUTBOUND, ""));

        assertEquals("signed=no encrypted=no", queue.find("00000000000000a2").orElseThrow().verdicts());
        assertEquals(List.of("processed outbound", "outbound signed=false encrypted=false", "intake outbound queued"),
                events.events());
    }

    @Test
    void aRefusedOutboundMessageLogsOneFinalLineWithItsReplyCode() {
        QueueIntake intake = intake(new InMemoryAuditLog());

        SmtpRefusal refusal = assertThrows(SmtpRefusal.class,
                () -> intake.handle(arrival("00000000000000a3", Direction.OUTBOUND, "X-SMIME-Sign: yes\r\n")));

        assertEquals(List.of(Map.of("id", "00000000000000a3", "direction", "outbound", "result", "refused", "code",
                Integer.toString(refusal.code()), "recipients", "1", "size", sizeOf("X-SMIME-Sign: yes\r\n"))),
                log.keyValues().stream().map(Map::copyOf).toList());
        assertEquals(List.of("processed outbound", "intake outbound refused"), events.events());
        assertEquals(List.of(), queue.list());
    }

    @Test
    void aMessageAnswered451BecauseTheStoreFailedLogsRefusedWithCode451() {
        AuditLog down = new AuditLog() {
            @Override
            public void record(AuditEvent event) {
                throw new StoreFailure("store down: connection refused");
            }

            @Override
            public List<AuditEvent> recent(int limit) {
                return List.of();
            }
        };

        assertThrows(StoreFailure.class,
                () -> intake(down).handle(arrival("00000000000000a4", Direction.INBOUND, "")));

        Map<String, String> line = new LinkedHashMap<>();
        line.put("id", "00000000000000a4");
        line.put("direction", "inbound");
        line.put("result", "refused");
        line.put("code", "451");
        line.put("recipients", "1");
        line.put("size", sizeOf(""));
        assertEquals(List.of(line), log.keyValues());
        assertEquals(List.of("processed inbound", "intake inbound deferred"), events.events());
    }

    private static String sizeOf(String extraHeader) {
        return Long.toString(arrival("x", Direction.INBOUND, extraHeader).content().length());
    }
}
