-- Delivery states for the outbox (issue 16): queued → sending → sent |
-- failed | expired. An item is marked sending, with its attempt and start
-- time, in a committed write before the channel is called; one found sending
-- at start is queued again, marked uncertain. The kind is no longer checked
-- here: an unknown kind (written by a newer version) is failed by the
-- deliverer with its reason instead of refused. Priority orders recipients
-- (replies first); key makes a notice unique per channel (a report per chat).
CREATE TABLE outbox_v7 (
	id              INTEGER PRIMARY KEY,
	ticket_id       INTEGER REFERENCES tickets (id),
	channel         TEXT    NOT NULL,
	recipient       TEXT    NOT NULL,
	kind            TEXT    NOT NULL,
	body            TEXT    NOT NULL DEFAULT '',
	key             TEXT,
	priority        INTEGER NOT NULL DEFAULT 1,
	state           TEXT    NOT NULL DEFAULT 'queued'
		CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'expired')),
	created_at      TEXT    NOT NULL,
	attempts        INTEGER NOT NULL DEFAULT 0,
	parts_sent      INTEGER NOT NULL DEFAULT 0,
	next_attempt_at TEXT    NOT NULL,
	started_at      TEXT,
	uncertain       INTEGER NOT NULL DEFAULT 0,
	done_at         TEXT,
	error           TEXT    NOT NULL DEFAULT '',
	error_class     TEXT    NOT NULL DEFAULT ''
);
INSERT INTO outbox_v7 (id, ticket_id, channel, recipient, kind, body, priority, state, created_at, attempts,
	parts_sent, next_attempt_at, done_at, error, error_class)
SELECT id, ticket_id, channel, recipient, kind, body,
	CASE kind WHEN 'reply' THEN 0 WHEN 'new_ticket' THEN 2 ELSE 1 END,
	CASE WHEN sent_at IS NOT NULL THEN 'sent' WHEN failed_at IS NOT NULL THEN 'failed' ELSE 'queued' END,
	created_at, attempts, parts_sent, next_attempt_at, coalesce(sent_at, failed_at), error,
	CASE WHEN failed_at IS NOT NULL AND error LIKE '%403%' THEN 'blocked' WHEN failed_at IS NOT NULL THEN 'rejected' ELSE '' END
FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_v7 RENAME TO outbox;

-- The next items to send: the first pending one of each recipient, replies first.
CREATE INDEX outbox_due ON outbox (channel, priority, id) WHERE state = 'queued';
-- One recipient's pending items, in order.
CREATE INDEX outbox_recipient ON outbox (channel, recipient, id) WHERE state IN ('queued', 'sending');
CREATE INDEX outbox_ticket ON outbox (ticket_id);
CREATE INDEX outbox_state ON outbox (state, channel, kind);
CREATE UNIQUE INDEX outbox_key ON outbox (channel, key) WHERE key IS NOT NULL;
