package org.smimegw.core.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.smimegw.core.cert.CertificateKind;
import org.smimegw.core.cert.Fingerprints;
import org.smimegw.core.limits.MessageLimits;
import org.smimegw.core.limits.MimeStructure;
import org.smimegw.core.mime.Bytes;
import org.smimegw.core.mime.RawMessage;
import org.smimegw.core.smime.Envelope;
import org.smimegw.core.smime.SmimeAlgorithms;
import org.smimegw.core.smime.SmimeEncryptor;
import org.smimegw.core.smime.SmimeSigner;
import org.smimegw.core.testing.HostileMessages;
import org.smimegw.core.testing.InMemoryCertificateDirectory;
import org.smimegw.core.testing.InMemoryPrivateKeyRepository;
import org.smimegw.core.testing.TestPki;
import org.smimegw.core.testing.TestPki.Issued;

/** A submitted message over a limit is refused, naming the limit, before anything is signed or encrypted. */
class OutboundLimitsTest {
    private static final String HEADERS = "From: Alice <alice@example.com>\r\nTo: bob@example.org\r\n"
            + "Subject: limits\r\nMIME-Version: 1.0\r\n";
    private static final Envelope ENVELOPE = new Envelope("alice@example.com", List.of("bob@example.org"));

    private final OutboundPipeline pipeline;

    OutboundLimitsTest() {
        InMemoryCertificateDirectory directory = new InMemoryCertificateDirectory();
        InMemoryPrivateKeyRepository keys = new InMemoryPrivateKeyRepository();
        Issued alice = TestPki.client("alice@example.com").build();
        directory.add(alice.certificate(), CertificateKind.CLIENT);
        keys.put(Fingerprints.sha256(alice.certificate()), alice.key());
        SmimeAlgorithms algorithms = SmimeAlgorithms.defaults();
        pipeline = new OutboundPipeline(new CertificateLookup(directory, keys), new SmimeSigner(algorithms),
                new SmimeEncryptor(algorithms), PolicyMode.REQUIRED, PolicyMode.NEVER);
    }

    private OutboundResult process(byte[] message) {
        return pipeline.process(RawMessage.parse(message), ENVELOPE, TestPki.NOW);
    }

    private static void assertRefused(String reason, OutboundResult result) {
        assertEquals(new OutboundResult.Refused(reason, OutboundResult.Cause.LIMIT), result);
    }

    @Test
    void messageNestedDeeperThanTheLimitLessTheSignatureLevelIsRefusedNamingTheLimit() {
        assertRefused("MIME nesting deeper than 31 levels", process(HostileMessages.nested(HEADERS, 32)));
        assertRefused("MIME nesting deeper than 31 levels", process(HostileMessages.nestedMessages(HEADERS, 500)));
    }

    @Test
    void messageNestedToTheLimitLessTheSignatureLevelIsSignedAndWhatGoesOutIsWithinTheInboundLimits() {
        OutboundResult.Relay relay = assertInstanceOf(OutboundResult.Relay.class,
                process(HostileMessages.nested(HEADERS, 31)));

        assertTrue(relay.copies().get(0).signed());
        // fuzz finding: nested to the limit, the signed result came back from our own inbound as permerror
        RawMessage sent = relay.copies().get(0).message();
        assertEquals(Optional.empty(), MimeStructure.check(sent, MessageLimits.DEFAULTS, false));
    }

    @Test
    void messageWithMorePartsThanTheLimitIsRefused() {
        assertRefused("more than 9998 MIME parts", process(HostileMessages.manyParts(HEADERS, 9_998)));
    }

    @Test
    void messageWithMoreHeaderFieldsThanTheLimitIsRefused() {
        assertRefused("more than 1000 header fields in one header section",
                process(HostileMessages.manyHeaderFields(HEADERS, 997)));
        assertInstanceOf(OutboundResult.Relay.class, process(HostileMessages.manyHeaderFields(HEADERS, 996)));
    }

    @Test
    void aMillionHeaderFieldsParsedWithinTheLimitAreRefused() {
        RawMessage message = RawMessage.parse(Bytes.of(HostileMessages.manyHeaderFields(HEADERS, 1_000_000)),
                pipeline.limits().headerFields());

        assertEquals(1001, message.headers().size());
        assertRefused("more than 1000 header fields in one header section",
                pipeline.process(message, ENVELOPE, TestPki.NOW));
    }

    @Test
    void headerFieldLongerThanTheLimitIsRefusedEvenWhenFolded() {
        byte[] message = HostileMessages.ascii(HEADERS + HostileMessages.longField(70_000, true) + "\r\n\r\nx\r\n");

        assertRefused("header field longer than 65536 octets", process(message));
    }

    @Test
    void headerLineOverNineHundredNinetyEightOctetsIsRefusedWhileTheSameTextFoldedIsSigned() {
        byte[] oneLine = HostileMessages.ascii(HEADERS + HostileMessages.longField(999, false) + "\r\n\r\nx\r\n");
        byte[] folded = HostileMessages.ascii(HEADERS + HostileMessages.longField(5000, true) + "\r\n\r\nx\r\n");
        byte[] longest = HostileMessages.ascii(HEADERS + HostileMessages.longField(998, false) + "\r\n\r\nx\r\n");

        assertRefused("header line longer than 998 octets", process(oneLine));
        assertInstanceOf(OutboundResult.Relay.class, process(folded));
        assertInstanceOf(OutboundResult.Relay.class, process(longest));
    }

    @Test
    void partHeaderLineOverTheLimitIsRefused() {
        byte[] message = HostileMessages.ascii(HEADERS + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
                + "Content-Type: text/plain; name=\"" + "n".repeat(1000) + "\"\r\n\r\nx\r\n--b--\r\n");

        assertRefused("header line longer than 998 octets", process(message));
    }

    @Test
    void bodyLinesOverNineHundredNinetyEightOctetsAreEncodedWhenSignedNotRefused() {
        byte[] message = HostileMessages.ascii(HEADERS + "\r\n" + "y".repeat(5000) + "\r\n");

        assertTrue(assertInstanceOf(OutboundResult.Relay.class, process(message)).copies().get(0).signed());
    }
}
