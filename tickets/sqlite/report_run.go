// SPDX-License-Identifier: Apache-2.0

package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
)

// ReportRun returns the scheduled run of period in format, with the chats it
// has reached; ENOTFOUND if there is none.
func (db *DB) ReportRun(ctx context.Context, period, format string) (*tickets.ReportRun, error) {
	r := &tickets.ReportRun{Period: period, Format: format, Sent: map[int64]time.Time{}}
	var created string
	err := db.read.QueryRowContext(ctx, `SELECT file, created_at FROM report_runs WHERE period = ? AND format = ?`,
		period, format).Scan(&r.File, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tickets.Errorf(tickets.ENOTFOUND, "there is no %s report run for %s", format, period)
	}
	if err != nil {
		return nil, fmt.Errorf("read report run: %w", err)
	}
	if r.CreatedAt, err = parseTime(created); err != nil {
		return nil, fmt.Errorf("read report run: %w", err)
	}
	rows, err := db.read.QueryContext(ctx, `SELECT chat_id, sent_at FROM report_deliveries
		WHERE period = ? AND format = ? AND sent_at IS NOT NULL`, period, format)
	if err != nil {
		return nil, fmt.Errorf("read report deliveries: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var chat int64
		var sent string
		if err := rows.Scan(&chat, &sent); err != nil {
			return nil, fmt.Errorf("read report deliveries: %w", err)
		}
		if r.Sent[chat], err = parseTime(sent); err != nil {
			return nil, fmt.Errorf("read report deliveries: %w", err)
		}
	}
	return r, rows.Err()
}

// SaveReportRun records that r's file is written, replacing the file of an
// earlier run of the same period and format; deliveries already made stay.
func (db *DB) SaveReportRun(ctx context.Context, r *tickets.ReportRun) error {
	return db.update(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO report_runs (period, format, file, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (period, format) DO UPDATE SET file = excluded.file, created_at = excluded.created_at`,
			r.Period, r.Format, r.File, formatTime(r.CreatedAt))
		if err != nil {
			return fmt.Errorf("save report run: %w", err)
		}
		return nil
	})
}

// RecordDelivery records one attempt to send the run of period in format to
// chat at time at: sent if failure is empty, else failed with that reason.
// A delivery already sent stays sent. It returns ENOTFOUND if there is no
// such run.
func (db *DB) RecordDelivery(ctx context.Context, period, format string, chat int64, at time.Time, failure string) error {
	return db.update(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var exists bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM report_runs WHERE period = ? AND format = ?)`,
			period, format).Scan(&exists); err != nil {
			return fmt.Errorf("record delivery: %w", err)
		}
		if !exists {
			return tickets.Errorf(tickets.ENOTFOUND, "there is no %s report run for %s", format, period)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO report_deliveries (period, format, chat_id, attempts, last_error, tried_at, sent_at)
			VALUES (?1, ?2, ?3, 1, ?4, ?5, CASE WHEN ?4 = '' THEN ?5 END)
			ON CONFLICT (period, format, chat_id) DO UPDATE SET attempts = attempts + 1, last_error = ?4, tried_at = ?5,
				sent_at = coalesce(sent_at, CASE WHEN ?4 = '' THEN ?5 END)`,
			period, format, chat, failure, formatTime(at))
		if err != nil {
			return fmt.Errorf("record delivery: %w", err)
		}
		return nil
	})
}
