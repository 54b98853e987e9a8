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

// queueOpen is the condition of the queue indexes, written as they are.
const queueOpen = `status IN ('new', 'assigned', 'in_progress') AND deadline <> ''`

// queueGroups are the conditions of the queue's groups, in order.
var queueGroups = [...]string{
	tickets.QueueOverdue:    `deadline < :now`,
	tickets.QueueNew:        `deadline >= :now AND status <> 'in_progress'`,
	tickets.QueueInProgress: `deadline >= :now AND status = 'in_progress'`,
}

// queueSQL builds the queue's one query: a UNION ALL of one range scan of a
// queue index per group, each already in deadline order and limited, so the
// final sort handles at most three pages.
func queueSQL(f tickets.QueueFilter) string {
	var extra string
	if f.Department != "" {
		extra += " AND department = :department"
	}
	if f.NewOnly {
		extra += " AND status = 'new'"
	}
	var parts []string
	for g, cond := range queueGroups {
		if !f.After.IsZero() && g < f.After.Group {
			continue
		}
		after := ""
		if !f.After.IsZero() && g == f.After.Group {
			after = " AND (deadline, id) > (:after_deadline, :after_id)"
		}
		parts = append(parts, fmt.Sprintf(`SELECT * FROM (SELECT %d AS grp, %s FROM tickets WHERE %s AND %s%s%s
			ORDER BY deadline, id LIMIT :limit)`, g, strings.TrimPrefix(selectTicketColumns, "SELECT "), queueOpen, cond, extra, after))
	}
	return strings.Join(parts, " UNION ALL ") + " ORDER BY grp, deadline, id LIMIT :limit"
}

// Queue returns one page of a work queue, most urgent first.
func (db *DB) Queue(ctx context.Context, f tickets.QueueFilter) (tickets.QueuePage, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = tickets.DefaultPageSize
	}
	limit = min(limit, tickets.MaxPageSize)
	rows, err := db.read.QueryContext(ctx, queueSQL(f), queueArgs(f, limit+1)...)
	if err != nil {
		return tickets.QueuePage{}, fmt.Errorf("queue: %w", err)
	}
	defer rows.Close()
	var p tickets.QueuePage
	var groups []int
	for rows.Next() {
		var g int
		t, err := scanTicket(prefixed{rows, &g})
		if err != nil {
			return tickets.QueuePage{}, err
		}
		p.Tickets, groups = append(p.Tickets, t), append(groups, g)
	}
	if err := rows.Err(); err != nil {
		return tickets.QueuePage{}, fmt.Errorf("queue: %w", err)
	}
	if len(p.Tickets) > limit {
		p.Tickets = p.Tickets[:limit]
		last := p.Tickets[limit-1]
		p.Next = tickets.QueueCursor{Group: groups[limit-1], Deadline: last.Deadline, ID: last.ID}
	}
	return p, nil
}

func queueArgs(f tickets.QueueFilter, limit int) []any {
	args := []any{sqlNamed("now", overdueBound(f.Now)), sqlNamed("limit", limit)}
	if f.Department != "" {
		args = append(args, sqlNamed("department", f.Department))
	}
	if !f.After.IsZero() {
		args = append(args, sqlNamed("after_deadline", formatTime(f.After.Deadline)), sqlNamed("after_id", f.After.ID))
	}
	return args
}

// prefixed scans a leading column into first, then the rest as row would.
type prefixed struct {
	row   scanner
	first any
}

func (p prefixed) Scan(dest ...any) error { return p.row.Scan(append([]any{p.first}, dest...)...) }

func sqlNamed(name string, v any) any { return sql.Named(name, v) }

// overdueBound is the bound "deadline < bound" that tells an overdue ticket
// at now as tickets.DueEnd does: the deadline's whole second is on time, so
// a ticket due at 23:59:59 is overdue from midnight, not at 23:59:59.5.
func overdueBound(now time.Time) string { return formatTime(now.Truncate(time.Second)) }
