// SPDX-License-Identifier: Apache-2.0

package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
)

// Conversation returns the state and draft of chat's conversation on
// channel and when they last changed; an empty state if it has none.
func (db *DB) Conversation(ctx context.Context, channel tickets.Channel, chat string) (state string, draft []byte, updated time.Time, err error) {
	var d, at string
	err = db.read.QueryRowContext(ctx, `SELECT state, draft, updated_at FROM conversations WHERE channel = ? AND chat = ?`,
		channel, chat).Scan(&state, &d, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, time.Time{}, nil
	}
	if err == nil {
		updated, err = parseTime(at)
	}
	if err != nil {
		return "", nil, time.Time{}, fmt.Errorf("read conversation: %w", err)
	}
	return state, []byte(d), updated, nil
}

// ExpireConversations ends the conversations of channel last changed before
// t: one in state mark or in a state of drop is deleted; any other loses its
// draft and gets state mark, changed at now. It returns how many it ended.
func (db *DB) ExpireConversations(ctx context.Context, channel tickets.Channel, t, now time.Time, mark string, drop ...string) (int64, error) {
	var n int64
	err := db.update(ctx, func(ctx context.Context, tx *sql.Tx) error {
		gone := append([]string{mark}, drop...)
		args := []any{channel, formatTime(t)}
		for _, s := range gone {
			args = append(args, s)
		}
		in := "?" + strings.Repeat(", ?", len(gone)-1)
		res, err := tx.ExecContext(ctx, `DELETE FROM conversations WHERE channel = ? AND updated_at < ? AND state IN (`+in+`)`, args...)
		if err != nil {
			return fmt.Errorf("expire conversations: %w", err)
		}
		deleted, _ := res.RowsAffected()
		res, err = tx.ExecContext(ctx, `UPDATE conversations SET state = ?, draft = '', updated_at = ?
			WHERE channel = ? AND updated_at < ?`, mark, formatTime(now), channel, formatTime(t))
		if err != nil {
			return fmt.Errorf("expire conversations: %w", err)
		}
		marked, _ := res.RowsAffected()
		n = deleted + marked
		return nil
	})
	return n, err
}

// Handled reports whether the update of channel with key updateID is
// already handled.
func (db *DB) Handled(ctx context.Context, channel tickets.Channel, updateID string) (bool, error) {
	var one int
	err := db.read.QueryRowContext(ctx, `SELECT 1 FROM chat_updates WHERE channel = ? AND update_id = ?`, channel, updateID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read handled updates: %w", err)
	}
	return true, nil
}

