-- SPDX-License-Identifier: Apache-2.0
-- Chat statistics: which chats wrote to a bot on which local day, and how many
-- conversations they started, without the chats' ids.

-- The key of the one-way hash that stands for a chat id in chat_activity:
-- random, made once per database, never shown. The hash tells chats apart
-- within this database but names no one, and is useless elsewhere.
CREATE TABLE chat_activity_key (
	id  INTEGER PRIMARY KEY CHECK (id = 1),
	key BLOB    NOT NULL
);
INSERT INTO chat_activity_key (id, key) VALUES (1, randomblob(32));

-- One row per channel, local day and chat that wrote that day.
CREATE TABLE chat_activity (
	channel       TEXT    NOT NULL,
	day           TEXT    NOT NULL, -- local date, 2006-01-02
	chat_hash     TEXT    NOT NULL,
	updates       INTEGER NOT NULL DEFAULT 0,
	conversations INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (channel, day, chat_hash)
) WITHOUT ROWID;
