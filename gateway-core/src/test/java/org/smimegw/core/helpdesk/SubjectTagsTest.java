package org.smimegw.core.helpdesk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.smimegw.core.helpdesk.SubjectTags.Verdict;
import org.smimegw.core.mime.Bytes;
import org.smimegw.core.mime.RawMessage;

import jakarta.mail.internet.MimeUtility;

/**
 * The Subject's verdict tags, judged as a reader sees the Subject: every written Subject is parsed again and decoded
 * with jakarta.mail, another decoder than the one that looks for the tags.
 */
class SubjectTagsTest {
    private static final SubjectTags ON = new SubjectTags(true, SubjectTags.PASS, SubjectTags.FAIL,
            SubjectTags.POLICY, SubjectTags.DECRYPTED);

    private static RawMessage message(String headers) {
        return RawMessage.parse(("From: a@example.com\r\n" + headers + "Content-Type: text/plain\r\n\r\nbody\r\n")
                .getBytes(StandardCharsets.UTF_8));
    }

    /** The Subject fields of the message as written and parsed again, decoded by jakarta.mail. */
    private static List<String> subjects(RawMessage message) {
        RawMessage written = RawMessage.parse(message.toBytes().toByteArray());
        return written.headers().stream().filter(h -> h.is("Subject")).map(h -> {
            try {
                return MimeUtility.decodeText(h.utf8Value().orElseThrow());
            } catch (java.io.UnsupportedEncodingException e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    private static String subject(RawMessage message) {
        List<String> all = subjects(message);
        assertEquals(1, all.size(), all.toString());
        return all.get(0);
    }

    private static String raw(RawMessage message) {
        return message.headers().stream().filter(h -> h.is("Subject")).findFirst().orElseThrow().raw();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Re: [S/MIME verified] Your ticket|Re: Your ticket",
        "AW: [Ticket#4711] [encrypted] [S/MIME verified] Ihre Anfrage|AW: [Ticket#4711] Ihre Anfrage",
        "Re: [S/MIME INVALID]Refund|Re: Refund",
        "[S/MIME untrusted]|''",
        "Re:[encrypted]|Re:",
        "Fwd: [ s/mime   VERIFIED ] x|Fwd: x",
        "Re: [S/MIMEverified] x|Re: x",
        "Re: ［Ｓ/ＭＩＭＥ verified］ x|Re: x",
        "Re: [S/MIME veri\u200Bfied] x|Re: x",
        "Re: [S/MIME ve\u0301rified] x|Re: x",
        "[S/MIME [S/MIME verified]verified] nested|nested",
        "Re: keep  two  spaces [encrypted]  here|Re: keep  two  spaces here"})
    void repliesLoseEveryTagInAnyCaseSpacingAndForm(String received, String sent) {
        RawMessage reply = message("Subject: " + received + "\r\n");

        assertEquals(sent, subject(SubjectTags.DEFAULTS.untagged(reply)));
    }

    @Test
    void aReplyWithoutTagsIsLeftAsItIs() {
        RawMessage reply = message("Subject: Re: [Ticket#4711] encrypted files, verified\r\n");

        assertSame(reply, SubjectTags.DEFAULTS.untagged(reply));
    }

    @Test
    void encodedAndFoldedSubjectsAreDecodedToFindTheTagsAndEncodedAgain() {
        byte[] utf8 = "[S/MIME verified] Grüße".getBytes(StandardCharsets.UTF_8);
        String encoded = "Subject: Re:\r\n =?UTF-8?B?" + Base64.getEncoder().encodeToString(utf8)
                + "?=\r\n =?ISO-8859-1?Q?_aus_K=F6ln?=\r\n";
        RawMessage untagged = SubjectTags.DEFAULTS.untagged(message(encoded));

        assertEquals("Re: Grüße aus Köln", subject(untagged));
        assertTrue(raw(untagged).matches("(?s)Subject: [ -~\r\n]+"), "encoded again: " + raw(untagged));
    }

    @Test
    void anEncodedWordTouchingOtherTextIsDecodedAsLenientReadersDo() {
        RawMessage reply = message("Subject: Re:=?UTF-8?Q?[S/MIME_verified]?=done\r\n");

        assertEquals("Re: done", subject(SubjectTags.DEFAULTS.untagged(reply)));
    }

    @Test
    void controlCharactersInADecodedSubjectStayEncodedAndStartNoField() {
        RawMessage reply = message("Subject: =?UTF-8?Q?[encrypted]_x=0D=0ABcc:_evil@example.net?=\r\n");

        RawMessage untagged = RawMessage.parse(SubjectTags.DEFAULTS.untagged(reply).toBytes().toByteArray());

        assertEquals(List.of(), untagged.headerValues("Bcc"));
        assertEquals("x\r\nBcc: evil@example.net", subject(untagged));
    }

    @Test
    void taggingPutsTheVerdictInFrontAndKeepsTheSubjectByteForByte() {
        RawMessage received = message("Subject: =?ISO-8859-1?Q?Gr=FC=DFe?= \r\n\tand more\r\n");

        RawMessage tagged = ON.tagged(received, Verdict.PASS, true).message();

        assertEquals("Subject: [encrypted] [S/MIME verified] =?ISO-8859-1?Q?Gr=FC=DFe?= \r\n\tand more", raw(tagged));
        assertEquals("[encrypted] [S/MIME verified] Grüße \tand more", subject(tagged));
    }

    @Test
    void eightBitSubjectsKeepTheirBytesWhenTagged() {
        RawMessage received = message("Subject: Grüße\r\n");

        RawMessage tagged = ON.tagged(received, Verdict.POLICY, false).message();

        assertEquals(List.of("[S/MIME untrusted] Grüße"), tagged.headers().stream().filter(h -> h.is("Subject"))
                .map(h -> h.utf8Value().orElseThrow()).toList());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "PASS|false|[S/MIME verified] Refund",
        "FAIL|false|[S/MIME INVALID] Refund",
        "POLICY|true|[encrypted] [S/MIME untrusted] Refund",
        "NONE|true|[encrypted] Refund",
        "NONE|false|Refund"})
    void eachVerdictGetsItsTagAndForgedOnesGoFirst(Verdict verdict, boolean decrypted, String expected) {
        RawMessage received = message("Subject: [S/MIME verified] Refund [encrypted]\r\n");

        SubjectTags.Tagging tagging = ON.tagged(received, verdict, decrypted);

        assertEquals(expected, subject(tagging.message()));
        assertEquals(List.of("removed 2 tags from the Subject"), tagging.notes());
    }

    @Test
    void aSubjectThatIsOnlyATagBecomesOurTagAlone() {
        assertEquals("[S/MIME INVALID]", subject(ON.tagged(message("Subject: [S/MIME verified]\r\n"),
                Verdict.FAIL, false).message()));
        RawMessage untagged = ON.tagged(message("Subject:  [S/MIME verified] \r\n"), Verdict.NONE, false).message();
        assertEquals("", subject(untagged));
    }

    @Test
    void aMessageWithoutSubjectGetsOneHoldingTheTags() {
        RawMessage tagged = ON.tagged(message(""), Verdict.PASS, true).message();

        assertEquals("[encrypted] [S/MIME verified]", subject(tagged));
    }

    @Test
    void severalSubjectFieldsLoseForgedTagsButGetNone() {
        RawMessage received = message("Subject: [S/MIME verified] one\r\nSubject: two\r\n");

        SubjectTags.Tagging tagging = ON.tagged(received, Verdict.PASS, false);

        assertEquals(List.of("one", "two"), subjects(tagging.message()));
        assertEquals(List.of("removed 1 tag from the Subject", "Subject not tagged: 2 Subject fields"),
                tagging.notes());
    }

    @Test
    void withTaggingOffTheSubjectIsLeftExactlyAsReceived() {
        RawMessage received = message("Subject: [S/MIME verified] Refund\r\n");

        SubjectTags.Tagging tagging = SubjectTags.DEFAULTS.tagged(received, Verdict.FAIL, true);

        assertSame(received, tagging.message());
        assertEquals(List.of(), tagging.notes());
    }

    @Test
    void aLongFirstLineIsFoldedAfterTheTags() {
        String long70 = "x".repeat(30) + " " + "y".repeat(39);
        RawMessage tagged = ON.tagged(message("Subject: " + long70 + "\r\n"), Verdict.PASS, false).message();

        assertEquals("Subject: [S/MIME verified]\r\n " + long70, raw(tagged));
        assertEquals("[S/MIME verified] " + long70, subject(tagged));
    }

    @Test
    void tagsThatAreNotAsciiAreEncoded() {
        SubjectTags german = new SubjectTags(true, "[S/MIME geprüft]", "[S/MIME UNGÜLTIG]", "[S/MIME unbestätigt]",
                "[verschlüsselt]");

        RawMessage tagged = german.tagged(message("Subject: [S/MIME geprüft] Rückfrage\r\n"), Verdict.PASS, true)
                .message();

        assertEquals("[verschlüsselt] [S/MIME geprüft] Rückfrage", subject(tagged));
        assertTrue(raw(tagged).chars().allMatch(c -> c < 0x80), raw(tagged));
    }

    @Test
    void tagsInTheFieldsBeyondTheFieldLimitAreFoundToo() {
        StringBuilder headers = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            headers.append("X-Filler-").append(i).append(": x\r\n");
        }
        headers.append("Subject: Re: [S/MIME verified] late\r\n");
        RawMessage lumped = RawMessage.parse(Bytes.of(("From: a@example.com\r\n" + headers + "\r\nbody\r\n")
                .getBytes(StandardCharsets.US_ASCII)), 5);

        RawMessage untagged = SubjectTags.DEFAULTS.untagged(lumped);

        assertEquals(6, untagged.headers().size(), "the lump stays one field");
        assertEquals("Re: late", subject(untagged));
    }

    @Test
    void aSubjectOfThousandsOfNestedAndRepeatedTagsLosesThemAll() {
        int n = 20_000;
        String hostile = "[S/MIME ".repeat(n) + "verified]".repeat(n) + " [encrypted]".repeat(n) + " real";

        assertEquals("real", subject(SubjectTags.DEFAULTS.untagged(message("Subject: " + hostile + "\r\n"))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\u200B", "[S/MIME\r\nverified]", "tab\u007f"})
    void aTagTextThatShowsNothingOrHoldsControlsIsRefused(String text) {
        assertTrue(SubjectTags.problem(text).isPresent(), text);
        assertThrows(IllegalArgumentException.class, () -> new SubjectTags(true, text, SubjectTags.FAIL,
                SubjectTags.POLICY, SubjectTags.DECRYPTED));
    }

    @Test
    void theDefaultTagsHaveNoProblem() {
        for (String tag : List.of(SubjectTags.PASS, SubjectTags.FAIL, SubjectTags.POLICY, SubjectTags.DECRYPTED)) {
            assertFalse(SubjectTags.problem(tag).isPresent(), tag);
        }
    }
}