// ForgetHandled forgets the update keys of channel handled before t and
// returns how many it forgot. Choose t well before the oldest update the
// channel can still send again (Telegram keeps one for 24 hours).
func (db *DB) ForgetHandled(ctx context.Context, channel tickets.Channel, t time.Time) (int64, error) {
	var n int64
	err := db.update(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM chat_updates WHERE channel = ? AND handled_at < ?`, channel, formatTime(t))
		if err != nil {
			return fmt.Errorf("forget handled updates: %w", err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

// CommitChat stores c in one transaction. It returns false, having written
// nothing, if c's update was already handled, and ENOTFOUND if c names a
// ticket that does not exist. A chat that writes is no longer blocked.
func (db *DB) CommitChat(ctx context.Context, c *tickets.ChatCommit) (bool, error) {
	fresh := true
	err := db.update(ctx, func(ctx context.Context, tx *sql.Tx) error {
		fresh = true
		at := formatTime(c.At)
		res, err := tx.ExecContext(ctx, `INSERT INTO chat_updates (channel, update_id, handled_at) VALUES (?, ?, ?)
			ON CONFLICT DO NOTHING`, c.Channel, c.UpdateID, at)
		if err != nil {
			return fmt.Errorf("record update: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			fresh = false
			return nil
		}
		if err := commitChat(ctx, tx, c, at); err != nil {
			return err
		}
		if err := db.noteAnonymous(ctx, tx, c); err != nil {
			return err
		}
		if err := db.recordActivity(ctx, tx, c); err != nil {
			return err
		}
		return insertNotices(ctx, tx, 0, c.At, c.Replies)
	})
	return fresh, err
}

func commitChat(ctx context.Context, tx *sql.Tx, c *tickets.ChatCommit, at string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM blocked_chats WHERE channel = ? AND chat = ?`, c.Channel, c.Chat); err != nil {
		return fmt.Errorf("unblock chat: %w", err)
	}
	var err error
	switch {
	case c.KeepState:
	case c.State == "":
		_, err = tx.ExecContext(ctx, `DELETE FROM conversations WHERE channel = ? AND chat = ?`, c.Channel, c.Chat)
	default:
		_, err = tx.ExecContext(ctx, `INSERT INTO conversations (channel, chat, state, draft, updated_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (channel, chat) DO UPDATE SET state = excluded.state, draft = excluded.draft, updated_at = excluded.updated_at`,
			c.Channel, c.Chat, c.State, string(c.Draft), at)
	}
	if err != nil {
		return fmt.Errorf("save conversation: %w", err)
	}
	if c.Ticket == "" || len(c.Attachments) == 0 && len(c.Transcript) == 0 {
		return nil
	}
	var id int64
	if err := tx.QueryRowContext(ctx, `SELECT id FROM tickets WHERE code = ?`, c.Ticket).Scan(&id); errors.Is(err, sql.ErrNoRows) {
		return tickets.Errorf(tickets.ENOTFOUND, "there is no ticket with this code")
	} else if err != nil {
		return fmt.Errorf("find ticket: %w", err)
	}
	if err := insertTranscript(ctx, tx, id, c.Transcript); err != nil {
		return err
	}
	for _, a := range c.Attachments {
		_, err := tx.ExecContext(ctx, `INSERT INTO attachments (ticket_id, channel, kind, file_id, name, mime_type, size, value, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, c.Channel, a.Kind, a.FileID, a.Name, a.MIMEType, a.Size, a.Value, at)
		if err != nil {
			return fmt.Errorf("insert attachment: %w", err)
		}
	}
	return nil
}

// Attachments returns the attachments of the ticket with code, oldest first.
func (db *DB) Attachments(ctx context.Context, code tickets.Code) ([]tickets.Attachment, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT a.kind, a.file_id, a.name, a.mime_type, a.size, a.value
		FROM attachments a JOIN tickets t ON t.id = a.ticket_id WHERE t.code = ? ORDER BY a.id`, code)
	if err != nil {
		return nil, fmt.Errorf("read attachments: %w", err)
	}
	defer rows.Close()
	var as []tickets.Attachment
	for rows.Next() {
		var a tickets.Attachment
		if err := rows.Scan(&a.Kind, &a.FileID, &a.Name, &a.MIMEType, &a.Size, &a.Value); err != nil {
			return nil, fmt.Errorf("read attachments: %w", err)
		}
		as = append(as, a)
	}
	return as, rows.Err()
}

// insertTranscript stores the lines of the conversation that opened the
// ticket id, in order; by the ticket alone, never by the chat.
func insertTranscript(ctx context.Context, tx *sql.Tx, id int64, lines []tickets.ChatLine) error {
	for _, l := range lines {
		_, err := tx.ExecContext(ctx, `INSERT INTO chat_transcripts (ticket_id, at, from_bot, text, kind, name)
			VALUES (?, ?, ?, ?, ?, ?)`, id, formatTime(l.At), l.FromBot, l.Text, l.Kind, l.Name)
		if err != nil {
			return fmt.Errorf("insert transcript: %w", err)
		}
	}
	return nil
}

// Transcript returns the chat conversation that opened the ticket with
// code, in order; none for a ticket that came otherwise.
func (db *DB) Transcript(ctx context.Context, code tickets.Code) ([]tickets.ChatLine, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT c.at, c.from_bot, c.text, c.kind, c.name
		FROM chat_transcripts c JOIN tickets t ON t.id = c.ticket_id WHERE t.code = ? ORDER BY c.id`, code)
	if err != nil {
		return nil, fmt.Errorf("read transcript: %w", err)
	}
	defer rows.Close()
	var ls []tickets.ChatLine
	for rows.Next() {
		var l tickets.ChatLine
		var at string
		if err := rows.Scan(&at, &l.FromBot, &l.Text, &l.Kind, &l.Name); err != nil {
			return nil, fmt.Errorf("read transcript: %w", err)
		}
		if l.At, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("read transcript: %w", err)
		}
		ls = append(ls, l)
	}
	return ls, rows.Err()
}

// Blocked reports whether chat on channel blocked the bot.
func (db *DB) Blocked(ctx context.Context, channel tickets.Channel, chat string) (bool, error) {
	var one int
	err := db.read.QueryRowContext(ctx, `SELECT 1 FROM blocked_chats WHERE channel = ? AND chat = ?`, channel, chat).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read blocked chats: %w", err)
	}
	return true, nil
}
