// SPDX-License-Identifier: Apache-2.0

package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
)

// The ticket figures read the append-only history as it stood at the
// period's end (:end), so that later moves, reopenings and resolutions leave
// a period that has ended unchanged:
//   - a ticket's department at a moment is the one its first later move took
//     it from, or its current department if it has not moved since;
//   - its status at the end is the from_status of its first history entry at
//     or after the end, or its current status if it has none;
//   - resolutions and reopenings are the history's events in the period.
//
// The tickets row is the history's latest state, so most of the past is the
// current state, corrected by the few changes that can make it differ: a
// resolution is a ticket's last one unless the ticket was reopened since; a
// ticket open at the end is open now or resolved only after the end, unless
// it was reopened after the end; its department at the end is its current
// one unless it moved after the end. Each step reads an index range, never a
// whole table or a seek per stored ticket: tickets by creation, resolution
// or open status (their covering indexes), reopenings and moves since a
// moment (history_reopenings, history_moved_at), one reopened or moved
// ticket's entries (history_ticket_resolutions, history_ticket,
// history_moves), and the entries after the end for the overdue list's
// statuses (history_at).

// deptAtEvent is the department that held ticket t at the history entry e
// of the period: the one its first later move took it from, or its current
// one. Only a ticket moved since the period began (movedSinceCTE) is looked
// up.
const (
	movedSinceCTE = `msince AS MATERIALIZED (
			SELECT ticket_id FROM history WHERE from_department != '' AND at >= :from)`
	deptAtEvent = `CASE WHEN t.id IN (SELECT ticket_id FROM msince) THEN coalesce((
			SELECT m.from_department FROM history m
			WHERE m.ticket_id = t.id AND m.from_department != '' AND m.id > e.id
			ORDER BY m.id LIMIT 1), t.department) ELSE t.department END`
)

// onTime compares a time column with a deadline column as tickets.DueEnd
// does, in text: on time if before the deadline's second ends (a deadline
// is stored as 23:59:59.000 local time, so before the next midnight).
func onTime(at, deadline string) string {
	return `substr(` + at + `, 1, 19) <= substr(` + deadline + `, 1, 19)`
}

// overdueAtEnd is true if the deadline's day ended by the period's end:
// DueEnd(deadline) <= end, with :last_second the second before the end as
// "2006-01-02T15:04:05".
func overdueAtEnd(deadline string) string { return `substr(` + deadline + `, 1, 19) <= :last_second` }

const (
	openStatuses = `('new', 'assigned', 'in_progress')`
	// moved is each ticket's first move at or after the end: the department
	// it names held the ticket at the end.
	movedCTE = `moves AS MATERIALIZED (
			SELECT ticket_id, id, from_department FROM history WHERE from_department != '' AND at >= :end),
		moved AS (SELECT ticket_id, min(id) AS id, from_department FROM moves GROUP BY ticket_id)`
	// candidates are the tickets that can have been open at the end, with
	// their department then: created before it and open now, or resolved
	// (last) only after it. Each was open at the end unless it was reopened
	// after the end: a ticket resolved at the end cannot be open now, or
	// resolved again after it, without a reopening in between.
	candidatesCTE = movedCTE + `,
		cand AS (
			SELECT id, department, deadline, status FROM tickets
			WHERE created_at < :end AND status IN ` + openStatuses + `
			UNION ALL
			SELECT id, department, deadline, status FROM tickets
			WHERE resolved_at >= :end AND status IN ('resolved', 'closed') AND created_at < :end),
		c AS (
			SELECT cand.id, coalesce(mv.from_department, cand.department) AS department, cand.deadline, cand.status
			FROM cand LEFT JOIN moved mv ON mv.ticket_id = cand.id)`
	// reopened are the tickets reopened at or after the end; statusAtEnd
	// is the status of ticket c at the end: the from_status of its first
	// entry at or after the end.
	reopenedCTE = `reopened AS MATERIALIZED (
			SELECT ticket_id FROM history WHERE action = 'reopen' AND at >= :end)`
	statusAtEnd = `(SELECT h.from_status FROM history h WHERE h.ticket_id = c.id AND h.at >= :end ORDER BY h.id LIMIT 1)`
	// later is the first entry of each ticket at or after the end, whose
	// from_status is the ticket's status then: for listing a few tickets'
	// statuses, where the end is recent.
	laterCTE = `since AS MATERIALIZED (SELECT ticket_id, id, from_status FROM history WHERE at >= :end),
		later AS (SELECT ticket_id, min(id) AS id, from_status FROM since GROUP BY ticket_id)`
	// res is each ticket's last resolution in the period (id, at), with
	// the department that held the ticket then and its deadline and
	// creation. A ticket not reopened since the period began was resolved
	// last at resolved_at, in its current department (a resolved ticket
	// cannot move); the few reopened ones are read from their history (e).
	resolutionsCTE = movedSinceCTE + `,
		reop AS MATERIALIZED (SELECT ticket_id FROM history WHERE action = 'reopen' AND at >= :from),
		e AS (
			SELECT ticket_id, max(id) AS id, at FROM history
			WHERE action = 'resolve' AND at >= :from AND at < :end AND ticket_id IN (SELECT ticket_id FROM reop)
			GROUP BY ticket_id),
		res AS (
			SELECT id, department AS dept, resolved_at AS at, deadline, created_at FROM tickets
			WHERE resolved_at >= :from AND resolved_at < :end AND status IN ('resolved', 'closed')
				AND id NOT IN (SELECT ticket_id FROM reop)
			UNION ALL
			SELECT t.id, ` + deptAtEvent + `, e.at, t.deadline, t.created_at FROM e JOIN tickets t ON t.id = e.ticket_id)`
)

