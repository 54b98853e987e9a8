// SPDX-License-Identifier: Apache-2.0

package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
)

// CreateCall implements tickets.Store.
func (db *DB) CreateCall(ctx context.Context, c *tickets.Call) error {
	if c.Outcome == "" {
		c.Outcome = tickets.OutcomeActive
	}
	return db.update(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO calls (channel_id, caller, started_at, ended_at, branch, ticket_code, outcome)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, c.ChannelID, c.Caller, formatTime(c.StartedAt), formatNullTime(c.EndedAt),
			c.Branch, nullString(string(c.TicketCode), c.TicketCode != ""), c.Outcome)
		if err != nil {
			return fmt.Errorf("insert call: %w", err)
		}
		c.ID, err = res.LastInsertId()
		return err
	})
}

// UpdateCall implements tickets.Store.
func (db *DB) UpdateCall(ctx context.Context, c *tickets.Call) error {
	return db.update(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE calls SET ended_at = ?, branch = ?, ticket_code = ?, outcome = ? WHERE id = ?`,
			formatNullTime(c.EndedAt), c.Branch, nullString(string(c.TicketCode), c.TicketCode != ""), c.Outcome, c.ID)
		if err != nil {
			return fmt.Errorf("update call: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return tickets.Errorf(tickets.ENOTFOUND, "there is no call %d", c.ID)
		}
		return nil
	})
}

// CountCalls implements tickets.Store.
func (db *DB) CountCalls(ctx context.Context) (map[tickets.Outcome]int, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT outcome, count(*) FROM calls GROUP BY outcome`)
	if err != nil {
		return nil, fmt.Errorf("count calls: %w", err)
	}
	defer rows.Close()
	counts := map[tickets.Outcome]int{}
	for rows.Next() {
		var o tickets.Outcome
		var n int
		if err := rows.Scan(&o, &n); err != nil {
			return nil, fmt.Errorf("count calls: %w", err)
		}
		counts[o] = n
	}
	return counts, rows.Err()
}

// CloseStaleCalls ends the calls still marked active that started before
// before: calls a previous run of hotline was handling when it died. They
// end at before with OutcomeFault (a system fault), so that every call
// counts once and none stays active for ever; a call still up that the
// phone channel takes over gets its final outcome then. It returns how many it closed.
func (db *DB) CloseStaleCalls(ctx context.Context, before time.Time) (int, error) {
	var n int64
	err := db.update(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE calls SET outcome = ?, ended_at = ?
			WHERE outcome = ? AND ended_at IS NULL AND started_at < ?`,
			tickets.OutcomeFault, formatTime(before), tickets.OutcomeActive, formatTime(before))
		if err != nil {
			return fmt.Errorf("close stale calls: %w", err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}
