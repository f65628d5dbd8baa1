package org.smimegw.core.inbound;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.smimegw.core.limits.MessageLimits;
import org.smimegw.core.limits.MessageLimits.Limit;
import org.smimegw.core.limits.MimeStructure;
import org.smimegw.core.mime.Bytes;
import org.smimegw.core.mime.MultipartScanner;
import org.smimegw.core.mime.RawMessage;

/**
 * The limit check counts the parts of a multipart/signed body where the signature split cuts it, on bodies whose
 * delimiters are easy to read two ways. Each body is tried with CRLF, bare LF and bare CR line ends: the message is
 * parsed (made canonical) first, as the pipeline does.
 */
class MultipartDelimiterAgreementTest {
    private static final MessageLimits LIMITS = MessageLimits.DEFAULTS;

    static Stream<Arguments> bodies() {
        return Stream.of(
                Arguments.of("plain", "--b\nA\n--b\nS\n--b--\n", List.of("A", "S")),
                Arguments.of("lines that start like a delimiter",
                        "--b\nA\n--bx\n--b-\n x--b\n--b\nS\n--b--\n", List.of("A\r\n--bx\r\n--b-\r\n x--b", "S")),
                Arguments.of("transport padding", "--b \t\nA\n--b\t \nS\n--b-- \n", List.of("A", "S")),
                Arguments.of("text after the padding is no delimiter",
                        "--b\nA\n--b x\nB\n--b\nS\n--b--\n", List.of("A\r\n--b x\r\nB", "S")),
                Arguments.of("text after the close delimiter", "--b\nA\n--b\nS\n--b--junk\n--b\nafter\n",
                        List.of("A", "S")),
                Arguments.of("preamble holding the boundary", "pre --b\n--b\nA\n--b\nS\n--b--\n", List.of("A", "S")),
                Arguments.of("no close delimiter", "--b\nA\n--b\nS\n", List.of("A", "S\r\n")),
                Arguments.of("an empty first part", "--b\n--b\nS\n--b--\n", List.of("", "S")),
                Arguments.of("a delimiter at the very end opens an empty part", "--b\nA\n--b\nS\n--b",
                        List.of("A", "S", "")),
                Arguments.of("a delimiter line at the end of a body without close", "--b\nA\n--b\nS\n--b\n",
                        List.of("A", "S", "")),
                Arguments.of("three parts", "--b\nA\n--b\nS\n--b\nT\n--b--\n", List.of("A", "S", "T")),
                Arguments.of("one part", "--b\nA\n--b--\n", List.of("A")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void theLimitCheckAndTheSignatureSplitSeeTheSameParts(String name, String body, List<String> expected)
            throws Exception {
        for (String lineEnd : List.of("\r\n", "\n", "\r")) {
            RawMessage message = RawMessage.parse(("Content-Type: multipart/signed; boundary=b\n\n" + body)
                    .replace("\n", lineEnd).getBytes(StandardCharsets.ISO_8859_1));
            Bytes canonical = message.body();

            List<String> parts = MultipartScanner.partRanges(canonical, "b").stream()
                    .map(range -> canonical.latin1(range[0], range[1])).toList();
            assertEquals(expected, parts, lineEnd);
            // the message and each part count once
            assertEquals(Optional.empty(), MimeStructure.check(message, limits(1 + expected.size()), false));
            assertEquals(Optional.of(Limit.MIME_PARTS), MimeStructure.check(message, limits(expected.size()), false));

            if (expected.size() == 2) {
                MultipartSigned.Parts split = MultipartSigned.split(canonical, "b");
                assertEquals(expected.get(0), split.signedContent().latin1(0, split.signedContent().length()));
                assertArrayEquals(RawMessage.parse(latin1(expected.get(1))).toBytes().toByteArray(),
                        split.signaturePart().toBytes().toByteArray());
            } else {
                MalformedSignatureException refused = assertThrows(MalformedSignatureException.class,
                        () -> MultipartSigned.split(canonical, "b"));
                assertEquals(expected.size() == 1 ? "multipart/signed without signature part"
                        : "multipart/signed must have exactly two parts, found " + expected.size(),
                        refused.getMessage());
            }
        }
    }

    private static MessageLimits limits(int parts) {
        MessageLimits d = LIMITS;
        return new MessageLimits(d.mimeDepth(), parts, d.headerFields(), d.headerFieldBytes(), d.lineBytes(),
                d.signatureBytes(), d.signers(), d.certificates(), d.chainLength(), d.recipients(),
                d.expansionRatio(), d.expandedBytes());
    }

    private static byte[] latin1(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
