package org.smimegw.core.mime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The one reading of a header section, and that the parser and the limit check see the same fields in it. */
class HeaderSectionTest {

    private static Bytes ascii(String text) {
        return Bytes.of(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Each line as "text" or "+text" (continuation), and the end. */
    private static List<String> lines(String text, int limit) {
        Bytes bytes = ascii(text);
        List<String> seen = new ArrayList<>();
        HeaderSection.End end = HeaderSection.scan(bytes, limit, (start, lineEnd, startsField) -> {
            seen.add((startsField ? "" : "+") + bytes.latin1(start, lineEnd));
            return true;
        });
        seen.add("end " + end.emptyLine() + "/" + end.body());
        return seen;
    }

    @Test
    void crlfBareLfAndBareCrEndLinesAlike() {
        assertEquals(List.of("A: 1", "+ 2", "B: 3", "end 16/18"), lines("A: 1\r\n 2\r\nB: 3\r\n\r\nbody", 99));
        assertEquals(List.of("A: 1", "+ 2", "B: 3", "end 13/14"), lines("A: 1\n 2\nB: 3\n\nbody", 99));
        assertEquals(List.of("A: 1", "+ 2", "B: 3", "end 13/14"), lines("A: 1\r 2\rB: 3\r\rbody", 99));
        // a bare CR before the CRLF is a line end of its own, so this is an empty line and the body starts
        assertEquals(List.of("A: 1", "end 5/7"), lines("A: 1\r\r\nB: 2\r\n\r\n", 99));
    }

    @Test
    void aSectionWithoutEmptyLineEndsWhereTheBytesEnd() {
        assertEquals(List.of("A: 1", "end 4/4"), lines("A: 1", 99));
        assertEquals(List.of("A: 1", "end 6/6"), lines("A: 1\r\n", 99));
        assertEquals(List.of("end 0/2"), lines("\r\nbody", 99));
    }

    @Test
    void aLeadingFoldedLineStartsAField() {
        assertEquals(List.of(" A: 1", "+\tmore", "B: 2", "end 20/22"), lines(" A: 1\r\n\tmore\r\nB: 2\r\n\r\n", 99));
    }

    @Test
    void onlyLinesStartingBeforeTheLimitAreRead() {
        assertEquals(List.of("A: 1", "B: 2", "end 8/8"), lines("A: 1\r\nB: 2\r\nC: 3\r\n\r\nbody", 8));
        assertEquals(List.of("A: 1", "end 6/8"), lines("A: 1\r\n\r\nbody", 7));
    }

    @Test
    void theReaderCanStop() {
        Bytes bytes = ascii("A: 1\r\nB: 2\r\nC: 3\r\n\r\n");
        List<Integer> starts = new ArrayList<>();
        HeaderSection.End end = HeaderSection.scan(bytes, bytes.length(), (start, lineEnd, startsField) -> {
            starts.add(start);
            return starts.size() < 2;
        });
        assertEquals(List.of(0, 6), starts);
        assertEquals(new HeaderSection.End(6, 6), end);
    }

    @Test
    void theParserKeepsEveryFieldByteForByteAndTheLumpAsReceived() {
        RawMessage parsed = RawMessage.parse(ascii(" lead\r\nA: 1\r\n 2\r\nB: 3\r\nC: 4\r\n\tfive\r\n\r\nbody\r\n"), 2);
        assertEquals(List.of(" lead", "A: 1\r\n 2", "B: 3\r\nC: 4\r\n\tfive"),
                parsed.headers().stream().map(HeaderField::raw).toList());
        assertEquals(2, parsed.headers().get(2).fieldCount());
        assertEquals("body\r\n", parsed.body().latin1(0, parsed.body().length()));
    }
}
