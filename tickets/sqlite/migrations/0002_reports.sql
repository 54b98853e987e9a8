-- SPDX-License-Identifier: Apache-2.0
-- Reports: covering indexes for the period aggregates, and the record of
-- scheduled report runs that makes the monthly schedule idempotent.

-- Calls by period: the aggregate reads only the index (started_at, branch,
-- outcome). It replaces calls_started, of which it is an extension.
CREATE INDEX calls_started_branch_outcome ON calls (started_at, branch, outcome);
DROP INDEX calls_started;

-- Tickets received in a period, per day, department and channel, from the
-- index alone. It replaces tickets_created, of which it is an extension.
CREATE INDEX tickets_created_department_channel ON tickets (created_at, department, channel);
DROP INDEX tickets_created;

-- Tickets resolved in a period, and those resolved after a period's end.
CREATE INDEX tickets_resolved ON tickets (resolved_at, status, department, deadline, created_at)
	WHERE resolved_at IS NOT NULL;
-- Tickets open now, by creation: those open at a period's end.
CREATE INDEX tickets_open_created ON tickets (created_at, department, deadline, status)
	WHERE status IN ('new', 'assigned', 'in_progress');

-- One scheduled report: the file written for a period in a format.
CREATE TABLE report_runs (
	period     TEXT NOT NULL, -- "2026-10"
	format     TEXT NOT NULL,
	file       TEXT NOT NULL,
	created_at TEXT NOT NULL,
	PRIMARY KEY (period, format)
);

-- Its delivery to each managers' chat: sent_at is NULL until it succeeds, and
-- a run with an unsent delivery is tried again at the next start.
CREATE TABLE report_deliveries (
	period     TEXT    NOT NULL,
	format     TEXT    NOT NULL,
	chat_id    INTEGER NOT NULL,
	attempts   INTEGER NOT NULL DEFAULT 0,
	last_error TEXT    NOT NULL DEFAULT '',
	tried_at   TEXT    NOT NULL,
	sent_at    TEXT,
	PRIMARY KEY (period, format, chat_id),
	FOREIGN KEY (period, format) REFERENCES report_runs (period, format)
);
