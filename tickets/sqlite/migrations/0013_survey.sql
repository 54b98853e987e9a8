-- SPDX-License-Identifier: Apache-2.0
-- The satisfaction survey (issue 12): one rating per ticket, 1–5, with the
-- channel it came through, an optional comment, and the ticket's department
-- and branch when it was rated, for the reports. It names no citizen.
CREATE TABLE surveys (
	ticket_id  INTEGER PRIMARY KEY REFERENCES tickets (id),
	rating     INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
	channel    TEXT    NOT NULL,
	comment    TEXT    NOT NULL DEFAULT '',
	department TEXT    NOT NULL,
	branch     INTEGER NOT NULL,
	rated_at   TEXT    NOT NULL
);
-- A period's ratings.
CREATE INDEX surveys_rated_at ON surveys (rated_at);
-- A period's resolutions by branch, for the response rate: only the
-- resolutions, by time (history_at would read every entry of the period).
CREATE INDEX history_resolved_at ON history (at, ticket_id) WHERE action = 'resolve';

-- The phone call-back (issue 12): each call placed to a citizen to give a
-- ticket's answer, one row per attempt of an outbox notice on the phone
-- channel. An attempt is written "calling" in a committed row before
-- Asterisk is asked to dial; one found so at start is "interrupted".
CREATE TABLE callback_attempts (
	id         INTEGER PRIMARY KEY,
	outbox_id  INTEGER NOT NULL REFERENCES outbox (id),
	ticket_id  INTEGER NOT NULL REFERENCES tickets (id),
	attempt    INTEGER NOT NULL,
	started_at TEXT    NOT NULL,
	ended_at   TEXT,
	outcome    TEXT    NOT NULL DEFAULT 'calling'
		CHECK (outcome IN ('calling', 'answered', 'no_answer', 'busy', 'rejected', 'failed', 'interrupted')),
	cause      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX callback_attempts_ticket ON callback_attempts (ticket_id, id);
CREATE INDEX callback_attempts_started ON callback_attempts (started_at);
CREATE INDEX callback_attempts_calling ON callback_attempts (outcome) WHERE outcome = 'calling';
