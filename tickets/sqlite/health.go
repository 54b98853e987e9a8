// SPDX-License-Identifier: Apache-2.0

package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// ProbeWrite checks that the store can commit a write now: it rewrites one
// existing row in place through the writer, so that a full disk, a
// read-only file or a lost lock fails the probe as it would fail a ticket.
// It changes no data.
func (db *DB) ProbeWrite(ctx context.Context) error {
	return db.update(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE chat_activity_key SET key = key WHERE id = 1`); err != nil {
			return fmt.Errorf("write probe: %w", err)
		}
		return nil
	})
}

// CountOverdue returns the number of open tickets past their deadline at
// now, by department; departments with none are absent.
func (db *DB) CountOverdue(ctx context.Context, now time.Time) (map[string]int, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT department, count(*) FROM tickets
		WHERE status IN ('new', 'assigned', 'in_progress') AND deadline < ?
		GROUP BY department`, overdueBound(now))
	if err != nil {
		return nil, fmt.Errorf("count overdue tickets: %w", err)
	}
	defer rows.Close()
	n := map[string]int{}
	for rows.Next() {
		var dept string
		var c int
		if err := rows.Scan(&dept, &c); err != nil {
			return nil, fmt.Errorf("count overdue tickets: %w", err)
		}
		n[dept] = c
	}
	return n, rows.Err()
}
