-- The durable delivery queue (the MessageQueue port), one schema for H2 and PostgreSQL like V1.
--   queue_messages    one row per queued message: envelope, schedule, lease and content. direction is
--                     'outbound' or 'inbound', state 'queued' or 'held'. sender is '' for the null sender (never
--                     NULL). lease_owner/lease_until are both set while a delivery worker holds the message.
--   queue_recipients  the envelope recipients of a message in RCPT order (position from 0), each 'pending',
--                     'delivered' or 'failed' with the relay's last reply; removed with their message.
-- queue_messages_due serves the lease query: state = 'queued' AND next_attempt_at <= now, oldest first.

CREATE TABLE queue_messages (
    id               VARCHAR(16)              NOT NULL PRIMARY KEY,
    direction        VARCHAR(16)              NOT NULL,
    state            VARCHAR(16)              NOT NULL,
    sender           VARCHAR(512)             NOT NULL,
    received_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    next_attempt_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    attempts         INTEGER                  NOT NULL,
    last_result      VARCHAR,
    size             BIGINT                   NOT NULL,
    lease_owner      VARCHAR,
    lease_until      TIMESTAMP WITH TIME ZONE,
    content          ${blob}                  NOT NULL
);

CREATE INDEX queue_messages_due ON queue_messages (state, next_attempt_at);

CREATE TABLE queue_recipients (
    message_id  VARCHAR(16)  NOT NULL REFERENCES queue_messages (id) ON DELETE CASCADE,
    position    INTEGER      NOT NULL,
    address     VARCHAR(512) NOT NULL,
    state       VARCHAR(16)  NOT NULL,
    last_reply  VARCHAR,
    PRIMARY KEY (message_id, position)
);
