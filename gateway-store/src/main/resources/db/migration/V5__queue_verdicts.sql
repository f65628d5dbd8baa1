-- Per-message log line (docs/monitoring.md). verdicts holds what processing decided, as space-separated key=value
-- words ('smime=pass encryption=decrypted' inbound, 'signed=yes encrypted=no' outbound), so that the line written
-- when the message is delivered or bounced can name them. NULL for delivery status notifications, messages kept
-- unprocessed, and messages queued before this column existed. One schema for H2 and PostgreSQL like V1.

ALTER TABLE queue_messages ADD COLUMN verdicts VARCHAR(200);
