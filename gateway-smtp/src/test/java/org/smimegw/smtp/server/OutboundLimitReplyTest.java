package org.smimegw.smtp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.smimegw.core.inbound.InboundPipeline;
import org.smimegw.core.mime.Bytes;
import org.smimegw.core.outbound.CertificateLookup;
import org.smimegw.core.outbound.OutboundPipeline;
import org.smimegw.core.outbound.PolicyMode;
import org.smimegw.core.port.AuditLog;
import org.smimegw.core.port.OriginalArchive;
import org.smimegw.core.process.MessageProcessor;
import org.smimegw.core.smime.SmimeAlgorithms;
import org.smimegw.core.smime.SmimeEncryptor;
import org.smimegw.core.smime.SmimeSigner;
import org.smimegw.core.testing.HostileMessages;
import org.smimegw.core.testing.InMemoryAuditLog;
import org.smimegw.core.testing.InMemoryCertificateDirectory;
import org.smimegw.core.testing.InMemoryMessageQueue;
import org.smimegw.core.testing.InMemoryPrivateKeyRepository;
import org.smimegw.smtp.QueueIntake;

/** The listener answers a submitted message over an input limit with 554 5.6.0 naming the limit. */
class OutboundLimitReplyTest {
    private final InMemoryMessageQueue queue = new InMemoryMessageQueue();

    private QueueIntake intake() {
        InMemoryCertificateDirectory directory = new InMemoryCertificateDirectory();
        InMemoryPrivateKeyRepository keys = new InMemoryPrivateKeyRepository();
        SmimeAlgorithms algorithms = SmimeAlgorithms.defaults();
        AuditLog audit = new InMemoryAuditLog();
        OriginalArchive originals = new OriginalArchive() {
            @Override
            public String keep(String sender, List<String> recipients, Bytes message) {
                return "kept";
            }

            @Override
            public Optional<KeptOriginal> find(String id) {
                return Optional.empty();
            }
        };
        MessageProcessor processor = new MessageProcessor(
                new OutboundPipeline(new CertificateLookup(directory, keys), new SmimeSigner(algorithms),
                        new SmimeEncryptor(algorithms), PolicyMode.NEVER, PolicyMode.NEVER),
                new InboundPipeline(directory, keys, algorithms, TestListener.HOSTNAME), audit, originals);
        return new QueueIntake(processor, queue, audit, () -> { });
    }

    @Test
    void messageNestedDeeperThanTheLimitGetsFiveFiftyFourNamingTheLimitAndIsNotQueued() throws Exception {
        String nested = new String(HostileMessages.nested(HostileMessages.HEADERS, 33), StandardCharsets.US_ASCII);
        try (TestListener server = TestListener.builder().handler(intake()).start();
                RawSmtpClient client = RawSmtpClient.ehlo(server.port())) {
            client.command("MAIL FROM:<alice@example.com>");
            client.command("RCPT TO:<bob@example.org>");
            assertTrue(client.command("DATA").startsWith("354 "));
            client.write(nested + ".\r\n");

            assertEquals("554 5.6.0 message refused: MIME nesting deeper than 31 levels", client.readReply());
            assertTrue(queue.list().isEmpty());
            // the session stays usable, and a message within the limits is queued
            client.command("MAIL FROM:<alice@example.com>");
            client.command("RCPT TO:<bob@example.org>");
            client.command("DATA");
            client.write(new String(HostileMessages.nested(HostileMessages.HEADERS, 31), StandardCharsets.US_ASCII)
                    + ".\r\n");
            assertTrue(client.readReply().startsWith("250 2.0.0 queued as "));
            assertEquals(1, queue.list().size());
        }
    }
}
