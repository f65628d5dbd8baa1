-- Poison messages (ADR 13). unfinished_attempts counts the leases taken on a message since its last recorded
-- attempt: every lease adds one, a recorded attempt or a release sets it back to 0, so attempts that keep dying
-- (the process killed, the worker failing) can be told apart and the message held. state may now also be
-- 'unprocessed': kept as received because processing crashed on it; never leased.

ALTER TABLE queue_messages ADD COLUMN unfinished_attempts INTEGER DEFAULT 0 NOT NULL;
