// SPDX-License-Identifier: Apache-2.0

package sqlite

import (
	"database/sql"
	"regexp"
	"strings"
	"testing"
)

// Every report aggregate reads index ranges, never a whole table and never
// a scan per ticket: that is what keeps a month's report fast at millions of
// rows. The history-based ones read the history's indexes.
func TestStatsQueryPlans(t *testing.T) {
	db := openTest(t)
	const from, to = "2026-09-30T17:00:00.000Z", "2026-10-31T17:00:00.000Z"
	period := []any{sql.Named("from", from), sql.Named("end", to), sql.Named("last_second", "2026-10-31T16:59:59")}
	received := append([]any{sql.Named("to", to), sql.Named("mod", "+25200 seconds")}, period[:2]...)
	for _, tt := range []struct {
		name    string
		query   string
		args    []any
		indexes []string
	}{
		{"Calls", callCountsSQL, []any{from, to}, []string{"COVERING INDEX calls_started_branch_outcome"}},
		{"CallHours", callHoursSQL, []any{"+25200 seconds", from, to}, []string{"COVERING INDEX calls_started_branch_outcome"}},
		{"Received", receivedSQL, received, []string{"tickets_created_department_channel", "COVERING INDEX history_moved_at"}},
		{"Resolved", resolvedSQL, period[:2], []string{"COVERING INDEX tickets_resolved", "COVERING INDEX history_reopenings",
			"COVERING INDEX history_ticket_resolutions", "COVERING INDEX history_moved_at", "COVERING INDEX history_moves"}},
		{"Reopened", reopenedSQL, period[:2], []string{"history_reopenings", "COVERING INDEX history_moves"}},
		{"Open", openSQL, period[1:], []string{"COVERING INDEX tickets_open_created", "COVERING INDEX tickets_resolved",
			"COVERING INDEX history_moved_at", "history_reopenings", "history_ticket"}},
		{"Overdue", overdueSQL, period, []string{"COVERING INDEX history_at", "COVERING INDEX history_reopenings",
			"COVERING INDEX tickets_open_created", "COVERING INDEX tickets_resolved", "COVERING INDEX history_moved_at"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			plan := queryPlan(t, db, tt.query, tt.args...)
			p := strings.Join(plan, "; ")
			for _, ix := range tt.indexes {
				if !strings.Contains(p, ix) {
					t.Errorf("plan %q does not use %s", p, ix)
				}
			}
			// A table or an index read whole: "SCAN tickets", "SCAN t",
			// "SCAN history m USING INDEX …"; only a CTE or subquery
			// already narrowed to the period may be scanned.
			for _, step := range plan {
				if m := fullScan.FindStringSubmatch(step); m != nil && !narrowed[m[1]] && !strings.HasPrefix(m[1], "(subquery-") {
					t.Errorf("plan %q reads a whole table or index (%s)", p, step)
				}
			}
		})
	}
}

var fullScan = regexp.MustCompile(`^SCAN (\S+)`)

// narrowed are the CTEs and subqueries of the statements, each built from an
// index range.
var narrowed = map[string]bool{"e": true, "r": true, "ranked": true, "later": true, "since": true, "moved": true, "moves": true, "mv": true, "cand": true, "c": true, "reopened": true, "msince": true, "reop": true, "res": true, "l": true, "a": true, "atend": true}
