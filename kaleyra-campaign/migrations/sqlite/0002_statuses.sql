-- Kaleyra's status callbacks per row: the furthest status reached (sent,
-- delivered, read, failed) and why it failed, matched by the row's `ref` or
-- its message id; and the callbacks already applied, by idempotency key, so
-- a repeated delivery changes nothing.

ALTER TABLE journal_rows ADD COLUMN last_status TEXT;
ALTER TABLE journal_rows ADD COLUMN status_error TEXT;

CREATE INDEX journal_rows_by_message_id ON journal_rows (message_id);

CREATE TABLE callback_events (
    key TEXT PRIMARY KEY,
    received_at BIGINT NOT NULL
);
