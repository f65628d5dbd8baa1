package org.smimegw.core.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.smimegw.core.helpdesk.HeaderNamePatterns;
import org.smimegw.core.mime.HeaderField;
import org.smimegw.core.mime.RawMessage;

/** The exact text of the result headers and which received headers count as spoofed. */
class InboundHeadersTest {
    private final Annotator annotator = new Annotator("gw.example.org");
    private final SpoofedHeaderFilter filter = new SpoofedHeaderFilter("gw.example.org", HeaderNamePatterns.NONE);

    @Test
    void reasonQuotesAndBackslashesAreEscaped() {
        String value = annotator.authenticationResults(new SmimeResult.Policy("a \"b\" \\c", null));

        assertEquals("gw.example.org; smime=policy reason=\"a \\\"b\\\" \\\\c\"", value);
    }

    @Test
    void signerIsReportedOnFoldedContinuationLines() {
        Signer signer = new Signer("Alice@example.com", "alice@example.com", "1e", "CN=NSS Test CA (RSA),O=BOGUS NSS",
                "ab");

        String value = annotator.authenticationResults(new SmimeResult.Fail("signature does not verify", signer));

        assertEquals("gw.example.org; smime=fail reason=\"signature does not verify\"\r\n"
                + "    header.from=Alice@example.com body.smime-identifier=alice@example.com\r\n"
                + "    body.smime-serial=1e body.smime-issuer=\"CN=NSS Test CA (RSA),O=BOGUS NSS\"", value);
    }

    @Test
    void encryptionHeaderValues() {
        assertEquals("decrypted; cert=ab12", new EncryptionOutcome.Decrypted("ab12").headerValue());
        assertEquals("failed; reason=\"cannot decrypt: bad \\\"tag\\\"\"",
                new EncryptionOutcome.Failed("cannot decrypt: bad \"tag\"").headerValue());
        assertEquals("none", new EncryptionOutcome.NotEncrypted().headerValue());
    }

    @Test
    void nonAsciiFromIsReadAndWrittenAsUtf8() {
        InboundFixture fx = new InboundFixture();
        String from = "Alice@ex\u00e1mple.com";
        String utf8Headers = new String(("From: " + from + "\r\nTo: bob@example.com\r\nMIME-Version: 1.0\r\n")
                .getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);

        InboundResult result = fx.process(fx.signedByAlice(utf8Headers));

        assertEquals("signer alice@example.com is not the From address " + from, result.verdict().reason().get());
        String written = new String(result.message().toBytes().toByteArray(), StandardCharsets.UTF_8);
        assertTrue(written.contains("not the From address " + from + "\"\r\n    header.from=\"" + from + "\" "),
                written);
    }

    @Test
    void everyHeaderLineStaysWithin998Octets() {
        String huge = "x".repeat(5000);
        Signer signer = new Signer(huge + "@example.com", huge, huge, huge, "ab");
        RawMessage annotated = annotator.annotate(RawMessage.parse("Subject: s\r\n\r\nbody\r\n".getBytes(
                StandardCharsets.US_ASCII)), new SmimeResult.Policy(huge, signer), new EncryptionOutcome.Failed(huge),
                null);

        for (String line : new String(annotated.toBytes().toByteArray(), StandardCharsets.ISO_8859_1).split("\r\n")) {
            assertTrue(line.length() <= 998, () -> "line of " + line.length() + " octets");
        }
    }

    @Test
    void ourAuthservIdIsRecognisedInAnyCaseWithCommentsAndVersion() {
        assertTrue(filter.spoofed(field("Authentication-Results: gw.example.org; smime=pass")));
        assertTrue(filter.spoofed(field("authentication-results:   GW.EXAMPLE.ORG   ;smime=pass")));
        assertTrue(filter.spoofed(field("Authentication-Results: gw.example.org (x) 1; smime=pass")));
        assertTrue(filter.spoofed(field("Authentication-Results: gw.example.org")));
        assertTrue(filter.spoofed(field("Authentication-Results:\r\n gw.example.org;\r\n smime=pass")));
    }

    @Test
    void ourAuthservIdIsRecognisedAsQuotedString() {
        assertTrue(filter.spoofed(field("Authentication-Results: \"gw.example.org\"; smime=pass")));
        assertTrue(filter.spoofed(field("Authentication-Results: (c) \"GW.example.ORG\" (x) 1 ; smime=pass")));
        assertTrue(filter.spoofed(field("Authentication-Results: ((nested) c) \"gw.exam\\ple.org\"; smime=pass")));
        assertTrue(filter.spoofed(field("Authentication-Results: \" gw.example.org \";smime=pass")));
    }

    @Test
    void otherAuthservIdsAndLookalikesStay() {
        assertFalse(filter.spoofed(field("Authentication-Results: \"gw.example.org.evil.net\"; smime=pass")));
        assertFalse(filter.spoofed(field("Authentication-Results: (gw.example.org) mx.example.net; dkim=pass")));
        assertFalse(filter.spoofed(field("Authentication-Results: gw.example.org.evil.net; smime=pass")));
        assertFalse(filter.spoofed(field("Authentication-Results: mx.example.net; dkim=pass")));
        assertFalse(filter.spoofed(field("X-Original-Authentication-Results: gw.example.org; smime=pass")));
    }

    @Test
    void everyXSmimeHeaderIsSpoofed() {
        assertTrue(filter.spoofed(field("X-SMIME-Encryption: decrypted")));
        assertTrue(filter.spoofed(field("x-smime-sign: yes")));
        assertTrue(filter.spoofed(field("X-Smime-Whatever: 1")));
        assertFalse(filter.spoofed(field("X-SMIMEish: 1")));
    }

    private static HeaderField field(String raw) {
        return HeaderField.parse(raw);
    }
}
