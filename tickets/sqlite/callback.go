// SPDX-License-Identifier: Apache-2.0

package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
)

// StartCallback marks the phone notice id as being sent and records its
// new attempt as calling, in one committed transaction, before Asterisk is
// asked to dial. It returns the attempt's id; false if the notice is no
// longer queued.
func (db *DB) StartCallback(ctx context.Context, id int64, at time.Time) (int64, bool, error) {
	var attempt int64
	err := db.update(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'sending', started_at = ?, attempts = attempts + 1
			WHERE id = ? AND state = 'queued' AND channel = 'phone' AND ticket_id IS NOT NULL`, formatTime(at), id)
		if err != nil {
			return fmt.Errorf("start call-back: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		res, err = tx.ExecContext(ctx, `INSERT INTO callback_attempts (outbox_id, ticket_id, attempt, started_at)
			SELECT id, ticket_id, attempts, ? FROM outbox WHERE id = ?`, formatTime(at), id)
		if err != nil {
			return fmt.Errorf("record call-back attempt: %w", err)
		}
		attempt, err = res.LastInsertId()
		return err
	})
	return attempt, attempt != 0, err
}

// EndCallback records how the call-back attempt id ended.
func (db *DB) EndCallback(ctx context.Context, id int64, o tickets.CallbackOutcome, cause int, at time.Time) error {
	return db.update(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE callback_attempts SET outcome = ?, cause = ?, ended_at = ? WHERE id = ?`,
			o, cause, formatTime(at), id)
		if err != nil {
			return fmt.Errorf("end call-back attempt: %w", err)
		}
		return nil
	})
}

// RecoverCallbacks closes the attempts a run that stopped left calling as
// interrupted, and queues their notices again for retry, not at once: the
// citizen may have heard the answer. It returns how many it recovered.
func (db *DB) RecoverCallbacks(ctx context.Context, at, retry time.Time) (int64, error) {
	var n int64
	err := db.update(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE callback_attempts SET outcome = 'interrupted', ended_at = ? WHERE outcome = 'calling'`,
			formatTime(at))
		if err != nil {
			return fmt.Errorf("recover call-backs: %w", err)
		}
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'queued', uncertain = 1, next_attempt_at = ?
			WHERE channel = 'phone' AND state = 'sending'`, formatTime(retry))
		if err != nil {
			return fmt.Errorf("recover call-backs: %w", err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

// CallbackAttempts returns the call-back attempts of the ticket with code,
// oldest first.
func (db *DB) CallbackAttempts(ctx context.Context, code tickets.Code) ([]tickets.CallbackAttempt, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT t.code, a.attempt, a.started_at, a.ended_at, a.outcome, a.cause
		FROM callback_attempts a JOIN tickets t ON t.id = a.ticket_id WHERE t.code = ? ORDER BY a.id`, code)
	if err != nil {
		return nil, fmt.Errorf("read call-backs: %w", err)
	}
	defer rows.Close()
	var out []tickets.CallbackAttempt
	for rows.Next() {
		var a tickets.CallbackAttempt
		var started string
		var ended sql.NullString
		if err := rows.Scan(&a.Ticket, &a.Attempt, &started, &ended, &a.Outcome, &a.Cause); err != nil {
			return nil, fmt.Errorf("read call-backs: %w", err)
		}
		if a.StartedAt, err = parseTime(started); err != nil {
			return nil, fmt.Errorf("read call-backs: %w", err)
		}
		if a.EndedAt, err = parseNullTime(ended); err != nil {
			return nil, fmt.Errorf("read call-backs: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// callbackCounts counts the call-back attempts started in [from, to) by
// outcome.
func callbackCounts(ctx context.Context, conn *sql.Conn, from, to time.Time, s *tickets.PeriodStats) error {
	rows, err := conn.QueryContext(ctx, `SELECT outcome, count(*) FROM callback_attempts
		WHERE started_at >= ? AND started_at < ? GROUP BY outcome ORDER BY outcome`, formatTime(from), formatTime(to))
	if err != nil {
		return fmt.Errorf("count call-backs: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c tickets.CallbackCount
		if err := rows.Scan(&c.Outcome, &c.N); err != nil {
			return fmt.Errorf("count call-backs: %w", err)
		}
		s.Callbacks = append(s.Callbacks, c)
	}
	return rows.Err()
}

// CoveredCallbacks marks as sent the other queued phone notices of the
// ticket of notice id that were queued before at: an answered call-back
// spoke the ticket's latest answer, so they need no call of their own. It
// returns how many it marked.
func (db *DB) CoveredCallbacks(ctx context.Context, id int64, at time.Time) (int64, error) {
	var n int64
	err := db.update(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'sent', done_at = ?, error = 'covered by an answered call-back', error_class = ''
			WHERE channel = 'phone' AND state = 'queued' AND id != ? AND created_at <= ?
				AND ticket_id = (SELECT ticket_id FROM outbox WHERE id = ?)`, formatTime(at), id, formatTime(at), id)
		if err != nil {
			return fmt.Errorf("cover call-backs: %w", err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

// CountCallbacks returns the number of call-back attempts ever made, by
// outcome.
func (db *DB) CountCallbacks(ctx context.Context) ([]tickets.CallbackCount, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT outcome, count(*) FROM callback_attempts GROUP BY outcome ORDER BY outcome`)
	if err != nil {
		return nil, fmt.Errorf("count call-backs: %w", err)
	}
	defer rows.Close()
	var out []tickets.CallbackCount
	for rows.Next() {
		var c tickets.CallbackCount
		if err := rows.Scan(&c.Outcome, &c.N); err != nil {
			return nil, fmt.Errorf("count call-backs: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