// The statements, with named parameters :from, :to (a segment's end), :end
// (the period's end) and :mod (a UTC offset modifier for strftime).
var (
	receivedSQL = `WITH ` + movedCTE + `
		SELECT strftime('%Y-%m-%d', t.created_at, :mod) AS day, coalesce(mv.from_department, t.department) AS dept,
			t.channel, count(*)
		FROM tickets t LEFT JOIN moved mv ON mv.ticket_id = t.id
		WHERE t.created_at >= :from AND t.created_at < :to
		GROUP BY day, dept, t.channel`
	// Nearest rank: ceil(n/2) and ceil(9n/10).
	resolvedSQL = `WITH ` + resolutionsCTE + `,
		r AS (
			SELECT dept, ` + onTime("at", "deadline") + ` AS on_time,
				CAST(round((julianday(at) - julianday(created_at)) * 86400000) AS INTEGER) AS ms
			FROM res),
		ranked AS (
			SELECT dept, ms,
				row_number() OVER (PARTITION BY dept ORDER BY ms) AS rank,
				count(*) OVER (PARTITION BY dept) AS n,
				sum(on_time) OVER (PARTITION BY dept) AS on_time
			FROM r)
		SELECT dept, n, on_time, rank = (n + 1) / 2, rank = (9 * n + 9) / 10, ms
		FROM ranked WHERE rank = (n + 1) / 2 OR rank = (9 * n + 9) / 10`
	reopenedSQL = `WITH ` + movedSinceCTE + `
		SELECT ` + deptAtEvent + ` AS dept, count(*)
		FROM history e JOIN tickets t ON t.id = e.ticket_id
		WHERE e.action = 'reopen' AND e.at >= :from AND e.at < :end
		GROUP BY dept`
	openSQL = `WITH ` + candidatesCTE + `, ` + reopenedCTE + `
		SELECT department, count(*), sum(` + overdueAtEnd("deadline") + `)
		FROM c
		WHERE id NOT IN (SELECT ticket_id FROM reopened) OR ` + statusAtEnd + ` IN ` + openStatuses + `
		GROUP BY department`
	overdueSQL = `WITH ` + candidatesCTE + `, ` + laterCTE + `, ` + resolutionsCTE + `
		SELECT t.code, t.branch, res.dept, t.channel, coalesce(l.from_status, t.status), t.created_at, t.deadline, res.at
		FROM res JOIN tickets t ON t.id = res.id LEFT JOIN later l ON l.ticket_id = t.id
		WHERE NOT ` + onTime("res.at", "res.deadline") + ` AND coalesce(l.from_status, t.status) NOT IN ` + openStatuses + `
		UNION ALL
		SELECT t.code, t.branch, c.department, t.channel, coalesce(l.from_status, c.status), t.created_at, c.deadline, NULL
		FROM c JOIN tickets t ON t.id = c.id LEFT JOIN later l ON l.ticket_id = c.id
		WHERE ` + overdueAtEnd("c.deadline") + ` AND coalesce(l.from_status, c.status) IN ` + openStatuses + `
		ORDER BY 3, 7, 1`
)

