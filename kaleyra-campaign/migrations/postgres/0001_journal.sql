-- One database (or schema) holds one campaign: the template and the CSV it
-- was loaded from (their fingerprint), one row per recipient with its state,
-- and the workers sending it, each with a lease it renews while alive.

CREATE TABLE campaign (
    -- Only one campaign per journal.
    id INTEGER PRIMARY KEY CHECK (id = 1),
    template TEXT NOT NULL,
    language TEXT NOT NULL,
    definition_hash TEXT NOT NULL,
    source TEXT NOT NULL,
    source_size BIGINT NOT NULL,
    source_hash TEXT NOT NULL,
    mapping TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- A worker is alive while its lease is in the future (by the database's
-- clock, so the workers' clocks need not agree).
CREATE TABLE workers (
    id TEXT PRIMARY KEY,
    lease_until TIMESTAMPTZ NOT NULL,
    started_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE journal_rows (
    -- The row's line in the source file, from 1 (the header is line 1).
    line BIGINT PRIMARY KEY,
    recipient TEXT NOT NULL,
    -- The row's values, as the application encoded them.
    payload TEXT NOT NULL,
    -- pending, claimed, sending, sent, failed or unknown.
    state TEXT NOT NULL,
    -- The worker that last claimed it.
    worker TEXT,
    message_id TEXT,
    error_kind TEXT,
    error TEXT,
    attempts BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL
);

CREATE INDEX journal_rows_by_state ON journal_rows (state, line);
