-- SPDX-License-Identifier: Apache-2.0
-- Reminders and escalation (issue 13): users get an e-mail address and a
-- head flag (the head of their department, told of its overdue tickets);
-- each open ticket's next reminder time; one reminder per ticket and level,
-- made once whatever the restarts; the console's notices with their unread
-- state.

ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN head INTEGER NOT NULL DEFAULT 0 CHECK (head IN (0, 1));

-- The open tickets whose reminders are to be looked at: next_at is when the
-- next level falls due, '' for "compute it now" (a new ticket, or a change
-- of status, deadline or department, set by the triggers below). The scan
-- reads only the rows due, by next_at: never the tickets table.
CREATE TABLE reminder_queue (
	ticket_id INTEGER PRIMARY KEY,
	next_at   TEXT    NOT NULL
);
CREATE INDEX reminder_queue_due ON reminder_queue (next_at);
INSERT INTO reminder_queue (ticket_id, next_at)
	SELECT id, '' FROM tickets WHERE status IN ('new', 'assigned', 'in_progress');

CREATE TRIGGER tickets_reminder_insert AFTER INSERT ON tickets
WHEN NEW.status IN ('new', 'assigned', 'in_progress')
BEGIN
	INSERT OR REPLACE INTO reminder_queue (ticket_id, next_at) VALUES (NEW.id, '');
END;
CREATE TRIGGER tickets_reminder_update AFTER UPDATE OF status, deadline, department ON tickets
WHEN OLD.status IS NOT NEW.status OR OLD.deadline IS NOT NEW.deadline OR OLD.department IS NOT NEW.department
BEGIN
	INSERT OR REPLACE INTO reminder_queue (ticket_id, next_at) VALUES (NEW.id, '');
END;

-- One reminder per ticket and level: the unique key that keeps it from
-- being made twice. held: its mail waits for the department's daily digest
-- (digest_day, the local day); digested_at: the digest that carried it.
CREATE TABLE reminders (
	id          INTEGER PRIMARY KEY,
	ticket_id   INTEGER NOT NULL,
	level       TEXT    NOT NULL,
	department  TEXT    NOT NULL,
	due_at      TEXT    NOT NULL,
	created_at  TEXT    NOT NULL,
	digest_day  TEXT,
	digested_at TEXT,
	UNIQUE (ticket_id, level)
);
CREATE INDEX reminders_created ON reminders (created_at);
CREATE INDEX reminders_held ON reminders (department, id) WHERE digest_day IS NOT NULL AND digested_at IS NULL;

-- A console user's notices, with their unread state.
CREATE TABLE user_notices (
	id          INTEGER PRIMARY KEY,
	user_id     INTEGER NOT NULL REFERENCES users (id),
	reminder_id INTEGER NOT NULL REFERENCES reminders (id),
	read_at     TEXT,
	UNIQUE (user_id, reminder_id)
);
CREATE INDEX user_notices_unread ON user_notices (user_id, id) WHERE read_at IS NULL;
