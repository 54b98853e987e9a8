// SPDX-License-Identifier: Apache-2.0

package reports_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/reports"
	"github.com/hotline-cchc/hotline/tickets"
)

// Renames and merges after a month leave its report's bytes as they were;
// the next month's report shows the new names and counts the merged
// department's open tickets for its successor.
func TestClosedMonthStandsAfterRenameAndMerge(t *testing.T) {
	f := newFixture(t)
	septemberTickets(t, f)
	sept := reports.Month(2026, time.September, f.loc)
	before := f.build(t, sept, f.at(t, "2026-10-01 08:00:00.000"))
	want := rendered(t, before)

	changes := []tickets.DepartmentChange{
		{Department: "van-phong-ubnd-tinh", OldName: "Văn phòng UBND tỉnh", NewName: "Văn phòng Ủy ban nhân dân tỉnh", From: tickets.Date{Year: 2026, Month: 10, Day: 15}},
		{Department: "so-noi-vu", Into: "so-tai-chinh", From: tickets.Date{Year: 2026, Month: 10, Day: 20}},
	}
	changes[1].At = f.at(t, "2026-10-20 08:00:00.000")
	moved, err := f.db.RecordDepartmentChange(context.Background(), changes[1], "Sáp nhập")
	if err != nil || moved == 0 {
		t.Fatalf("merge moved %d tickets: %v", moved, err)
	}
	m, err := f.svc.Menu.WithChanges(changes, tickets.Date{Year: 2026, Month: 12, Day: 1})
	if err != nil {
		t.Fatal(err)
	}
	f.svc.Menu = m

	after := f.build(t, sept, f.at(t, "2026-12-01 08:00:00.000"))
	for format, data := range rendered(t, after) {
		got, w := comparable(t, after, format, data), comparable(t, before, format, want[format])
		if !bytes.Equal(got, w) {
			t.Errorf("%s: September changed after a rename and a merge in October:\n%s", format, firstDiff(string(got), string(w)))
		}
	}

	oct := f.build(t, reports.Month(2026, time.October, f.loc), f.at(t, "2026-12-01 08:00:00.000"))
	rows := map[string]reports.DepartmentRow{}
	for _, d := range oct.Departments {
		rows[d.ID] = d
	}
	if got := rows["van-phong-ubnd-tinh"].Name; got != "Văn phòng Ủy ban nhân dân tỉnh" {
		t.Errorf("October names van-phong-ubnd-tinh %q, want the new name", got)
	}
	if d, ok := rows["so-noi-vu"]; ok && d.Open != 0 {
		t.Errorf("October counts %d open tickets for the merged Sở Nội vụ, want them with its successor", d.Open)
	}
	if rows["so-tai-chinh"].Open != moved {
		t.Errorf("Sở Tài chính has %d open at October's end, want the %d moved to it", rows["so-tai-chinh"].Open, moved)
	}
}
