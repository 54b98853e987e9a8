// SPDX-License-Identifier: Apache-2.0

package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
)

// insertNotices queues ns in the outbox, about the ticket ticketID (0: none).
// A notice whose key is already queued on its channel is not queued again.
func insertNotices(ctx context.Context, tx *sql.Tx, ticketID int64, at time.Time, ns []tickets.Notice) error {
	return queueNotices(ctx, tx.ExecContext, ticketID, at, ns)
}

// insertNoticeSQL queues one notice; a key already queued is skipped.
const insertNoticeSQL = `INSERT INTO outbox (ticket_id, channel, recipient, kind, body, key, priority, created_at, next_attempt_at)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`

// queueNotices runs insertNoticeSQL through exec for each of ns: a
// transaction's ExecContext with the SQL, or a statement prepared from it
// (exec then ignores the query).
func queueNotices(ctx context.Context, exec func(context.Context, string, ...any) (sql.Result, error), ticketID int64, at time.Time, ns []tickets.Notice) error {
	for _, n := range ns {
		_, err := exec(ctx, insertNoticeSQL,
			sql.NullInt64{Int64: ticketID, Valid: ticketID != 0}, n.Channel, n.ID, n.Kind, n.Body,
			sql.NullString{String: n.Key, Valid: n.Key != ""}, n.Kind.Priority(), formatTime(at), formatTime(at))
		if err != nil {
			return fmt.Errorf("queue notice: %w", err)
		}
	}
	return nil
}

// QueueNotices puts ns in the outbox on their own, at time at (scheduled reports).
// A notice whose key is already in the outbox is not queued again.
func (db *DB) QueueNotices(ctx context.Context, at time.Time, ns []tickets.Notice) error {
	return db.update(ctx, func(ctx context.Context, tx *sql.Tx) error { return insertNotices(ctx, tx, 0, at, ns) })
}

const outgoingColumns = `o.id, o.channel, o.recipient, o.kind, o.body, coalesce(o.key, ''), coalesce(t.code, ''), o.state,
	o.created_at, coalesce(o.started_at, ''), o.attempts, o.parts_sent, o.uncertain, o.error, o.error_class, coalesce(o.done_at, '')`

func scanOutgoing(rows *sql.Rows) ([]tickets.Outgoing, error) {
	defer rows.Close()
	var out []tickets.Outgoing
	for rows.Next() {
		var o tickets.Outgoing
		var created, started, done string
		if err := rows.Scan(&o.ID, &o.Channel, &o.Recipient.ID, &o.Kind, &o.Body, &o.Key, &o.Ticket, &o.State,
			&created, &started, &o.Attempts, &o.PartsSent, &o.Uncertain, &o.Error, &o.Class, &done); err != nil {
			return nil, fmt.Errorf("read outbox: %w", err)
		}
		var err error
		if o.CreatedAt, err = parseTime(created); err != nil {
			return nil, fmt.Errorf("read outbox: %w", err)
		}
		if o.StartedAt, err = parseOptTime(started); err != nil {
			return nil, fmt.Errorf("read outbox: %w", err)
		}
		if o.DoneAt, err = parseOptTime(done); err != nil {
			return nil, fmt.Errorf("read outbox: %w", err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

func parseOptTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return parseTime(s)
}

// Outbox returns up to limit pending messages of channel, oldest first: those
// being sent and those queued and due at now.
func (db *DB) Outbox(ctx context.Context, channel tickets.Channel, now time.Time, limit int) ([]tickets.Outgoing, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+outgoingColumns+`
		FROM outbox o LEFT JOIN tickets t ON t.id = o.ticket_id
		WHERE o.channel = ? AND (o.state = 'sending' OR o.state = 'queued' AND o.next_attempt_at <= ?)
		ORDER BY o.id LIMIT ?`, channel, formatTime(now), limit)
	if err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	return scanOutgoing(rows)
}

// NextOutbox returns up to limit messages of channel to send now: for each
// recipient not in skip, its first pending message if it is queued and due
// at now; replies first, then the oldest. A recipient's later messages wait
// for its first, so that each recipient gets its messages in order.
func (db *DB) NextOutbox(ctx context.Context, channel tickets.Channel, now time.Time, limit int, skip []string) ([]tickets.Outgoing, error) {
	args := []any{channel, formatTime(now)}
	notIn := ""
	if len(skip) > 0 {
		notIn = `AND o.recipient NOT IN (?` + strings.Repeat(", ?", len(skip)-1) + `)`
		for _, r := range skip {
			args = append(args, r)
		}
	}
	args = append(args, limit)
	rows, err := db.read.QueryContext(ctx, `SELECT `+outgoingColumns+`
		FROM outbox o INDEXED BY outbox_due LEFT JOIN tickets t ON t.id = o.ticket_id
		WHERE o.channel = ?1 AND o.state = 'queued' AND o.next_attempt_at <= ?2 `+notIn+`
		AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.channel = o.channel AND p.recipient = o.recipient
			AND p.id < o.id AND p.state IN ('queued', 'sending'))
		ORDER BY o.priority, o.id LIMIT ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	return scanOutgoing(rows)
}

// StartSending marks the queued message id as being sent from at, counting
// an attempt, and commits that before it returns, so that the channel is
// called only once it is recorded. It returns false, changing nothing, if
// the message is no longer queued.
func (db *DB) StartSending(ctx context.Context, id int64, at time.Time) (bool, error) {
	var started bool
	err := db.update(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'sending', started_at = ?, attempts = attempts + 1
			WHERE id = ? AND state = 'queued'`, formatTime(at), id)
		if err != nil {
			return fmt.Errorf("start sending: %w", err)
		}
		n, err := res.RowsAffected()
		started = n == 1
		return err
	})
	return started, err
}

