package org.smimegw.smtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.smimegw.core.cert.CertificateKind;
import org.smimegw.core.cert.CertificateRecord;
import org.smimegw.core.cert.CertificateSource;
import org.smimegw.core.inbound.InboundPipeline;
import org.smimegw.core.mime.Bytes;
import org.smimegw.core.mime.RawMessage;
import org.smimegw.core.outbound.CertificateLookup;
import org.smimegw.core.outbound.OutboundPipeline;
import org.smimegw.core.outbound.PolicyMode;
import org.smimegw.core.port.AuditEvent;
import org.smimegw.core.port.CertificateDirectory;
import org.smimegw.core.port.StoreFailure;
import org.smimegw.core.process.MessageProcessor;
import org.smimegw.core.queue.Direction;
import org.smimegw.core.queue.QueueEntry;
import org.smimegw.core.queue.QueueState;
import org.smimegw.core.smime.SmimeAlgorithms;
import org.smimegw.core.smime.SmimeEncryptor;
import org.smimegw.core.smime.SmimeSigner;
import org.smimegw.core.testing.InMemoryAuditLog;
import org.smimegw.core.testing.InMemoryCertificateDirectory;
import org.smimegw.core.testing.InMemoryMessageQueue;
import org.smimegw.core.testing.InMemoryPrivateKeyRepository;
import org.smimegw.core.testing.TestPki;
import org.smimegw.smtp.server.Arrival;
import org.smimegw.smtp.server.SmtpRefusal;

/** Messages that processing crashes on: answered 451 a bounded number of times, then kept unprocessed. */
class QueueIntakeTest {
    private static final Instant AT = TestPki.NOW;
    private static final String RECEIVED = "Received: from helpdesk by gw.example.org; Mon, 1 Jun 2026 12:00:00"
            + " +0000\r\n";

    /** What the certificate lookups do: nothing found, or a failure thrown. */
    private volatile Supplier<RuntimeException> lookupFailure = () -> null;
    private final InMemoryAuditLog audit = new InMemoryAuditLog();
    private final InMemoryMessageQueue queue = new InMemoryMessageQueue(audit);
    private final QueueIntake intake = new QueueIntake(processor(), queue, audit, () -> { });

    private MessageProcessor processor() {
        CertificateDirectory certificates = new CertificateDirectory() {
            private final InMemoryCertificateDirectory empty = new InMemoryCertificateDirectory();

            @Override
            public List<CertificateRecord> findByEmail(String email) {
                RuntimeException failure = lookupFailure.get();
                if (failure != null) {
                    throw failure;
                }
                return empty.findByEmail(email);
            }

            @Override
            public Optional<CertificateRecord> findByFingerprint(String fingerprint) {
                return empty.findByFingerprint(fingerprint);
            }

            @Override
            public List<CertificateRecord> findByFingerprintPrefix(String prefix) {
                return empty.findByFingerprintPrefix(prefix);
            }

            @Override
            public CertificateRecord add(X509Certificate certificate, CertificateKind kind,
                    CertificateSource source) {
                return empty.add(certificate, kind, source);
            }

            @Override
            public Optional<CertificateRecord> changeSource(String fingerprint, CertificateSource source) {
                return empty.changeSource(fingerprint, source);
            }

            @Override
            public List<CertificateRecord> findByKind(CertificateKind kind) {
                return empty.findByKind(kind);
            }

            @Override
            public List<CertificateRecord> all() {
                return empty.all();
            }

            @Override
            public boolean delete(String fingerprint) {
                return empty.delete(fingerprint);
            }
        };
        InMemoryPrivateKeyRepository keys = new InMemoryPrivateKeyRepository();
        SmimeAlgorithms algorithms = SmimeAlgorithms.defaults();
        OutboundPipeline outbound = new OutboundPipeline(new CertificateLookup(certificates, keys),
                new SmimeSigner(algorithms), new SmimeEncryptor(algorithms), PolicyMode.NEVER, PolicyMode.IF_POSSIBLE);
        InboundPipeline inbound = new InboundPipeline(certificates, keys, algorithms, "gw.example.org");
        return new MessageProcessor(outbound, inbound, audit, null);
    }

    private static Arrival arrival(String id, String subject) {
        byte[] content = ("From: helpdesk@example.org\r\nTo: bob@example.net\r\nSubject: " + subject
                + "\r\n\r\nhello\r\n").getBytes(StandardCharsets.US_ASCII);
        return new Arrival(id, Direction.OUTBOUND, "helpdesk@example.org", List.of("bob@example.net"),
                Bytes.of(content), RECEIVED, AT);
    }

    private static String id(int n) {
        return String.format("0000000000000%03d", n);
    }

