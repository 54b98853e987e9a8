// SPDX-License-Identifier: Apache-2.0

package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
)

// Local days and hours are computed in SQL: each range of the period in
// which loc keeps one UTC offset (the whole period in Asia/Ho_Chi_Minh, which
// has no daylight saving time) is queried with that offset as a strftime
// modifier. The range predicates compare the indexed UTC text columns with
// the bounds formatted the same way, so every query reads one index range.

// The aggregate queries of calls and chats, with their parameters in order;
// the ticket figures are in stats_history.go.
const (
	// from, to
	callCountsSQL = `SELECT branch, outcome, count(*)
		FROM calls WHERE started_at >= ? AND started_at < ?
		GROUP BY branch, outcome`
	// offset modifier, from, to
	callHoursSQL = `SELECT strftime('%Y-%m-%d %H', started_at, ?) AS hour, count(*)
		FROM calls WHERE started_at >= ? AND started_at < ?
		GROUP BY hour`
	// first day, day after the last
	chatCountsSQL = `SELECT channel, count(*), sum(conversations) FROM (
			SELECT channel, chat_hash, sum(conversations) AS conversations
			FROM chat_activity WHERE day >= ? AND day < ?
			GROUP BY channel, chat_hash)
		GROUP BY channel ORDER BY channel`
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
		if err := receivedCounts(ctx, conn, seg, to, &s); err != nil {
			return nil, err
		}
	}
	if err := chatCounts(ctx, conn, from, to, q.Loc, &s); err != nil {
		return nil, err
	}
	if err := resolutions(ctx, conn, from, to, &s); err != nil {
		return nil, err
	}
	if q.Survey {
		if err := surveyCounts(ctx, conn, from, to, &s); err != nil {
			return nil, err
		}
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
