-- SPDX-License-Identifier: Apache-2.0
-- Tickets, their append-only history, and phone calls.
-- Times are UTC text "2006-01-02T15:04:05.000Z": readable, sortable, portable.

CREATE TABLE tickets (
	id          INTEGER PRIMARY KEY,
	code        TEXT    NOT NULL UNIQUE CHECK (length(code) = 9),
	branch      INTEGER NOT NULL CHECK (branch BETWEEN 1 AND 9),
	department  TEXT    NOT NULL,
	channel     TEXT    NOT NULL CHECK (channel IN ('phone', 'telegram', 'zalo', 'web', 'operator')),
	status      TEXT    NOT NULL CHECK (status IN ('new', 'assigned', 'in_progress', 'resolved', 'closed')),
	text        TEXT    NOT NULL,
	contact     TEXT,   -- NULL for an anonymous ticket: the code is the only handle
	anonymous   INTEGER NOT NULL CHECK (anonymous IN (0, 1)),
	recording   TEXT    NOT NULL DEFAULT '',
	deadline    TEXT    NOT NULL,
	created_at  TEXT    NOT NULL,
	updated_at  TEXT    NOT NULL,
	resolved_at TEXT,
	CHECK (anonymous = 0 OR contact IS NULL)
);

-- A department's tickets by status (console filters, counts for /metrics).
CREATE INDEX tickets_department_status ON tickets (department, status, id);
-- A department's work queue: its open tickets, newest first, without a sort.
CREATE INDEX tickets_department_open ON tickets (department, id)
	WHERE status IN ('new', 'assigned', 'in_progress');
-- Reports by period, and by branch within a period.
CREATE INDEX tickets_created ON tickets (created_at);
CREATE INDEX tickets_branch_created ON tickets (branch, created_at);

CREATE TABLE history (
	id              INTEGER PRIMARY KEY,
	ticket_id       INTEGER NOT NULL REFERENCES tickets (id),
	at              TEXT    NOT NULL,
	actor           TEXT    NOT NULL,
	action          TEXT    NOT NULL,
	from_status     TEXT    NOT NULL DEFAULT '',
	to_status       TEXT    NOT NULL,
	from_department TEXT    NOT NULL DEFAULT '',
	to_department   TEXT    NOT NULL DEFAULT '',
	note            TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX history_ticket ON history (ticket_id, id);

-- History is append-only.
CREATE TRIGGER history_no_update BEFORE UPDATE ON history
BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
CREATE TRIGGER history_no_delete BEFORE DELETE ON history
BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;

CREATE TABLE calls (
	id          INTEGER PRIMARY KEY,
	channel_id  TEXT    NOT NULL,
	caller      TEXT    NOT NULL DEFAULT '',
	started_at  TEXT    NOT NULL,
	ended_at    TEXT,
	branch      INTEGER NOT NULL DEFAULT 0 CHECK (branch BETWEEN 0 AND 9),
	ticket_code TEXT    REFERENCES tickets (code),
	outcome     TEXT    NOT NULL
);
CREATE INDEX calls_started ON calls (started_at);
CREATE INDEX calls_branch_started ON calls (branch, started_at);
CREATE INDEX calls_channel ON calls (channel_id);
