// SPDX-License-Identifier: Apache-2.0

package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
)

// Local days and hours are computed in SQL: each range of the period in
// which loc keeps one UTC offset (the whole period in Asia/Ho_Chi_Minh, which
// has no daylight saving time) is queried with that offset as a strftime
// modifier. The range predicates compare the indexed UTC text columns with
// the bounds formatted the same way, so every query reads one index range.

// The aggregate queries, with their parameters in order. The status lists
// read exactly as the partial indexes' conditions do.
const (
	// from, to
	callCountsSQL = `SELECT branch, outcome, count(*)
		FROM calls WHERE started_at >= ? AND started_at < ?
		GROUP BY branch, outcome`
	// offset modifier, from, to
	callHoursSQL = `SELECT strftime('%Y-%m-%d %H', started_at, ?) AS hour, count(*)
		FROM calls WHERE started_at >= ? AND started_at < ?
		GROUP BY hour`
	// offset modifier, from, to
	receivedSQL = `SELECT strftime('%Y-%m-%d', created_at, ?) AS day, department, channel, count(*)
		FROM tickets WHERE created_at >= ? AND created_at < ?
		GROUP BY day, department, channel`
	// first day, day after the last
	chatCountsSQL = `SELECT channel, count(*), sum(conversations) FROM (
			SELECT channel, chat_hash, sum(conversations) AS conversations
			FROM chat_activity WHERE day >= ? AND day < ?
			GROUP BY channel, chat_hash)
		GROUP BY channel ORDER BY channel`
	// from, to. Nearest rank: ceil(n/2) and ceil(9n/10).
	resolvedSQL = `WITH r AS (
			SELECT department, resolved_at <= deadline AS on_time,
				CAST(round((julianday(resolved_at) - julianday(created_at)) * 86400000) AS INTEGER) AS ms
			FROM tickets
			WHERE resolved_at >= ? AND resolved_at < ? AND status IN ('resolved', 'closed')),
		ranked AS (
			SELECT department, ms,
				row_number() OVER (PARTITION BY department ORDER BY ms) AS rank,
				count(*) OVER (PARTITION BY department) AS n,
				sum(on_time) OVER (PARTITION BY department) AS on_time
			FROM r)
		SELECT department, n, on_time, rank = (n + 1) / 2, rank = (9 * n + 9) / 10, ms
		FROM ranked WHERE rank = (n + 1) / 2 OR rank = (9 * n + 9) / 10`
	// to (×2), to (×2). Open now and created before the end, or resolved
	// only after it.
	openSQL = `SELECT department, count(*), sum(deadline < ?) FROM (
			SELECT department, deadline FROM tickets
			WHERE created_at < ? AND status IN ('new', 'assigned', 'in_progress')
			UNION ALL
			SELECT department, deadline FROM tickets
			WHERE resolved_at >= ? AND status IN ('resolved', 'closed') AND created_at < ?)
		GROUP BY department`
	overdueColumns = `SELECT code, branch, department, channel, status, created_at, deadline, resolved_at FROM tickets`
	// from, to; to (×2); to (×3)
	overdueSQL = overdueColumns + `
		WHERE resolved_at >= ? AND resolved_at < ? AND status IN ('resolved', 'closed') AND resolved_at > deadline
		UNION ALL ` + overdueColumns + `
		WHERE created_at < ? AND status IN ('new', 'assigned', 'in_progress') AND deadline < ?
		UNION ALL ` + overdueColumns + `
		WHERE resolved_at >= ? AND status IN ('resolved', 'closed') AND created_at < ? AND deadline < ?
		ORDER BY department, deadline, code`
)

