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

// OutboxFilter selects outbox messages for ListOutbox; zero fields select all.
type OutboxFilter struct {
	State  tickets.DeliveryState
	Ticket tickets.Code
	Limit  int // 100 if zero
}

// ListOutbox returns the outbox messages f selects, newest first.
func (db *DB) ListOutbox(ctx context.Context, f OutboxFilter) ([]tickets.Outgoing, error) {
	if f.Limit <= 0 {
		f.Limit = 100
	}
	rows, err := db.read.QueryContext(ctx, `SELECT `+outgoingColumns+`
		FROM outbox o LEFT JOIN tickets t ON t.id = o.ticket_id
		WHERE (?1 = '' OR o.state = ?1) AND (?2 = '' OR t.code = ?2)
		ORDER BY o.id DESC LIMIT ?3`, f.State, f.Ticket, f.Limit)
	if err != nil {
		return nil, fmt.Errorf("list outbox: %w", err)
	}
	return scanOutgoing(rows)
}

// RetryOutbox queues again, due at at, the failed or expired message id, or
// every failed and expired message if id is 0, with a fresh count of
// attempts and a fresh useful life. It returns how many it queued;
// ENOTFOUND if id names no failed or expired message.
func (db *DB) RetryOutbox(ctx context.Context, id int64, at time.Time) (int64, error) {
	var n int64
	err := db.update(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'queued', attempts = 0, next_attempt_at = ?1,
			created_at = ?1, done_at = NULL WHERE state IN ('failed', 'expired') AND (?2 = 0 OR id = ?2) AND body != ''`,
			formatTime(at), id)
		if err != nil {
			return fmt.Errorf("retry outbox: %w", err)
		}
		if n, err = res.RowsAffected(); err != nil {
			return fmt.Errorf("retry outbox: %w", err)
		}
		if n == 0 && id != 0 {
			return tickets.Errorf(tickets.ENOTFOUND, "outbox item %d is not failed or expired, or has nothing left to send", id)
		}
		return nil
	})
	return n, err
}

// PendingCount is how many messages of a channel and kind wait in the
// outbox (queued or sending), and since when the oldest waits.
type PendingCount struct {
	Channel tickets.Channel
	Kind    tickets.NoticeKind
	N       int
	Oldest  time.Time
}

// PendingOutbox counts the pending messages by channel and kind.
func (db *DB) PendingOutbox(ctx context.Context) ([]PendingCount, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT channel, kind, count(*), min(created_at) FROM outbox
		WHERE state IN ('queued', 'sending') GROUP BY channel, kind ORDER BY channel, kind`)
	if err != nil {
		return nil, fmt.Errorf("count outbox: %w", err)
	}
	defer rows.Close()
	var ps []PendingCount
	for rows.Next() {
		var p PendingCount
		var oldest string
		if err := rows.Scan(&p.Channel, &p.Kind, &p.N, &oldest); err != nil {
			return nil, fmt.Errorf("count outbox: %w", err)
		}
		if p.Oldest, err = parseTime(oldest); err != nil {
			return nil, fmt.Errorf("count outbox: %w", err)
		}
		ps = append(ps, p)
	}
	return ps, rows.Err()
}

// DeliveryProblems returns, for each ticket of codes (every ticket if codes
// is empty), its latest message to a citizen (an answer or a resolution)
// that failed or expired and has not been sent since, or that was sent
// again after a crash and may have arrived twice (Uncertain).
func (db *DB) DeliveryProblems(ctx context.Context, codes ...tickets.Code) (map[tickets.Code]tickets.DeliveryProblem, error) {
	q := `SELECT t.code, o.kind, o.state, o.error_class, coalesce(o.done_at, o.created_at), o.uncertain
		FROM outbox o JOIN tickets t ON t.id = o.ticket_id
		WHERE o.kind IN ('answer', 'resolved') AND (o.state IN ('failed', 'expired')
			AND NOT EXISTS (SELECT 1 FROM outbox s WHERE s.ticket_id = o.ticket_id AND s.id > o.id
				AND s.kind IN ('answer', 'resolved') AND s.state = 'sent')
			OR o.state = 'sent' AND o.uncertain = 1)`
	var args []any
	if len(codes) > 0 {
		q += ` AND t.code IN (?` + strings.Repeat(", ?", len(codes)-1) + `)`
		for _, c := range codes {
			args = append(args, c)
		}
	}
	rows, err := db.read.QueryContext(ctx, q+` ORDER BY o.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("read delivery problems: %w", err)
	}
	defer rows.Close()
	ps := map[tickets.Code]tickets.DeliveryProblem{}
	for rows.Next() {
		var p tickets.DeliveryProblem
		var at string
		if err := rows.Scan(&p.Ticket, &p.Kind, &p.State, &p.Class, &at, &p.Uncertain); err != nil {
			return nil, fmt.Errorf("read delivery problems: %w", err)
		}
		if p.At, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("read delivery problems: %w", err)
		}
		ps[p.Ticket] = p
	}
	return ps, rows.Err()
}
