package org.smimegw.core.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.smimegw.core.mime.Bytes;
import org.smimegw.core.port.AuditEvent;
import org.smimegw.core.port.StoreFailure;

/**
 * The durable delivery queue, shared by every process on the same store. A message is stored with its envelope
 * and content when the gateway accepts it, leased by one delivery worker at a time, and removed once no recipient
 * is pending. Thread-safe; every method works on the database at once, so processes see each other's changes.
 *
 * <p>Leases make several workers (and nodes) safe: {@link #lease} hands a due message to exactly one owner until
 * the lease ends; {@link #finishAttempt} only counts for the lease's current owner (a lease that has ended still
 * counts until another owner takes the message), and {@link #renewLease} lets the owner of a slow attempt keep it.
 * A delivery that outlasts its lease without renewing it may therefore be repeated by another worker: delivery is at
 * least once.
 *
 * <p>Every method throws {@link StoreFailure} when the store cannot do what it asks (the database is down, a
 * statement failed): the caller tries again later and never blames the message.
 */
public interface MessageQueue {

    /** A message handed to a delivery worker: its entry as leased, and its content. */
    record Leased(QueueEntry entry, Bytes content) {
    }

    /**
     * Stores a new message, due at once, with every recipient pending. Durable when this returns.
     *
     * @param id from {@link QueueIds#next}
     * @param sender the envelope sender, empty for the null sender
     * @throws IllegalArgumentException when the id is taken or a recipient list is empty
     */
    default void enqueue(String id, Direction direction, String sender, List<String> recipients, Bytes content,
            Instant receivedAt) {
        enqueue(id, direction, sender, recipients, content, receivedAt, null);
    }

    /**
     * {@link #enqueue(String, Direction, String, List, Bytes, Instant)} with the verdicts of processing, kept with the
     * message until it reaches its final state (see {@link QueueEntry#verdicts}).
     *
     * @param verdicts space-separated {@code key=value} words, or null
     */
    default void enqueue(String id, Direction direction, String sender, List<String> recipients, Bytes content,
            Instant receivedAt, String verdicts) {
        enqueue(id, direction, sender, recipients, content, receivedAt, verdicts, List.of());
    }

    /**
     * {@link #enqueue(String, Direction, String, List, Bytes, Instant, String)} with the audit events that go with
     * the message (how it was processed, that it was queued), made durable in the same commit as the message: both
     * are there after a crash, or neither (ADR 20).
     */
    default void enqueue(String id, Direction direction, String sender, List<String> recipients, Bytes content,
            Instant receivedAt, String verdicts, List<AuditEvent> audit) {
        enqueueAll(List.of(new NewEntry(id, direction, sender, recipients, content, receivedAt, verdicts)), audit);
    }

    /**
     * A new message for {@link #enqueueAll}: the arguments of
     * {@link #enqueue(String, Direction, String, List, Bytes, Instant, String)}.
     *
     * @param id from {@link QueueIds#next}
     * @param sender the envelope sender, empty for the null sender
     * @param verdicts space-separated {@code key=value} words, or null
     */
    record NewEntry(String id, Direction direction, String sender, List<String> recipients, Bytes content,
            Instant receivedAt, String verdicts) {
    }

    /**
     * Queues every entry, due at once with every recipient pending, and records the audit events, in one commit:
     * all are there after a crash, or none (the copies of a message split by policy, docs/design.md §11). Durable
     * when this returns.
     *
     * @throws IllegalArgumentException naming the id when an id is taken (by the store, or twice in the list) or an
     *         entry has no recipients; then nothing is queued and no event recorded
     */
    void enqueueAll(List<NewEntry> entries, List<AuditEvent> audit);

    /** {@link #enqueue(String, Direction, String, List, Bytes, Instant)} for a content already on the heap. */
    default void enqueue(String id, Direction direction, String sender, List<String> recipients, byte[] content,
            Instant receivedAt) {
        enqueue(id, direction, sender, recipients, Bytes.of(content), receivedAt);
    }

    /**
     * Stores a message that could not be processed, exactly as received, in state {@link QueueState#UNPROCESSED}
     * with {@code reason} as its last result. It is never leased; {@link #release} refuses it. Durable when this
     * returns.
     *
     * @throws IllegalArgumentException when the id is taken or a recipient list is empty
     */
    void enqueueUnprocessed(String id, Direction direction, String sender, List<String> recipients, Bytes content,
            Instant receivedAt, String reason);

    /**
     * Takes the message that has been due longest: state {@code QUEUED}, {@code nextAttemptAt <= now}, and no live
     * lease (none, or one that ended before {@code now}). The caller owns it until {@code now + leaseTime}.
     *
     * Every lease raises the entry's {@link QueueEntry#unfinishedAttempts}; {@link #finishAttempt} and
     * {@link #release} set it back to 0, so a message whose attempts keep ending without a result can be told apart.
     *
     * @return empty when nothing is due
     */
    Optional<Leased> lease(String owner, Instant now, Duration leaseTime);