// PeriodStats returns the aggregates q asks for in one read transaction. It
// returns EINVALID if the period is empty or has no location.
func (db *DB) PeriodStats(ctx context.Context, q tickets.StatsQuery) (*tickets.PeriodStats, error) {
	from, to := q.From, q.To
	if !from.Before(to) || q.Loc == nil {
		return nil, tickets.Errorf(tickets.EINVALID, "the period must end after it starts, in a time zone")
	}
	conn, err := db.read.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("period stats: %w", err)
	}
	defer conn.Close()
	// A deferred transaction on the read-only connection: one snapshot,
	// and never the write lock.
	if _, err := conn.ExecContext(ctx, "BEGIN"); err != nil {
		return nil, fmt.Errorf("period stats: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
	var s tickets.PeriodStats
	if err := callCounts(ctx, conn, from, to, &s); err != nil {
		return nil, err
	}
	for _, seg := range offsetSegments(from, to, q.Loc) {
		if err := callHours(ctx, conn, seg, &s); err != nil {
			return nil, err
		}
		if err := receivedCounts(ctx, conn, seg, &s); err != nil {
			return nil, err
		}
	}
	if err := chatCounts(ctx, conn, from, to, q.Loc, &s); err != nil {
		return nil, err
	}
	if err := resolutions(ctx, conn, from, to, &s); err != nil {
		return nil, err
	}
	if q.Overdue {
		if err := overdue(ctx, conn, from, to, &s); err != nil {
			return nil, err
		}
	}
	return &s, nil
}

// segment is a range of time in which the location keeps one UTC offset,
// given as a strftime modifier such as "+25200 seconds".
type segment struct {
	from, to string
	modifier string
}

// offsetSegments splits [from, to) where loc changes its UTC offset.
func offsetSegments(from, to time.Time, loc *time.Location) []segment {
	var segs []segment
	for t := from; t.Before(to); {
		_, offset := t.In(loc).Zone()
		_, end := t.In(loc).ZoneBounds()
		if end.IsZero() || end.After(to) {
			end = to
		}
		segs = append(segs, segment{formatTime(t), formatTime(end), fmt.Sprintf("%+d seconds", offset)})
		t = end
	}
	return segs
}

func callCounts(ctx context.Context, conn *sql.Conn, from, to time.Time, s *tickets.PeriodStats) error {
	rows, err := conn.QueryContext(ctx, callCountsSQL, formatTime(from), formatTime(to))
	if err != nil {
		return fmt.Errorf("count calls: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c tickets.CallCount
		if err := rows.Scan(&c.Branch, &c.Outcome, &c.N); err != nil {
			return fmt.Errorf("count calls: %w", err)
		}
		s.Calls = append(s.Calls, c)
	}
	return rows.Err()
}

func callHours(ctx context.Context, conn *sql.Conn, seg segment, s *tickets.PeriodStats) error {
	rows, err := conn.QueryContext(ctx, callHoursSQL, seg.modifier, seg.from, seg.to)
	if err != nil {
		return fmt.Errorf("count calls by hour: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c tickets.HourCount
		var hour string
		if err := rows.Scan(&hour, &c.N); err != nil {
			return fmt.Errorf("count calls by hour: %w", err)
		}
		if c.Day, c.Hour, err = parseLocalHour(hour); err != nil {
			return fmt.Errorf("count calls by hour: %w", err)
		}
		s.CallHours = append(s.CallHours, c)
	}
	return rows.Err()
}

// parseLocalHour parses "2006-01-02 15" as strftime wrote it.
func parseLocalHour(s string) (tickets.Date, int, error) {
	if len(s) != 13 {
		return tickets.Date{}, 0, fmt.Errorf("bad local hour %q", s)
	}
	d, err := tickets.ParseDate(s[:10])
	if err != nil {
		return tickets.Date{}, 0, err
	}
	h, err := strconv.Atoi(s[11:])
	return d, h, err
}

func receivedCounts(ctx context.Context, conn *sql.Conn, seg segment, s *tickets.PeriodStats) error {
	rows, err := conn.QueryContext(ctx, receivedSQL, seg.modifier, seg.from, seg.to)
	if err != nil {
		return fmt.Errorf("count received tickets: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c tickets.ReceivedCount
		var day string
		if err := rows.Scan(&day, &c.Department, &c.Channel, &c.N); err != nil {
			return fmt.Errorf("count received tickets: %w", err)
		}
		if c.Day, err = tickets.ParseDate(day); err != nil {
			return fmt.Errorf("count received tickets: %w", err)
		}
		s.Received = append(s.Received, c)
	}
	return rows.Err()
}

// chatCounts counts the chats and conversations of each chat channel on the
// local days of [from, to); a day the period only partly covers counts whole.
func chatCounts(ctx context.Context, conn *sql.Conn, from, to time.Time, loc *time.Location, s *tickets.PeriodStats) error {
	first := tickets.DateOf(from.In(loc))
	end := to.In(loc)
	if y, m, d := end.Date(); !end.Equal(time.Date(y, m, d, 0, 0, 0, 0, loc)) {
		end = time.Date(y, m, d+1, 0, 0, 0, 0, loc)
	}
	rows, err := conn.QueryContext(ctx, chatCountsSQL, first.String(), tickets.DateOf(end).String())
	if err != nil {
		return fmt.Errorf("count chats: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c tickets.ChatCount
		if err := rows.Scan(&c.Channel, &c.Chats, &c.Conversations); err != nil {
			return fmt.Errorf("count chats: %w", err)
		}
		s.Chats = append(s.Chats, c)
	}
	return rows.Err()
}

// resolutions fills one Resolution per department with tickets resolved in
// the period or open at its end, in department order.
func resolutions(ctx context.Context, conn *sql.Conn, from, to time.Time, s *tickets.PeriodStats) error {
	byDept := map[string]*tickets.Resolution{}
	get := func(dept string) *tickets.Resolution {
		r, ok := byDept[dept]
		if !ok {
			r = &tickets.Resolution{Department: dept}
			byDept[dept] = r
		}
		return r
	}
	rows, err := conn.QueryContext(ctx, resolvedSQL, formatTime(from), formatTime(to))
	if err != nil {
		return fmt.Errorf("count resolved tickets: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var dept string
		var n, onTime int
		var isMedian, isP90 bool
		var ms int64
		if err := rows.Scan(&dept, &n, &onTime, &isMedian, &isP90, &ms); err != nil {
			return fmt.Errorf("count resolved tickets: %w", err)
		}
		r := get(dept)
		r.Resolved, r.OnTime = n, onTime
		if isMedian {
			r.Median = time.Duration(ms) * time.Millisecond
		}
		if isP90 {
			r.P90 = time.Duration(ms) * time.Millisecond
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("count resolved tickets: %w", err)
	}
	end := formatTime(to)
	rows, err = conn.QueryContext(ctx, openSQL, end, end, end, end)
	if err != nil {
		return fmt.Errorf("count open tickets: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var dept string
		var open, overdue int
		if err := rows.Scan(&dept, &open, &overdue); err != nil {
			return fmt.Errorf("count open tickets: %w", err)
		}
		r := get(dept)
		r.Open, r.OpenOverdue = open, overdue
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("count open tickets: %w", err)
	}
	for _, r := range byDept {
		s.Resolutions = append(s.Resolutions, *r)
	}
	slices.SortFunc(s.Resolutions, func(a, b tickets.Resolution) int { return strings.Compare(a.Department, b.Department) })
	return nil
}

func overdue(ctx context.Context, conn *sql.Conn, from, to time.Time, s *tickets.PeriodStats) error {
	f, t := formatTime(from), formatTime(to)
	rows, err := conn.QueryContext(ctx, overdueSQL, f, t, t, t, t, t, t)
	if err != nil {
		return fmt.Errorf("list overdue tickets: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var o tickets.OverdueTicket
		var created, deadline string
		var resolved sql.NullString
		if err := rows.Scan(&o.Code, &o.Branch, &o.Department, &o.Channel, &o.Status, &created, &deadline, &resolved); err != nil {
			return fmt.Errorf("list overdue tickets: %w", err)
		}
		if o.CreatedAt, err = parseTime(created); err == nil {
			if o.Deadline, err = parseTime(deadline); err == nil {
				o.ResolvedAt, err = parseNullTime(resolved)
			}
		}
		if err != nil {
			return fmt.Errorf("overdue ticket %s: %w", o.Code, err)
		}
		if o.Status.Open() || !o.ResolvedAt.Before(to) { // open at the end
			o.ResolvedAt = time.Time{}
		}
		s.Overdue = append(s.Overdue, o)
	}
	return rows.Err()
}
