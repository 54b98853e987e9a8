// SPDX-License-Identifier: Apache-2.0

package sqlite

import (
	"strings"
	"testing"
)

// Every report aggregate reads index ranges, never a whole table: that is
// what keeps a month's report fast at millions of rows.
func TestStatsQueryPlans(t *testing.T) {
	db := openTest(t)
	const from, to = "2026-09-30T17:00:00.000Z", "2026-10-31T17:00:00.000Z"
	for _, tt := range []struct {
		name    string
		query   string
		args    []any
		indexes []string
	}{
		{"Calls", callCountsSQL, []any{from, to}, []string{"COVERING INDEX calls_started_branch_outcome"}},
		{"CallHours", callHoursSQL, []any{"+25200 seconds", from, to}, []string{"COVERING INDEX calls_started_branch_outcome"}},
		{"Received", receivedSQL, []any{"+25200 seconds", from, to}, []string{"tickets_created_department_channel"}},
		{"Resolved", resolvedSQL, []any{from, to}, []string{"tickets_resolved"}},
		{"Open", openSQL, []any{to, to, to, to}, []string{"COVERING INDEX tickets_open_created", "COVERING INDEX tickets_resolved"}},
		{"Overdue", overdueSQL, []any{from, to, to, to, to, to, to}, []string{"tickets_resolved", "tickets_open_created"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			plan := queryPlan(t, db, tt.query, tt.args...)
			p := strings.Join(plan, "; ")
			for _, ix := range tt.indexes {
				if !strings.Contains(p, ix) {
					t.Errorf("plan %q does not use %s", p, ix)
				}
			}
			for _, full := range []string{"SCAN tickets", "SCAN calls"} {
				if strings.Contains(p, full+";") || strings.HasSuffix(p, full) {
					t.Errorf("plan %q reads a whole table (%s)", p, full)
				}
			}
		})
	}
}
