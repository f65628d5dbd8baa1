package org.smimegw.core.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.smimegw.core.inbound.InboundFixture.AT;
import static org.smimegw.core.inbound.InboundFixture.HOST;
import static org.smimegw.core.inbound.InboundFixture.text;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.smimegw.core.mime.Bytes;
import org.smimegw.core.port.OriginalArchive;
import org.smimegw.core.process.MessageProcessor;
import org.smimegw.core.smime.Envelope;
import org.smimegw.core.testing.HostileMessages;
import org.smimegw.core.testing.InMemoryAuditLog;

/**
 * Input the gateway cannot make sense of goes through {@link MessageProcessor#inbound} like any other message:
 * delivered, annotated, audited; nothing escapes as an exception.
 */
class InboundUnparseableTest {
    private static final String FROM = "From: alice@example.com\r\nSubject: odd\r\n";

    private final InboundFixture fx = new InboundFixture();
    private final InMemoryAuditLog audit = new InMemoryAuditLog();
    private final Map<String, Bytes> kept = new HashMap<>();
    private final MessageProcessor processor = new MessageProcessor(null, fx.pipeline, audit, new OriginalArchive() {
        @Override
        public String keep(String sender, List<String> recipients, Bytes message) {
            kept.put("k" + kept.size(), message);
            return "k" + (kept.size() - 1);
        }

        @Override
        public Optional<KeptOriginal> find(String id) {
            return Optional.empty();
        }
    });

    static Stream<Arguments> hostileMessages() {
        byte[] garbage = new byte[20_000];
        new Random(42).nextBytes(garbage);
        return Stream.of(
                Arguments.of("NUL bytes in a header and the body", ascii(FROM + "X-Nul: a\0b\r\n\r\nbody\0\0\r\n"),
                        "none"),
                Arguments.of("no blank line", ascii(FROM + "X-Last: no body follows"), "none"),
                Arguments.of("a header line without colon", ascii(FROM + "this is no header\r\n\r\nx\r\n"), "none"),
                Arguments.of("nothing at all", new byte[0], "none"),
                Arguments.of("random bytes", garbage, "none"),
                Arguments.of("bare CR and bare LF", ascii(FROM + "X-A: 1\rX-B: 2\n\nbody\rline\n"), "none"),
                Arguments.of("multipart without boundary", ascii(FROM + "Content-Type: multipart/mixed\r\n\r\n"
                        + "--x\r\n\r\ny\r\n--x--\r\n"), "none"),
                Arguments.of("boundary that never appears", ascii(FROM + "Content-Type: multipart/mixed; "
                        + "boundary=nowhere\r\n\r\nplain text\r\n"), "none"),
                Arguments.of("unterminated quoted boundary", ascii(FROM + "Content-Type: multipart/mixed; "
                        + "boundary=\"open\r\n\r\n--open\r\n\r\nx\r\n"), "none"),
                Arguments.of("multipart/signed with an empty boundary", ascii(FROM + "Content-Type: multipart/signed;"
                        + " protocol=\"application/pkcs7-signature\"; boundary=\"\"\r\n\r\nx\r\n"), "permerror"),
                Arguments.of("enveloped-data that is not base64", ascii(FROM + "Content-Type: application/pkcs7-mime;"
                        + " smime-type=enveloped-data\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!\r\n"), "none"),
                Arguments.of("compressed-data that is not base64", ascii(FROM + "Content-Type: application/pkcs7-mime;"
                        + " smime-type=compressed-data\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!\r\n"),
                        "permerror"),
                Arguments.of("a 10 MB header line", ascii(FROM + HostileMessages.longField(10 << 20, false)
                        + "\r\n\r\nx\r\n"), "permerror"),
                Arguments.of("a multipart with 100000 parts", HostileMessages.manyParts(FROM, 100_000), "permerror"),
                Arguments.of("message/rfc822 nested 1000 deep", HostileMessages.nestedMessages(FROM, 1000),
                        "permerror"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileMessages")
    void hostileInputIsDeliveredAnnotatedAndAudited(String what, byte[] message, String verdict) {
        MessageProcessor.Inbound inbound = processor.inbound(Bytes.of(message),
                new Envelope("a@example.com", List.of("b@example.com")), AT);

        InboundResult result = inbound.result();
        assertEquals(verdict, result.verdict().word(), () -> what + ": " + result.verdict());
        assertTrue(text(result).startsWith("Authentication-Results: " + HOST + "; smime=" + verdict), what);
        assertEquals(1, audit.all().size());
    }

    @Test
    void aMillionHeaderFieldsAreDeliveredAsReceivedLessTheSpoofedOnesBeyondTheLimit() {
        byte[] fillers = HostileMessages.manyHeaderFields("", 1_000_000);
        String spoof = "X-SMIME-Encryption: decrypted; cert=forged\r\n";
        // the forged field sits among the fields beyond the limit, which the parser keeps as one lump
        String received = FROM + new String(fillers, 0, fillers.length - 8, StandardCharsets.ISO_8859_1)
                + spoof + "X-Last: 1\r\n\r\nbody\r\n";

        MessageProcessor.Inbound inbound = processor.inbound(Bytes.of(ascii(received)),
                new Envelope("a@example.com", List.of("b@example.com")), AT);

        String reason = "more than 1000 header fields in one header section";
        assertEquals(new SmimeResult.PermError(reason), inbound.result().verdict());
        assertEquals("Authentication-Results: " + HOST + "; smime=permerror reason=\"" + reason + "\"\r\n"
                + "X-SMIME-Encryption: none\r\n" + received.replace(spoof, ""), text(inbound.result()));
    }

    private static byte[] ascii(String text) {
        return HostileMessages.ascii(text);
    }
}
