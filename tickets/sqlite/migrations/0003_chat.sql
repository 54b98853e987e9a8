-- SPDX-License-Identifier: Apache-2.0
-- Chat channels: handled updates, conversations, attachments, the outbox of
-- notices and replies, and chats that blocked the bot.

-- The request that opened a ticket, so that a repeated request opens nothing.
ALTER TABLE tickets ADD COLUMN source TEXT;
CREATE UNIQUE INDEX tickets_source ON tickets (source) WHERE source IS NOT NULL;

-- Updates already handled, per channel: a repeated update id is ignored, and
-- the highest one + 1 is the offset to fetch from.
CREATE TABLE chat_updates (
	channel    TEXT    NOT NULL,
	update_id  INTEGER NOT NULL,
	handled_at TEXT    NOT NULL,
	PRIMARY KEY (channel, update_id)
) WITHOUT ROWID;

-- Where each chat's conversation stands; the chat bot owns state and draft.
CREATE TABLE conversations (
	channel    TEXT NOT NULL,
	chat       TEXT NOT NULL,
	state      TEXT NOT NULL,
	draft      TEXT NOT NULL DEFAULT '',
	updated_at TEXT NOT NULL,
	PRIMARY KEY (channel, chat)
) WITHOUT ROWID;

CREATE TABLE attachments (
	id         INTEGER PRIMARY KEY,
	ticket_id  INTEGER NOT NULL REFERENCES tickets (id),
	channel    TEXT    NOT NULL,
	kind       TEXT    NOT NULL CHECK (kind IN ('photo', 'document', 'voice', 'audio', 'video', 'location', 'contact')),
	file_id    TEXT    NOT NULL DEFAULT '',
	name       TEXT    NOT NULL DEFAULT '',
	mime_type  TEXT    NOT NULL DEFAULT '',
	size       INTEGER NOT NULL DEFAULT 0,
	value      TEXT    NOT NULL DEFAULT '',
	created_at TEXT    NOT NULL
);
CREATE INDEX attachments_ticket ON attachments (ticket_id, id);

-- Messages to deliver through a channel, written in the transaction of the
-- change that causes them; the channel's adapter marks them sent or failed.
CREATE TABLE outbox (
	id              INTEGER PRIMARY KEY,
	ticket_id       INTEGER REFERENCES tickets (id),
	channel         TEXT    NOT NULL,
	recipient       TEXT    NOT NULL,
	kind            TEXT    NOT NULL CHECK (kind IN ('reply', 'answer', 'resolved', 'new_ticket')),
	body            TEXT    NOT NULL DEFAULT '',
	created_at      TEXT    NOT NULL,
	attempts        INTEGER NOT NULL DEFAULT 0,
	parts_sent      INTEGER NOT NULL DEFAULT 0,
	next_attempt_at TEXT    NOT NULL,
	sent_at         TEXT,
	failed_at       TEXT,
	error           TEXT    NOT NULL DEFAULT ''
);
-- The pending messages of a channel, and of one recipient in order.
CREATE INDEX outbox_pending ON outbox (channel, next_attempt_at, id)
	WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_recipient ON outbox (channel, recipient, id)
	WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_ticket ON outbox (ticket_id);

-- Chats that blocked the bot: nothing more is sent until they write again.
CREATE TABLE blocked_chats (
	channel    TEXT NOT NULL,
	chat       TEXT NOT NULL,
	blocked_at TEXT NOT NULL,
	PRIMARY KEY (channel, chat)
) WITHOUT ROWID;
