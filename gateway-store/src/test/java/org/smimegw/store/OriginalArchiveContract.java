package org.smimegw.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.smimegw.core.mime.Bytes;
import org.smimegw.core.port.OriginalArchive;
import org.smimegw.core.port.OriginalArchive.KeptOriginal;

/** What every {@link OriginalArchive} promises. */
public interface OriginalArchiveContract {

    OriginalArchive originals();

    @Test
    default void keptOriginalIsFoundWithItsEnvelopeAndExactBytes() {
        byte[] message = ("From: a@example.org\r\nTo: b@example.com\r\nSubject: caf\u00e9\r\n\r\nbody\r\n")
                .getBytes(StandardCharsets.UTF_8);
        List<String> recipients = List.of("b@example.com", "c@example.com");

        String id = originals().keep("a@example.org", recipients, Bytes.of(message));
        KeptOriginal kept = originals().find(id).orElseThrow();

        assertEquals(id, kept.id());
        assertEquals("a@example.org", kept.sender());
        assertEquals(recipients, kept.recipients());
        assertArrayEquals(message, kept.message().toByteArray());
    }

    @Test
    default void keepsLargeBinaryMessages() {
        byte[] message = new byte[3 * 1024 * 1024];
        new Random(42).nextBytes(message);

        String id = originals().keep("a@example.org", List.of("b@example.com"), Bytes.of(message));

        assertArrayEquals(message, originals().find(id).orElseThrow().message().toByteArray());
    }

    @Test
    default void keepsBouncesWithANullSender() {
        String id = originals().keep(null, List.of("b@example.com"), Bytes.of(new byte[] {'x'}));

        assertNull(originals().find(id).orElseThrow().sender());
    }

    @Test
    default void eachKeptOriginalGetsItsOwnId() {
        String first = originals().keep("a@example.org", List.of("b@example.com"), Bytes.of(new byte[] {1}));
        String second = originals().keep("a@example.org", List.of("b@example.com"), Bytes.of(new byte[] {2}));

        assertNotEquals(first, second);
        assertArrayEquals(new byte[] {2}, originals().find(second).orElseThrow().message().toByteArray());
    }

    @Test
    default void unknownIdIsNotFound() {
        assertTrue(originals().find("no-such-id").isEmpty());
    }

    @Test
    default void recipientWithALineBreakIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> originals().keep("a@example.org", List.of("b@example.com\nc@example.com"), Bytes.of(new byte[] {1})));
    }
}
