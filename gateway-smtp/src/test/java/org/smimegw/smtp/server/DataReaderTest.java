package org.smimegw.smtp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.smimegw.core.mime.SpoolArea;

class DataReaderTest {
    private static final long LIMIT = 1000;

    @Test
    void endsOnlyAtCrLfDotCrLfAndLeavesWhatFollowsForTheSession() throws IOException {
        InputStream in = buffered("line 1\r\nline 2\r\n.\r\nNOOP\r\n");
        DataReader.Result result = DataReader.read(in, LIMIT, SpoolArea.DEFAULT);
        assertEquals(DataReader.Outcome.COMPLETE, result.outcome());
        assertEquals("line 1\r\nline 2\r\n", text(result.content().toByteArray()));
        assertEquals(16, result.size());
        assertEquals("NOOP\r\n", new String(in.readAllBytes(), StandardCharsets.US_ASCII));
    }

    @Test
    void readsAnEmptyMessage() throws IOException {
        DataReader.Result result = DataReader.read(buffered(".\r\nQUIT\r\n"), LIMIT, SpoolArea.DEFAULT);
        assertEquals(DataReader.Outcome.COMPLETE, result.outcome());
        assertEquals("", text(result.content().toByteArray()));
    }

    @Test
    void removesOneLeadingDotPerLine() throws IOException {
        DataReader.Result result = DataReader.read(buffered("..\r\n...x\r\n.a\r\nb.\r\n.\r\n"), LIMIT,
                SpoolArea.DEFAULT);
        assertEquals(".\r\n..x\r\na\r\nb.\r\n", text(result.content().toByteArray()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\n.\n", "\r.\r", "\r\n.\n", "\n.\r\n", "\r.\r\n", "\n.\r", "\r\n.\r"})
    void treatsLookalikeEndsAsDataWithBareLineEnds(String lookalike) throws IOException {
        InputStream in = buffered("Subject: x\r\n\r\nbody" + lookalike + "MAIL FROM:<evil@example.net>\r\n"
                + "RCPT TO:<victim@example.org>\r\nDATA\r\nsmuggled\r\n.\r\nNOOP\r\n");
        DataReader.Result result = DataReader.read(in, LIMIT, SpoolArea.DEFAULT);
        assertEquals(DataReader.Outcome.BARE_LINE_END, result.outcome());
        assertNull(result.content());
        assertEquals("NOOP\r\n", new String(in.readAllBytes(), StandardCharsets.US_ASCII));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\nb\r\n", "a\rb\r\n", "a\r\r\n", "\n", "\r\n\n", ".\n", ".\rx\r\n", "a\n\r\n"})
    void refusesEveryBareCrOrLf(String content) throws IOException {
        DataReader.Result result = DataReader.read(buffered(content + "\r\n.\r\n"), LIMIT, SpoolArea.DEFAULT);
        assertEquals(DataReader.Outcome.BARE_LINE_END, result.outcome());
    }

    @Test
    void countsContentBytesAndStopsKeepingThemBeyondTheLimit() throws IOException {
        String line = "x".repeat(98) + "\r\n";
        InputStream in = buffered(line.repeat(11) + ".\r\nNOOP\r\n");
        DataReader.Result result = DataReader.read(in, 1000, SpoolArea.DEFAULT);
        assertEquals(DataReader.Outcome.TOO_LARGE, result.outcome());
        assertEquals(1100, result.size());
        assertNull(result.content());
        assertEquals("NOOP\r\n", new String(in.readAllBytes(), StandardCharsets.US_ASCII));
    }

    @Test
    void acceptsContentOfExactlyTheLimit() throws IOException {
        String line = "x".repeat(98) + "\r\n";
        DataReader.Result result = DataReader.read(buffered(line.repeat(10) + ".\r\n"), 1000, SpoolArea.DEFAULT);
        assertEquals(DataReader.Outcome.COMPLETE, result.outcome());
        assertEquals(1000, result.content().length());
    }

    @Test
    void countsStuffedLinesByTheirUnstuffedSize() throws IOException {
        DataReader.Result result = DataReader.read(buffered("..ab\r\n.\r\n"), 5, SpoolArea.DEFAULT);
        assertEquals(DataReader.Outcome.COMPLETE, result.outcome());
        assertEquals(".ab\r\n", text(result.content().toByteArray()));
    }

    @Test
    void findsTheEndAcrossBlockBoundariesWithOneByteReads() throws IOException {
        // a stream that hands out one byte per read: every sequence is split at every position
        String data = "a\r\n..b\r\nc\r\n.\r\nRSET\r\n";
        InputStream in = new BufferedInputStream(new OneByteAtATime(data), 4);
        DataReader.Result result = DataReader.read(in, LIMIT, SpoolArea.DEFAULT);
        assertEquals("a\r\n.b\r\nc\r\n", text(result.content().toByteArray()));
        assertEquals("RSET\r\n", new String(in.readAllBytes(), StandardCharsets.US_ASCII));
    }

    @Test
    void handlesLargeMessagesSpanningManyBlocks() throws IOException {
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            data.append(i % 7 == 0 ? ".." : "").append("line ").append(i).append("\r\n");
        }
        DataReader.Result result = DataReader.read(buffered(data + ".\r\nQUIT\r\n"), 10_000_000, SpoolArea.DEFAULT);
        assertEquals(DataReader.Outcome.COMPLETE, result.outcome());
        assertEquals(data.toString().replace("\n..", "\n.").replaceFirst("^\\.\\.", "."), text(result.content().toByteArray()));
    }

    @Test
    void readsByteByByteFromAStreamWithoutMark() throws IOException {
        InputStream in = new OneByteAtATime("x\r\n.\r\nNOOP\r\n");
        DataReader.Result result = DataReader.read(in, LIMIT, SpoolArea.DEFAULT);
        assertEquals("x\r\n", text(result.content().toByteArray()));
        assertEquals("NOOP\r\n", new String(in.readAllBytes(), StandardCharsets.US_ASCII));
    }

    @Test
    void failsWhenTheConnectionEndsInsideData() {
        assertThrows(EOFException.class, () -> DataReader.read(buffered("no end\r\n"), LIMIT, SpoolArea.DEFAULT));
    }

    private static InputStream buffered(String data) {
        return new BufferedInputStream(new ByteArrayInputStream(data.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** Returns at most one byte per read and supports no mark, like a slow network. */
    private static final class OneByteAtATime extends FilterInputStream {
        OneByteAtATime(String data) {
            super(new ByteArrayInputStream(data.getBytes(StandardCharsets.ISO_8859_1)));
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, 1));
        }

        @Override
        public int available() {
            return 0;
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