    /**
     * Extends a lease that {@code owner} still holds to end at {@code until}, so that a slow delivery that is alive
     * keeps its message while the lease of a dead worker runs out. Only the current owner renews: a lease that has
     * ended still counts for its owner until another owner takes the message (as for {@link #finishAttempt}).
     *
     * @param until the new end of the lease; the caller passes its clock's now plus the lease time
     * @return false when the lease had been lost (taken by another owner, the attempt recorded, or the message
     *         deleted): nothing was changed, and the caller must treat its attempt as no longer leased
     */
    boolean renewLease(String id, String owner, Instant until);

    /**
     * Records one delivery attempt made under a lease and ends the lease. {@code outcomes} give the new state of
     * the recipients tried (others keep theirs), matched by address exactly as enqueued; an outcome for an address
     * the message does not have is ignored. When no recipient is pending afterwards the message is removed;
     * otherwise it is due again at {@code nextAttemptAt} and its attempt count goes up by one. A message held
     * during the attempt stays held.
     *
     * @param lastResult one line for {@code queue list}/{@code show}
     * @return false when the lease had already been lost (ended and taken by another owner, or the message was
     *         deleted): nothing was changed
     */
    default boolean finishAttempt(String id, String owner, List<RecipientStatus> outcomes, Instant nextAttemptAt,
            String lastResult) {
        return finishAttempt(id, owner, outcomes, nextAttemptAt, lastResult, List.of());
    }

    /**
     * {@link #finishAttempt(String, String, List, Instant, String)} with the audit events of the attempt, recorded in
     * the same commit, and only when the attempt is recorded (the lease was still held): when this returns false,
     * neither the attempt nor the events were recorded.
     */
    boolean finishAttempt(String id, String owner, List<RecipientStatus> outcomes, Instant nextAttemptAt,
            String lastResult, List<AuditEvent> audit);

    /** What {@link #finishAttemptAndLease} did: whether the attempt was recorded, and the message leased next. */
    record Finished(boolean recorded, Optional<Leased> next) {
    }

    /**
     * {@link #finishAttempt(String, String, List, Instant, String, List)}, then {@link #lease} of the next due message
     * for the same owner, made durable together: a delivery worker makes one write per message instead of two
     * (ADR 20). The lease is taken whether or not the attempt was recorded.
     */
    default Finished finishAttemptAndLease(String id, String owner, List<RecipientStatus> outcomes,
            Instant nextAttemptAt, String lastResult, List<AuditEvent> audit, Instant now, Duration leaseTime) {
        boolean recorded = finishAttempt(id, owner, outcomes, nextAttemptAt, lastResult, audit);
        return new Finished(recorded, lease(owner, now, leaseTime));
    }

    /**
     * Ends a lease whose attempt failed without a result for any recipient (the worker met an exception): the message
     * is due again at {@code nextAttemptAt} with {@code reason} as its last result, and its attempt count goes up by
     * one. Its {@link QueueEntry#unfinishedAttempts} stays, so repeated failures add up.
     *
     * @return false when the lease had already been lost: nothing was changed
     */
    boolean abandonAttempt(String id, String owner, String reason, Instant nextAttemptAt);

    /**
     * Ends a lease by holding the message, with {@code reason} as its last result: a message that keeps failing is
     * kept for the operator instead of being tried forever.
     *
     * @return false when the lease had already been lost: nothing was changed
     */
    boolean holdLeased(String id, String owner, String reason);

    /** Every message with its recipients (not its content), oldest {@code receivedAt} first. */
    List<QueueEntry> list();

    Optional<QueueEntry> find(String id);

    /** The content of a message, or empty when there is no such message. */
    Optional<Bytes> content(String id);

    /**
     * Makes a queued message due at {@code now}. False when there is no such message or it is not queued. On a message
     * under lease, the attempt's {@link #finishAttempt} then sets the next time.
     */
    boolean retry(String id, Instant now);

    /**
     * Holds a message: never leased until released. An attempt already under lease is not interrupted (see
     * {@link #finishAttempt}). False when there is no such message or it is {@link QueueState#UNPROCESSED}; true for
     * one already held.
     */
    boolean hold(String id);

    /**
     * Releases a held message and makes it due at {@code now}, with no unfinished attempts. False when there is no
     * such held message (an {@link QueueState#UNPROCESSED} one is never released as it is).
     */
    boolean release(String id, Instant now);

    /** Removes a message for good. False when there is no such message. */
    boolean delete(String id);

    /**
     * How many messages are in each state, per direction, and when the oldest message still to be delivered
     * ({@link QueueState#QUEUED}) was received: one cheap look for the metrics, consistent in itself.
     */
    QueueStats stats();
}
