// SPDX-License-Identifier: Apache-2.0

package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// InboxEvent is a Zalo webhook event stored in the inbox, not yet handled.
type InboxEvent struct {
	ID         int64
	Sender     string
	Body       []byte
	ReceivedAt time.Time
}

// ZaloToken is the OA's current tokens: the access token, when it expires,
// and the single-use refresh token with its own expiry.
type ZaloToken struct {
	Access         string
	Refresh        string
	Expires        time.Time
	RefreshExpires time.Time
	CreatedAt      time.Time
	Source         string // refresh, authorize or secret
}

// StoreEvent stores a webhook event under key, committed before it returns.
// It returns the event's id and false, storing nothing, if an event with key
// is already stored (handled or not).
func (db *DB) StoreEvent(ctx context.Context, key, sender string, body []byte, at time.Time) (int64, bool, error) {
	var id int64
	fresh := false
	err := db.update(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO zalo_inbox (key, sender, body, received_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (key) DO NOTHING`, key, sender, string(body), formatTime(at))
		if err != nil {
			return fmt.Errorf("store zalo event: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			fresh = true
			id, err = res.LastInsertId()
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT id FROM zalo_inbox WHERE key = ?`, key).Scan(&id)
	})
	return id, fresh, err
}

// PendingEvents returns up to limit events not yet handled, oldest first.
func (db *DB) PendingEvents(ctx context.Context, limit int) ([]InboxEvent, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, sender, body, received_at FROM zalo_inbox
		WHERE handled_at IS NULL ORDER BY id LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("read zalo inbox: %w", err)
	}
	defer rows.Close()
	var es []InboxEvent
	for rows.Next() {
		var e InboxEvent
		var body, at string
		if err := rows.Scan(&e.ID, &e.Sender, &body, &at); err != nil {
			return nil, fmt.Errorf("read zalo inbox: %w", err)
		}
		if e.ReceivedAt, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("read zalo inbox: %w", err)
		}
		e.Body = []byte(body)
		es = append(es, e)
	}
	return es, rows.Err()
}

// EventsHandled marks the events of ids handled, each with its outcome,
// in one transaction, and forgets their bodies (personal data the
// conversation has stored where it belongs).
func (db *DB) EventsHandled(ctx context.Context, ids []int64, outcomes []string, at time.Time) error {
	return db.update(ctx, func(ctx context.Context, tx *sql.Tx) error {
		for i, id := range ids {
			_, err := tx.ExecContext(ctx, `UPDATE zalo_inbox SET handled_at = ?, outcome = ?, body = '' WHERE id = ?`,
				formatTime(at), outcomes[i], id)
			if err != nil {
				return fmt.Errorf("mark zalo event handled: %w", err)
			}
		}
		return nil
	})
}

// ForgetEvents deletes the handled events received before t and returns how
// many: a repeat of one of them would be handled again, so t must be well
// before the last retry Zalo can make.
func (db *DB) ForgetEvents(ctx context.Context, t time.Time) (int64, error) {
	var n int64
	err := db.update(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM zalo_inbox WHERE handled_at IS NOT NULL AND received_at < ?`, formatTime(t))
		if err != nil {
			return fmt.Errorf("forget zalo events: %w", err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

// LastMessage returns when user last wrote to the OA, as far as the inbox
// remembers; false if it has nothing of theirs.
func (db *DB) LastMessage(ctx context.Context, user string) (time.Time, bool, error) {
	var at sql.NullString
	err := db.read.QueryRowContext(ctx, `SELECT max(received_at) FROM zalo_inbox WHERE sender = ?`, user).Scan(&at)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("read last zalo message: %w", err)
	}
	if !at.Valid {
		return time.Time{}, false, nil
	}
	t, err := parseTime(at.String)
	return t, err == nil, err
}

// ZaloToken returns the OA's current tokens; ENOTFOUND-free: ok is false
// when none is stored yet.
func (db *DB) ZaloToken(ctx context.Context) (ZaloToken, bool, error) {
	var t ZaloToken
	var exp, rexp, at string
	err := db.read.QueryRowContext(ctx, `SELECT access_token, refresh_token, expires_at, refresh_expires_at, created_at, source
		FROM zalo_tokens ORDER BY id DESC LIMIT 1`).Scan(&t.Access, &t.Refresh, &exp, &rexp, &at, &t.Source)
	if errors.Is(err, sql.ErrNoRows) {
		return ZaloToken{}, false, nil
	}
	if err == nil {
		t.Expires, err = parseTime(exp)
	}
	if err == nil {
		t.RefreshExpires, err = parseTime(rexp)
	}
	if err == nil {
		t.CreatedAt, err = parseTime(at)
	}
	if err != nil {
		return ZaloToken{}, false, fmt.Errorf("read zalo token: %w", err)
	}
	return t, true, nil
}

// SaveZaloToken records a refresh (or a first authorisation) and the tokens
// it returned in one transaction, and keeps only the last few records.
func (db *DB) SaveZaloToken(ctx context.Context, t ZaloToken) error {
	return db.update(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO zalo_tokens (access_token, refresh_token, expires_at, refresh_expires_at, created_at, source)
			VALUES (?, ?, ?, ?, ?, ?)`, t.Access, t.Refresh, formatTime(t.Expires), formatTime(t.RefreshExpires), formatTime(t.CreatedAt), t.Source)
		if err != nil {
			return fmt.Errorf("save zalo token: %w", err)
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM zalo_tokens WHERE id <= (SELECT max(id) FROM zalo_tokens) - 10`)
		if err != nil {
			return fmt.Errorf("save zalo token: %w", err)
		}
		return nil
	})
}