// periodArgs are the named parameters of a period's statements: :from,
// :end and :last_second, in this order.
func periodArgs(from, to time.Time) []any {
	return []any{sql.Named("from", formatTime(from)), sql.Named("end", formatTime(to)),
		sql.Named("last_second", formatTime(to.Add(-time.Second))[:19])}
}

func receivedCounts(ctx context.Context, conn *sql.Conn, seg segment, end time.Time, s *tickets.PeriodStats) error {
	rows, err := conn.QueryContext(ctx, receivedSQL, sql.Named("from", seg.from), sql.Named("to", seg.to),
		sql.Named("end", formatTime(end)), sql.Named("mod", seg.modifier))
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

// resolutions fills one Resolution per department with tickets resolved or
// reopened in the period or open at its end, in department order.
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
	args := periodArgs(from, to) // :from, :end, :last_second
	err := eachRow(ctx, conn, "count resolved tickets", resolvedSQL, args[:2], func(rows *sql.Rows) error {
		var dept string
		var n, onTime int
		var isMedian, isP90 bool
		var ms int64
		if err := rows.Scan(&dept, &n, &onTime, &isMedian, &isP90, &ms); err != nil {
			return err
		}
		r := get(dept)
		r.Resolved, r.OnTime = n, onTime
		if isMedian {
			r.Median = time.Duration(ms) * time.Millisecond
		}
		if isP90 {
			r.P90 = time.Duration(ms) * time.Millisecond
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = eachRow(ctx, conn, "count reopened tickets", reopenedSQL, args[:2], func(rows *sql.Rows) error {
		var dept string
		var n int
		err := rows.Scan(&dept, &n)
		get(dept).Reopened = n
		return err
	})
	if err != nil {
		return err
	}
	err = eachRow(ctx, conn, "count open tickets", openSQL, args[1:], func(rows *sql.Rows) error {
		var dept string
		var open, overdue int
		err := rows.Scan(&dept, &open, &overdue)
		r := get(dept)
		r.Open, r.OpenOverdue = open, overdue
		return err
	})
	if err != nil {
		return err
	}
	for _, r := range byDept {
		s.Resolutions = append(s.Resolutions, *r)
	}
	slices.SortFunc(s.Resolutions, func(a, b tickets.Resolution) int { return strings.Compare(a.Department, b.Department) })
	return nil
}

// eachRow runs q and calls scan on each row; errors name what.
func eachRow(ctx context.Context, conn *sql.Conn, what, q string, args []any, scan func(*sql.Rows) error) error {
	rows, err := conn.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

func overdue(ctx context.Context, conn *sql.Conn, from, to time.Time, s *tickets.PeriodStats) error {
	return eachRow(ctx, conn, "list overdue tickets", overdueSQL, periodArgs(from, to), func(rows *sql.Rows) error {
		var o tickets.OverdueTicket
		var created, deadline string
		var resolved sql.NullString
		if err := rows.Scan(&o.Code, &o.Branch, &o.Department, &o.Channel, &o.Status, &created, &deadline, &resolved); err != nil {
			return err
		}
		var err error
		if o.CreatedAt, err = parseTime(created); err == nil {
			if o.Deadline, err = parseTime(deadline); err == nil {
				o.ResolvedAt, err = parseNullTime(resolved)
			}
		}
		if err != nil {
			return fmt.Errorf("overdue ticket %s: %w", o.Code, err)
		}
		s.Overdue = append(s.Overdue, o)
		return nil
	})
}
