// SPDX-License-Identifier: Apache-2.0

package sqlite

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"

	"github.com/hotline-cchc/hotline/tickets"
)

// chatHash stands for a chat in chat_activity: an HMAC-SHA-256 of the
// channel and chat id under the database's own random key, cut to 128 bits.
// Without the key a hash cannot be matched to a chat id, so the statistics
// tell chats apart without naming them.
func (db *DB) chatHash(channel tickets.Channel, chat string) string {
	m := hmac.New(sha256.New, db.chatKey)
	m.Write([]byte(channel))
	m.Write([]byte{0})
	m.Write([]byte(chat))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// recordActivity counts c's update in chat_activity, if c carries activity.
func (db *DB) recordActivity(ctx context.Context, tx *sql.Tx, c *tickets.ChatCommit) error {
	a := c.Activity
	if a == nil {
		return nil
	}
	started := 0
	if a.Started {
		started = 1
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO chat_activity (channel, day, chat_hash, updates, conversations) VALUES (?, ?, ?, 1, ?)
		ON CONFLICT (channel, day, chat_hash) DO UPDATE SET updates = updates + 1, conversations = conversations + excluded.conversations`,
		c.Channel, a.Day.String(), db.chatHash(c.Channel, c.Chat), started)
	if err != nil {
		return fmt.Errorf("record chat activity: %w", err)
	}
	return nil
}
