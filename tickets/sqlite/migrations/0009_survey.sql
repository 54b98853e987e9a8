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
