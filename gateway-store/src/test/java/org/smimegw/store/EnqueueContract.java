package org.smimegw.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.smimegw.core.mime.Bytes;
import org.smimegw.core.port.AuditEvent;
import org.smimegw.core.queue.Direction;
import org.smimegw.core.queue.MessageQueue;
import org.smimegw.core.queue.MessageQueue.NewEntry;
import org.smimegw.core.queue.QueueEntry;
import org.smimegw.core.queue.QueueIds;
import org.smimegw.core.queue.QueueState;
import org.smimegw.core.queue.RecipientStatus;
import org.smimegw.core.queue.RecipientStatus.State;

/** What every {@link MessageQueue} promises about enqueue, find, list and content. */
public interface EnqueueContract extends QueueFixture {

    @Test
    default void enqueuedMessageIsFoundWithItsEnvelopeAllRecipientsPendingAndDueAtOnce() {
        String id = QueueIds.next(T);

        queue().enqueue(id, Direction.OUTBOUND, "a@example.org", List.of("b@example.com", "c@example.com"), CONTENT,
                T);

        QueueEntry expected = new QueueEntry(id, Direction.OUTBOUND, QueueState.QUEUED, "a@example.org",
                List.of(RecipientStatus.pending("b@example.com"), RecipientStatus.pending("c@example.com")), T, T, 0,
                null, CONTENT.length, null, null, 0, null);
        assertEquals(Optional.of(expected), queue().find(id));
        assertEquals(List.of(expected), queue().list());
        assertArrayEquals(CONTENT, queue().content(id).orElseThrow().toByteArray());
    }

    @Test
    default void keepsTheDirection() {
        String id = enqueue(T, "a@example.org", "b@example.com");
        String inbound = QueueIds.next(T);
        queue().enqueue(inbound, Direction.INBOUND, "x@example.net", List.of("helpdesk@example.org"), CONTENT, T);

        assertEquals(Direction.OUTBOUND, queue().find(id).orElseThrow().direction());
        assertEquals(Direction.INBOUND, queue().find(inbound).orElseThrow().direction());
    }

    @Test
    default void keepsLargeBinaryContentExactly() {
        byte[] content = new byte[3 * 1024 * 1024];
        new Random(42).nextBytes(content);
        String id = QueueIds.next(T);

        queue().enqueue(id, Direction.INBOUND, "a@example.org", List.of("b@example.com"), content, T);

        assertArrayEquals(content, queue().content(id).orElseThrow().toByteArray());
        assertEquals(content.length, queue().find(id).orElseThrow().size());
        assertArrayEquals(content, queue().lease("w1", T, LEASE).orElseThrow().content().toByteArray());
    }

    @Test
    default void listIsOldestReceivedFirst() {
        String second = enqueue(T.plusSeconds(60), "a@example.org", "b@example.com");
        String first = enqueue(T, "a@example.org", "b@example.com");
        String third = enqueue(T.plusSeconds(120), "a@example.org", "b@example.com");

        assertEquals(List.of(first, second, third), queue().list().stream().map(QueueEntry::id).toList());
    }

    @Test
    default void recipientsKeepTheirRcptOrderThroughLeaseAndAttempts() {
        List<String> recipients = List.of("zoe@example.com", "adam@example.com", "mia@example.com",
                "bob@example.com");
        String id = enqueue(T, "a@example.org", recipients.toArray(String[]::new));

        assertEquals(recipients, addresses(queue().find(id).orElseThrow()));
        assertEquals(recipients, addresses(queue().lease("w1", T, LEASE).orElseThrow().entry()));
        queue().finishAttempt(id, "w1", List.of(new RecipientStatus("mia@example.com", State.DELIVERED, "250 ok"),
                new RecipientStatus("zoe@example.com", State.PENDING, "451 later")), T.plusSeconds(60), "deferred");
        assertEquals(recipients, addresses(queue().find(id).orElseThrow()));
        assertEquals(recipients, addresses(queue().list().get(0)));
    }

    @Test
    default void nullSenderRoundTripsAsTheEmptyString() {
        String id = enqueue(T, "", "b@example.com");

        assertEquals("", queue().find(id).orElseThrow().sender());
        assertTrue(queue().find(id).orElseThrow().nullSender());
        assertTrue(queue().list().get(0).nullSender());
        assertTrue(queue().lease("w1", T, LEASE).orElseThrow().entry().nullSender());
    }

    @Test
    default void takenIdIsRefusedAndTheFirstMessageKept() {
        String id = enqueue(T, "a@example.org", "b@example.com");

        assertThrows(IllegalArgumentException.class, () -> queue().enqueue(id, Direction.INBOUND, "x@example.net",
                List.of("y@example.net"), new byte[] {1}, T.plusSeconds(1)));

        QueueEntry kept = queue().find(id).orElseThrow();
        assertEquals("a@example.org", kept.sender());
        assertEquals(List.of("b@example.com"), addresses(kept));
        assertArrayEquals(CONTENT, queue().content(id).orElseThrow().toByteArray());
        assertEquals(1, queue().list().size());
    }

