-- SPDX-License-Identifier: Apache-2.0
-- Console users, their sessions and API tokens (secrets only as SHA-256
-- hashes), the audit of who saw a citizen's phone number or recording, and
-- the index of the console's work queue.

CREATE TABLE users (
	id            INTEGER PRIMARY KEY,
	name          TEXT    NOT NULL UNIQUE,
	role          TEXT    NOT NULL CHECK (role IN ('admin', 'manager', 'focal', 'operator')),
	department    TEXT    NOT NULL DEFAULT '',
	password_hash TEXT    NOT NULL,
	disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
	failed_logins INTEGER NOT NULL DEFAULT 0,
	locked_until  TEXT,
	created_at    TEXT    NOT NULL,
	CHECK ((role = 'focal') = (department <> ''))
);

CREATE TABLE sessions (
	hash       TEXT    PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users (id),
	created_at TEXT    NOT NULL,
	expires_at TEXT    NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
	id         INTEGER PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users (id),
	hash       TEXT    NOT NULL UNIQUE,
	created_at TEXT    NOT NULL,
	revoked_at TEXT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE audit (
	id          INTEGER PRIMARY KEY,
	at          TEXT    NOT NULL,
	actor       TEXT    NOT NULL,
	action      TEXT    NOT NULL,
	ticket_code TEXT    NOT NULL
);
CREATE INDEX audit_ticket ON audit (ticket_code, id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit is append-only'); END;

-- The console's work queue, most urgent first: open tickets by deadline,
-- per department and over all of them. The term deadline <> '' appears only
-- in the queue's query, so that no other query picks these indexes.
CREATE INDEX tickets_department_queue ON tickets (department, deadline, id)
	WHERE status IN ('new', 'assigned', 'in_progress') AND deadline <> '';
CREATE INDEX tickets_queue ON tickets (deadline, id)
	WHERE status IN ('new', 'assigned', 'in_progress') AND deadline <> '';
