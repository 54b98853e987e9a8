// SPDX-License-Identifier: Apache-2.0

package sqlite

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hotline-cchc/hotline/tickets"
)

func openTest(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "h.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// queryPlan returns the details of EXPLAIN QUERY PLAN for q, one per step.
func queryPlan(t *testing.T, db *DB, q string, args ...any) []string {
	t.Helper()
	rows, err := db.read.Query("EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return plan
}

// The work queue must be read through an index, never by sorting a
// department's tickets: that is what keeps a page fast at a million tickets.
func TestQueryPlans(t *testing.T) {
	db := openTest(t)
	for _, tt := range []struct {
		name  string
		f     tickets.Filter
		index string
	}{
		{"OpenQueue", tickets.Filter{Department: "so-noi-vu", Statuses: tickets.OpenStatuses}, "tickets_department_open"},
		{"OneStatus", tickets.Filter{Department: "so-noi-vu", Statuses: []tickets.Status{tickets.StatusResolved}}, "tickets_department_status"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			where, args, err := ticketWhere(tt.f)
			if err != nil {
				t.Fatal(err)
			}
			plan := queryPlan(t, db, selectTicket+where+" ORDER BY id DESC LIMIT 51", args...)
			p := strings.Join(plan, "; ")
			if !strings.Contains(p, tt.index) || strings.Contains(p, "TEMP B-TREE") {
				t.Errorf("plan %q: want index %s and no sort", p, tt.index)
			}
		})
	}
}

func TestHistoryIsAppendOnly(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	tk := &tickets.Ticket{Branch: 1, Department: "d", Channel: tickets.ChannelWeb, Status: tickets.StatusNew, Text: "x"}
	if err := db.CreateTicket(ctx, tk, tickets.HistoryEntry{Actor: "t", Action: tickets.ActionCreate, ToStatus: tickets.StatusNew}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"UPDATE history SET note = 'x'", "DELETE FROM history"} {
		if _, err := db.write.Exec(q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v, want refusal", q, err)
		}
	}
}

// A code already taken is replaced by a fresh one; the ticket is not lost.
func TestCreateTicketRetriesTakenCode(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	taken := tickets.NewCode()
	fresh := tickets.NewCode()
	queue := []tickets.Code{taken, taken, taken, fresh}
	db.newCode = func() tickets.Code { c := queue[0]; queue = queue[1:]; return c }
	mk := func() *tickets.Ticket {
		return &tickets.Ticket{Branch: 1, Department: "d", Channel: tickets.ChannelWeb, Status: tickets.StatusNew, Text: "x"}
	}
	h := tickets.HistoryEntry{Actor: "t", Action: tickets.ActionCreate, ToStatus: tickets.StatusNew}
	first, second := mk(), mk()
	if err := db.CreateTicket(ctx, first, h); err != nil || first.Code != taken {
		t.Fatalf("first: %v, code %s", err, first.Code)
	}
	if err := db.CreateTicket(ctx, second, h); err != nil || second.Code != fresh {
		t.Fatalf("second: %v, code %s; want the fresh code %s", err, second.Code, fresh)
	}
	db.newCode = func() tickets.Code { return taken }
	if err := db.CreateTicket(ctx, mk(), h); err == nil || !strings.Contains(err.Error(), "no free code") {
		t.Fatalf("all codes taken: %v", err)
	}
}
