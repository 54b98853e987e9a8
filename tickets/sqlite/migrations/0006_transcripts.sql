-- SPDX-License-Identifier: Apache-2.0
-- The chat conversation that opened a ticket, linked to the ticket only: no
-- chat id, so that an anonymous ticket's transcript leads to no citizen.

CREATE TABLE chat_transcripts (
	id        INTEGER PRIMARY KEY,
	ticket_id INTEGER NOT NULL REFERENCES tickets (id),
	at        TEXT    NOT NULL,
	from_bot  INTEGER NOT NULL CHECK (from_bot IN (0, 1)),
	text      TEXT    NOT NULL DEFAULT '',
	kind      TEXT    NOT NULL DEFAULT '',
	name      TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX chat_transcripts_ticket ON chat_transcripts (ticket_id, id);
