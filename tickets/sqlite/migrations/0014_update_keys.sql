-- SPDX-License-Identifier: Apache-2.0
-- Handled chat updates are keyed by a string (issue 11): Telegram's update_id
-- in decimal, Zalo's event key and part. The column had INTEGER affinity, which
-- turns a numeric string into a number ("0123" and "123", "1e3" and "1000"
-- would be one key); the rebuilt table keeps keys as text, and Telegram's rows
-- carry over as their decimal text, which is what its adapter now sends.
CREATE TABLE chat_updates_new (
	channel    TEXT NOT NULL,
	update_id  TEXT NOT NULL,
	handled_at TEXT NOT NULL,
	PRIMARY KEY (channel, update_id)
) WITHOUT ROWID;
INSERT INTO chat_updates_new (channel, update_id, handled_at)
	SELECT channel, CAST(update_id AS TEXT), handled_at FROM chat_updates;
DROP TABLE chat_updates;
ALTER TABLE chat_updates_new RENAME TO chat_updates;
