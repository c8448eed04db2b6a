-- Why a message failed after the send, typed: the code of its `failed`
-- status (Meta's `131026`, or one this project does not know, as sent) and
-- its title, beside `status_error`'s whole text. A campaign looks for the
-- codes that stop or slow it while it sends, and a report groups failures
-- by code: the index holds only the rows that have one, which are few.

ALTER TABLE journal_rows ADD COLUMN error_code TEXT;
ALTER TABLE journal_rows ADD COLUMN error_title TEXT;

CREATE INDEX journal_rows_by_error_code ON journal_rows (error_code) WHERE error_code IS NOT NULL;
