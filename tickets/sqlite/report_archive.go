// SPDX-License-Identifier: Apache-2.0

package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
)

// IssueReport stores body as a new issued report (tickets.ReportArchive).
func (db *DB) IssueReport(ctx context.Context, r tickets.IssuedReport, body []byte) (*tickets.IssuedReport, error) {
	sum := sha256.Sum256(body)
	r.SHA256, r.Size, r.ReplacedBy = hex.EncodeToString(sum[:]), int64(len(body)), 0
	r.IssuedAt = r.IssuedAt.UTC().Truncate(time.Millisecond)
	err := db.update(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if r.Replaces != 0 {
			if err := checkReplaceable(ctx, tx, r); err != nil {
				return err
			}
		}
		var replaces any
		if r.Replaces != 0 {
			replaces = r.Replaces
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO issued_reports
			(period, label, format, source, issued_at, sha256, size, body, replaces) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.Period, r.Label, r.Format, r.Source, formatTime(r.IssuedAt), r.SHA256, r.Size, body, replaces)
		if err != nil {
			return fmt.Errorf("issue report: %w", err)
		}
		r.Number, err = res.LastInsertId()
		return err
	})
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// checkReplaceable returns an error unless r may replace r.Replaces: it
// exists, is of the same period and is not replaced yet.
func checkReplaceable(ctx context.Context, tx *sql.Tx, r tickets.IssuedReport) error {
	var period string
	var by sql.NullInt64
	err := tx.QueryRowContext(ctx, `SELECT o.period, c.number FROM issued_reports o
		LEFT JOIN issued_reports c ON c.replaces = o.number WHERE o.number = ?`, r.Replaces).Scan(&period, &by)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return tickets.Errorf(tickets.ENOTFOUND, "there is no issued report number %d to replace", r.Replaces)
	case err != nil:
		return fmt.Errorf("issue report: %w", err)
	case period != r.Period:
		return tickets.Errorf(tickets.EINVALID, "issued report %d is of the period %s, not %s: a correction is of the same period",
			r.Replaces, period, r.Period)
	case by.Valid:
		return tickets.Errorf(tickets.ECONFLICT, "issued report %d is already replaced by number %d: replace that one",
			r.Replaces, by.Int64)
	}
	return nil
}

const issuedColumns = `o.number, o.period, o.label, o.format, o.source, o.issued_at, o.sha256, o.size,
	coalesce(o.replaces, 0), coalesce(c.number, 0)`

const issuedFrom = ` FROM issued_reports o LEFT JOIN issued_reports c ON c.replaces = o.number`

func scanIssued(s interface{ Scan(...any) error }, extra ...any) (*tickets.IssuedReport, error) {
	var r tickets.IssuedReport
	var at string
	dest := append([]any{&r.Number, &r.Period, &r.Label, &r.Format, &r.Source, &at, &r.SHA256, &r.Size,
		&r.Replaces, &r.ReplacedBy}, extra...)
	if err := s.Scan(dest...); err != nil {
		return nil, err
	}
	var err error
	r.IssuedAt, err = parseTime(at)
	return &r, err
}

// IssuedReports returns every issued report, by number (tickets.ReportArchive).
func (db *DB) IssuedReports(ctx context.Context) ([]tickets.IssuedReport, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+issuedColumns+issuedFrom+` ORDER BY o.number`)
	if err != nil {
		return nil, fmt.Errorf("list issued reports: %w", err)
	}
	defer rows.Close()
	var rs []tickets.IssuedReport
	for rows.Next() {
		r, err := scanIssued(rows)
		if err != nil {
			return nil, fmt.Errorf("list issued reports: %w", err)
		}
		rs = append(rs, *r)
	}
	return rs, rows.Err()
}

// IssuedReport returns report n and its bytes, checked against the hash
// recorded when it was issued (tickets.ReportArchive).
func (db *DB) IssuedReport(ctx context.Context, n int64) (*tickets.IssuedReport, []byte, error) {
	var body []byte
	r, err := scanIssued(db.read.QueryRowContext(ctx, `SELECT `+issuedColumns+`, o.body`+issuedFrom+` WHERE o.number = ?`, n), &body)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, nil, tickets.Errorf(tickets.ENOTFOUND, "there is no issued report number %d", n)
	case err != nil:
		return nil, nil, fmt.Errorf("read issued report %d: %w", n, err)
	}
	if sum := sha256.Sum256(body); hex.EncodeToString(sum[:]) != r.SHA256 {
		return nil, nil, fmt.Errorf("issued report %d: its bytes do not match the SHA-256 recorded when it was issued (%s)", n, r.SHA256)
	}
	return r, body, nil
}

// FirstActivity returns when the first ticket was received or the first call
// started, whichever is earlier; the zero time if there is neither.
func (db *DB) FirstActivity(ctx context.Context) (time.Time, error) {
	var first sql.NullString
	err := db.read.QueryRowContext(ctx, `SELECT min(t) FROM (
		SELECT min(created_at) AS t FROM tickets UNION ALL SELECT min(started_at) FROM calls)`).Scan(&first)
	if err != nil || !first.Valid {
		if err != nil {
			err = fmt.Errorf("first activity: %w", err)
		}
		return time.Time{}, err
	}
	t, err := parseTime(first.String)
	if err != nil {
		return time.Time{}, fmt.Errorf("first activity: %w", err)
	}
	return t, nil
}

// LastIssued returns the latest report of period in format issued by source,
// and its bytes; ENOTFOUND if there is none.
func (db *DB) LastIssued(ctx context.Context, period, format, source string) (*tickets.IssuedReport, []byte, error) {
	var max sql.NullInt64
	if err := db.read.QueryRowContext(ctx, `SELECT max(number) FROM issued_reports WHERE period = ? AND format = ? AND source = ?`,
		period, format, source).Scan(&max); err != nil {
		return nil, nil, fmt.Errorf("read issued report: %w", err)
	}
	if !max.Valid {
		return nil, nil, tickets.Errorf(tickets.ENOTFOUND, "no %s report of %s was issued by the %s", format, period, source)
	}
	return db.IssuedReport(ctx, max.Int64)
}
