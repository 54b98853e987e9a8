// SPDX-License-Identifier: Apache-2.0

package sqlite

import (
	"strings"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
)

// Every group of the queue is a range scan of a queue index; the only sort
// is of the (at most three) limited pages that the scans return.
func TestQueuePlan(t *testing.T) {
	db := openTest(t)
	now := time.Date(2026, 11, 2, 3, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		name  string
		f     tickets.QueueFilter
		index string
	}{
		{"Department", tickets.QueueFilter{Department: "so-noi-vu", Now: now}, "tickets_department_queue"},
		{"DepartmentAfter", tickets.QueueFilter{Department: "so-noi-vu", Now: now,
			After: tickets.QueueCursor{Group: tickets.QueueNew, Deadline: now, ID: 7}}, "tickets_department_queue"},
		{"Everyone", tickets.QueueFilter{Now: now}, "tickets_queue"},
		{"NewOnly", tickets.QueueFilter{NewOnly: true, Now: now}, "tickets_queue"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			plan := queryPlan(t, db, queueSQL(tt.f), queueArgs(tt.f, 51)...)
			p := strings.Join(plan, "; ")
			if strings.Contains(p, "SCAN tickets") || strings.Count(p, "SEARCH tickets USING INDEX "+tt.index+" ") != strings.Count(p, "SEARCH tickets") {
				t.Errorf("plan %q: want only range scans of %s", p, tt.index)
			}
			// A sort may follow only the scan of a subquery's limited page,
			// never the search of the table itself.
			for i, step := range plan[:len(plan)-1] {
				if strings.HasPrefix(step, "SEARCH tickets") && strings.Contains(plan[i+1], "TEMP B-TREE") {
					t.Errorf("plan %q sorts the rows of %q", p, step)
				}
			}
		})
	}
}
