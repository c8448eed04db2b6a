-- Rows keyed by their line itself. In SQLite only `INTEGER PRIMARY KEY`
-- makes a column the table's own key: with `BIGINT PRIMARY KEY` the line
-- had a second b-tree beside the table, and the index by state a third,
-- both rewritten at every change of a row's state. A run reads rows in line
-- order and writes each one by its line, which the table's order serves;
-- counting rows by state reads the table once.
--
-- The index by message id is not made here: message ids are random, so
-- each result recorded wrote a page of it somewhere else, which cost more
-- than the rest of the journal. Status callbacks find their row by its
-- `ref`; the index is made the first time one has to be found by its
-- message id instead (see `Journal::record_status`).

CREATE TABLE journal_rows_by_line (
    -- The row's line in the source file, from 1 (the header is line 1).
    line INTEGER PRIMARY KEY,
    recipient TEXT NOT NULL,
    -- The row's values, as the application encoded them.
    payload TEXT NOT NULL,
    -- pending, sending, sent, failed or unknown.
    state TEXT NOT NULL,
    message_id TEXT,
    error_kind TEXT,
    error TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL,
    last_status TEXT,
    status_error TEXT
);

INSERT INTO journal_rows_by_line
    (line, recipient, payload, state, message_id, error_kind, error, attempts, updated_at,
     last_status, status_error)
SELECT line, recipient, payload, state, message_id, error_kind, error, attempts, updated_at,
       last_status, status_error
FROM journal_rows;

DROP TABLE journal_rows;

ALTER TABLE journal_rows_by_line RENAME TO journal_rows;