// RecoverSending queues again the messages of channel left sending by a run
// that stopped before recording their outcome, marked uncertain: each may
// have been delivered, and is sent once more. It returns how many there were.
func (db *DB) RecoverSending(ctx context.Context, channel tickets.Channel, at time.Time) (int64, error) {
	var n int64
	err := db.update(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'queued', uncertain = 1, next_attempt_at = ?
			WHERE channel = ? AND state = 'sending'`, formatTime(at), channel)
		if err != nil {
			return fmt.Errorf("recover outbox: %w", err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

// Delivered records the outcome d of the attempt to deliver the outbox
// message id. A blocked recipient is recorded, and their other queued
// messages fail with this one.
//
// A conversation reply may carry a ticket's code, text or phone number next
// to the chat id, which must not link an anonymous ticket to its chat once
// the citizen has it: a sent reply is deleted, a failed or expired one keeps
// only its recipient and error, for the operator.
func (db *DB) Delivered(ctx context.Context, id int64, d tickets.Delivery) error {
	return db.update(ctx, func(ctx context.Context, tx *sql.Tx) error {
		at := formatTime(d.At)
		var err error
		uncount := 0
		if d.Uncount {
			uncount = 1
		}
		switch {
		case d.State == tickets.StateSent:
			if _, err = tx.ExecContext(ctx, `DELETE FROM outbox WHERE id = ? AND kind = 'reply'`, id); err == nil {
				_, err = tx.ExecContext(ctx, `UPDATE outbox SET state = 'sent', parts_sent = ?, done_at = ?, error = '', error_class = ''
					WHERE id = ?`, d.PartsSent, at, id)
			}
		case d.Blocked:
			err = blockRecipient(ctx, tx, id, d)
		case d.State == tickets.StateFailed || d.State == tickets.StateExpired:
			_, err = tx.ExecContext(ctx, `UPDATE outbox SET state = ?, parts_sent = ?, done_at = ?, error = ?, error_class = ?,
				body = CASE kind WHEN 'reply' THEN '' ELSE body END WHERE id = ?`, d.State, d.PartsSent, at, d.Error, d.Class, id)
		default:
			_, err = tx.ExecContext(ctx, `UPDATE outbox SET state = 'queued', parts_sent = ?, attempts = max(0, attempts - ?),
				next_attempt_at = ?, error = ?, error_class = ? WHERE id = ?`,
				d.PartsSent, uncount, formatTime(d.Retry), d.Error, d.Class, id)
		}
		if err != nil {
			return fmt.Errorf("record delivery: %w", err)
		}
		return nil
	})
}

func blockRecipient(ctx context.Context, tx *sql.Tx, id int64, d tickets.Delivery) error {
	at := formatTime(d.At)
	var channel, chat string
	if err := tx.QueryRowContext(ctx, `SELECT channel, recipient FROM outbox WHERE id = ?`, id).Scan(&channel, &chat); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO blocked_chats (channel, chat, blocked_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, channel, chat, at); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'failed', done_at = ?, error = ?, error_class = ?,
		parts_sent = CASE id WHEN ?4 THEN ?5 ELSE parts_sent END,
		body = CASE kind WHEN 'reply' THEN '' ELSE body END
		WHERE channel = ?6 AND recipient = ?7 AND (id = ?4 OR state = 'queued')`, at, d.Error, d.Class, id, d.PartsSent, channel, chat)
	return err
}