    /** Crashes on one message until it is kept unprocessed, as {@code id(3)}. */
    private QueueEntry keepAPoisonMessage() throws SmtpRefusal {
        lookupFailure = () -> new IllegalStateException("bug");
        for (int n = 1; n <= 3; n++) {
            try {
                intake.handle(arrival(id(n), "poison"));
            } catch (IllegalStateException expected) {
                // the first two are answered 451
            }
        }
        return queue.find(id(3)).orElseThrow();
    }

    @Test
    void aMessageThatKeepsCrashingIsAnsweredTemporarilyTwiceThenKeptUnprocessedWithTheReason() throws Exception {
        lookupFailure = () -> new IllegalStateException("bug in the lookup");

        assertThrows(IllegalStateException.class, () -> intake.handle(arrival(id(1), "poison")));
        assertThrows(IllegalStateException.class, () -> intake.handle(arrival(id(2), "poison")));
        assertTrue(queue.list().isEmpty(), "nothing is kept while the client is asked to try again");
        intake.handle(arrival(id(3), "poison"));

        QueueEntry kept = queue.find(id(3)).orElseThrow();
        assertEquals(QueueState.UNPROCESSED, kept.state());
        assertEquals("processing failed 3 times: java.lang.IllegalStateException: bug in the lookup",
                kept.lastResult());
        Arrival third = arrival(id(3), "poison");
        assertArrayEquals((RECEIVED + new String(third.content().toByteArray(), StandardCharsets.US_ASCII))
                .getBytes(StandardCharsets.US_ASCII), queue.content(id(3)).orElseThrow().toByteArray(),
                "kept exactly as received, with the Received header");
        assertEquals("unprocessed", audit.recent(1).get(0).decision());
    }

    @Test
    void crashesAreCountedPerMessage() throws Exception {
        lookupFailure = () -> new IllegalStateException("bug");

        for (int n = 1; n <= 5; n++) {
            int message = n;
            assertThrows(IllegalStateException.class, () -> intake.handle(arrival(id(message), "message " + message)));
        }

        assertTrue(queue.list().isEmpty());
    }

    @Test
    void aStoreThatIsDownIsNeverTheMessagesFault() {
        lookupFailure = () -> new StoreFailure("cannot read certificates: connection refused");

        for (int n = 1; n <= 5; n++) {
            int attempt = n;
            assertThrows(StoreFailure.class, () -> intake.handle(arrival(id(attempt), "same")));
        }

        assertTrue(queue.list().isEmpty());
    }

    @Test
    void releasingAnUnprocessedMessageProcessesItAndQueuesTheResultUnderANewId() throws Exception {
        QueueEntry kept = keepAPoisonMessage();
        lookupFailure = () -> null;

        String processed = intake.processUnprocessed(kept, queue.content(id(3)).orElseThrow(), AT.plusSeconds(60));

        assertTrue(queue.find(id(3)).isEmpty(), "the kept copy is gone");
        QueueEntry queued = queue.find(processed).orElseThrow();
        assertEquals(QueueState.QUEUED, queued.state());
        assertEquals(List.of("bob@example.net"), queued.pendingRecipients());
        RawMessage message = RawMessage.parse(queue.content(processed).orElseThrow());
        assertEquals(List.of("poison"), message.headerValues("Subject"));
    }

    @Test
    void anUnprocessedMessageThatCrashesAgainStaysAsItIs() throws Exception {
        QueueEntry kept = keepAPoisonMessage();

        assertThrows(IllegalStateException.class,
                () -> intake.processUnprocessed(kept, queue.content(id(3)).orElseThrow(), AT));

        assertEquals(QueueState.UNPROCESSED, queue.find(id(3)).orElseThrow().state());
        assertEquals(1, queue.list().size());
    }

    @Test
    void aRefusalIsAnSmtpRefusalAndNeverCounted() {
        lookupFailure = () -> null;
        Arrival bad = new Arrival(id(1), Direction.OUTBOUND, "helpdesk@example.org", List.of("bob@example.net"),
                Bytes.of("From: helpdesk@example.org\r\nX-SMIME-Encrypt: yes\r\n\r\nhi\r\n"
                        .getBytes(StandardCharsets.US_ASCII)), RECEIVED, AT);

        for (int n = 0; n < 4; n++) {
            assertThrows(SmtpRefusal.class, () -> intake.handle(bad));
        }
        assertTrue(queue.list().isEmpty());
    }

    @Test
    void messagesWithoutAMessageIdAreToldApartByTheirQueueIds() throws Exception {
        intake.handle(arrival(id(1), "first"));
        intake.handle(arrival(id(2), "second"));

        List<String> subjects = audit.all().stream().filter(e -> e.action().equals("outbound"))
                .map(AuditEvent::subject).toList();
        assertEquals(List.of("(no Message-ID, queue " + id(1) + ")", "(no Message-ID, queue " + id(2) + ")"),
                subjects);
    }
}
