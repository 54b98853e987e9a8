-- SPDX-License-Identifier: Apache-2.0
-- The Zalo OA channel (issue 11): a durable inbox of webhook events, answered
-- 200 once stored and handled from here, so that a crash loses nothing and an
-- event Zalo delivers twice (same key) is stored once; and the OA's tokens,
-- the single-use refresh token committed with the refresh that returned it.

CREATE TABLE zalo_inbox (
	id          INTEGER PRIMARY KEY,
	key         TEXT    NOT NULL UNIQUE, -- msg_id, or event, sender and time
	sender      TEXT    NOT NULL,        -- the Zalo user; personal data
	body        TEXT    NOT NULL,        -- the event as received; emptied once handled
	received_at TEXT    NOT NULL,
	handled_at  TEXT,
	outcome     TEXT    NOT NULL DEFAULT '' -- handled, or why it was dropped
);
CREATE INDEX zalo_inbox_pending ON zalo_inbox (id) WHERE handled_at IS NULL;
-- A user's last message: the reply window (48 h free, 7 days at most).
CREATE INDEX zalo_inbox_sender ON zalo_inbox (sender, received_at);

-- One row per refresh; the newest is the current access and refresh token.
CREATE TABLE zalo_tokens (
	id                 INTEGER PRIMARY KEY,
	access_token       TEXT NOT NULL,
	refresh_token      TEXT NOT NULL,
	expires_at         TEXT NOT NULL, -- the access token's
	refresh_expires_at TEXT NOT NULL,
	created_at         TEXT NOT NULL,
	source             TEXT NOT NULL  -- refresh, authorize or secret
);