    @Test
    default void messageWithoutRecipientsIsRefused() {
        String id = QueueIds.next(T);

        assertThrows(IllegalArgumentException.class,
                () -> queue().enqueue(id, Direction.OUTBOUND, "a@example.org", List.of(), CONTENT, T));

        assertTrue(queue().find(id).isEmpty());
        assertTrue(queue().list().isEmpty());
    }

    @Test
    default void enqueueAllQueuesEveryEntryWithItsOwnRecipientsContentAndVerdicts() {
        String encrypted = QueueIds.next(T);
        String signed = QueueIds.next(T);
        byte[] signedContent = "Subject: signed copy\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);

        queue().enqueueAll(List.of(
                new NewEntry(encrypted, Direction.OUTBOUND, "a@example.org", List.of("b@example.com"),
                        Bytes.of(CONTENT), T, "encryption=encrypted"),
                new NewEntry(signed, Direction.OUTBOUND, "a@example.org", List.of("c@example.com", "d@example.com"),
                        Bytes.of(signedContent), T, "encryption=none")),
                List.of(new AuditEvent(T, "outbound", encrypted, "encrypted", null),
                        new AuditEvent(T, "outbound", signed, "signed", null)));

        QueueEntry first = new QueueEntry(encrypted, Direction.OUTBOUND, QueueState.QUEUED, "a@example.org",
                List.of(RecipientStatus.pending("b@example.com")), T, T, 0, null, CONTENT.length, null, null, 0,
                "encryption=encrypted");
        QueueEntry second = new QueueEntry(signed, Direction.OUTBOUND, QueueState.QUEUED, "a@example.org",
                List.of(RecipientStatus.pending("c@example.com"), RecipientStatus.pending("d@example.com")), T, T, 0,
                null, signedContent.length, null, null, 0, "encryption=none");
        assertEquals(Optional.of(first), queue().find(encrypted));
        assertEquals(Optional.of(second), queue().find(signed));
        assertEquals(Set.of(first, second), Set.copyOf(queue().list()));
        assertArrayEquals(CONTENT, queue().content(encrypted).orElseThrow().toByteArray());
        assertArrayEquals(signedContent, queue().content(signed).orElseThrow().toByteArray());
    }

    @Test
    default void enqueueAllWithATakenIdQueuesNoneOfTheEntries() {
        String taken = enqueue(T, "a@example.org", "b@example.com");
        String fresh = QueueIds.next(T);

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> queue().enqueueAll(
                List.of(newEntry(fresh, "c@example.com"), newEntry(taken, "d@example.com")), List.of()));

        assertTrue(refused.getMessage().contains(taken), refused.getMessage());
        assertTrue(queue().find(fresh).isEmpty());
        assertEquals(List.of(taken), queue().list().stream().map(QueueEntry::id).toList());
        assertEquals(List.of("b@example.com"), addresses(queue().find(taken).orElseThrow()));
    }

    @Test
    default void enqueueAllRefusesAnIdTwiceInTheListAndQueuesNothing() {
        String id = QueueIds.next(T);
        String other = QueueIds.next(T);

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> queue().enqueueAll(
                List.of(newEntry(id, "b@example.com"), newEntry(other, "c@example.com"),
                        newEntry(id, "d@example.com")), List.of()));

        assertTrue(refused.getMessage().contains(id), refused.getMessage());
        assertTrue(queue().list().isEmpty());
    }

    @Test
    default void enqueueAllRefusesAnEntryWithoutRecipientsAndQueuesNothing() {
        String id = QueueIds.next(T);
        String empty = QueueIds.next(T);

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> queue().enqueueAll(
                List.of(newEntry(id, "b@example.com"), newEntry(empty)), List.of()));

        assertTrue(refused.getMessage().contains(empty), refused.getMessage());
        assertTrue(queue().list().isEmpty());
    }

    @Test
    default void unknownIdIsNotFoundAndNotChanged() {
        String unknown = QueueIds.next(T);

        assertTrue(queue().find(unknown).isEmpty());
        assertTrue(queue().content(unknown).isEmpty());
        assertFalse(queue().retry(unknown, T));
        assertFalse(queue().hold(unknown));
        assertFalse(queue().release(unknown, T));
        assertFalse(queue().delete(unknown));
        assertFalse(queue().finishAttempt(unknown, "w1", List.of(), T, "none"));
    }

    /** An outbound entry with {@link #CONTENT}, received at {@link #T}, for {@link MessageQueue#enqueueAll}. */
    private static NewEntry newEntry(String id, String... recipients) {
        return new NewEntry(id, Direction.OUTBOUND, "a@example.org", List.of(recipients), Bytes.of(CONTENT), T,
                null);
    }
}
