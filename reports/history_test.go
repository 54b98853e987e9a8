// SPDX-License-Identifier: Apache-2.0

package reports_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/reports"
	"github.com/hotline-cchc/hotline/tickets"
)

// act applies one change to a ticket at the local time at.
func (f *fixture) act(tb testing.TB, tk *tickets.Ticket, at string, a tickets.Action, dept string) {
	tb.Helper()
	f.clock.T = f.at(tb, at)
	c := tickets.Change{Action: a, Department: dept, Actor: "test", Note: "lý do thử"}
	if _, err := f.svc.Move(context.Background(), tk.Code, c); err != nil {
		tb.Fatalf("%s %s: %v", a, tk.Code, err)
	}
}

// comparable is a rendering with the "made at" line's time taken out.
func comparable(tb testing.TB, r *reports.Report, f reports.Format, data []byte) []byte {
	tb.Helper()
	if f == reports.FormatXLSX {
		data = []byte(xlsxText(tb, data))
	}
	made := r.GeneratedAt.In(r.Period.Loc).Format("15:04 ngày 02/01/2006")
	return bytes.ReplaceAll(data, []byte(made), []byte("<made at>"))
}

// A month's report, once the month has ended, never changes: every later
// action on its tickets — a move, a reopening, a resolution, a closing —
// leaves every format's bytes as they were, apart from when it was made.
// The reopening is counted in its own month.
func TestClosedMonthStands(t *testing.T) {
	f := newFixture(t)
	tk := septemberTickets(t, f)
	// In September T6 is reopened and resolved again: its last resolution
	// in the month counts, once.
	f.act(t, tk["T6"], "2026-09-09 08:00:00.000", tickets.ActionReopen, "")
	f.act(t, tk["T6"], "2026-09-10 08:00:00.000", tickets.ActionResolve, "")
	// T9 is resolved late and reopened in September: listed once, as open.
	t9 := f.ticket(t, "2026-09-01 08:00:00.000", 4, tickets.ChannelWeb, "0901000009", "2026-09-11 08:00:00.000")
	f.act(t, t9, "2026-09-12 08:00:00.000", tickets.ActionReopen, "")
	sept := reports.Month(2026, time.September, f.loc)
	before := f.build(t, sept, f.at(t, "2026-10-01 08:00:00.000"))
	want := rendered(t, before)
	var listed []reports.OverdueRow
	for _, o := range before.Overdue {
		if o.Code == t9.Code {
			listed = append(listed, o)
		}
	}
	if len(listed) != 1 || !listed[0].Resolved.IsZero() || listed[0].Status != "Đang xử lý" {
		t.Errorf("T9 in September's overdue list: %+v, want it once, open, in progress", listed)
	}
	// Worked out by hand: T6 counts once, at its last resolution (on
	// time), and its reopening counts too; T9 is resolved late, reopened,
	// and open and overdue at the end.
	wantRows := map[string]reports.DepartmentRow{
		"so-noi-vu":           {Received: 3, Resolved: 2, OnTime: 2, Reopened: 1, Open: 2, OpenOverdue: 2},
		"van-phong-ubnd-tinh": {Received: 3, Resolved: 3, OnTime: 1, Late: 2, Reopened: 1, Open: 2, OpenOverdue: 1},
	}
	for _, d := range before.Departments {
		w, ok := wantRows[d.ID]
		if !ok {
			continue
		}
		got := reports.DepartmentRow{Received: d.Received, Resolved: d.Resolved, OnTime: d.OnTime, Late: d.Late,
			Reopened: d.Reopened, Open: d.Open, OpenOverdue: d.OpenOverdue}
		if got != w {
			t.Errorf("September %s = %+v, want %+v", d.ID, got, w)
		}
	}

	f.act(t, tk["T5"], "2026-10-03 09:00:00.000", tickets.ActionAssign, "so-tu-phap")   // moved, open and overdue at the end
	f.act(t, tk["T3"], "2026-10-03 09:30:00.000", tickets.ActionAssign, "so-tai-chinh") // received in September, moved in October
	f.act(t, tk["T2"], "2026-10-05 10:00:00.000", tickets.ActionReopen, "")             // resolved late in September
	f.act(t, tk["T2"], "2026-10-05 11:00:00.000", tickets.ActionAssign, "so-tai-chinh")
	f.act(t, tk["T1"], "2026-10-06 10:00:00.000", tickets.ActionReopen, "") // resolved on time in September
	f.act(t, tk["T1"], "2026-10-07 10:00:00.000", tickets.ActionResolve, "")
	f.act(t, tk["T1"], "2026-10-08 10:00:00.000", tickets.ActionClose, "")
	f.act(t, tk["T8"], "2026-10-09 10:00:00.000", tickets.ActionClose, "")
	f.act(t, tk["T5"], "2026-10-10 10:00:00.000", tickets.ActionStart, "")
	f.act(t, tk["T5"], "2026-10-11 10:00:00.000", tickets.ActionResolve, "")
	f.act(t, tk["T6"], "2026-11-02 10:00:00.000", tickets.ActionReopen, "")

	after := f.build(t, sept, f.at(t, "2026-12-01 08:00:00.000"))
	for format, data := range rendered(t, after) {
		got, w := comparable(t, after, format, data), comparable(t, before, format, want[format])
		if !bytes.Equal(got, w) {
			t.Errorf("%s: September changed after later actions:\n%s", format, firstDiff(string(got), string(w)))
		}
	}

	// October counts its own reopenings (T2 and T1), each for the
	// department that held the ticket then.
	oct := f.build(t, reports.Month(2026, time.October, f.loc), f.at(t, "2026-12-01 08:00:00.000"))
	reopened := map[string]int{}
	for _, d := range oct.Departments {
		reopened[d.ID] = d.Reopened
	}
	if reopened["van-phong-ubnd-tinh"] != 2 || reopened["so-tai-chinh"] != 0 {
		t.Errorf("October reopenings by department = %v, want 2 for van-phong-ubnd-tinh", reopened)
	}
	if !strings.Contains(oct.Summary, "2 lượt mở lại phiếu đã giải quyết") {
		t.Errorf("October summary %q does not count the 2 reopenings", oct.Summary)
	}
}

// The deadline is the whole deadline day: a resolution in its last second
// is on time, one at the next midnight late.
func TestDeadlineDayLastSecond(t *testing.T) {
	f := newFixture(t)
	// Branch 4, 5 working days from Mon 05/10/2026: due Mon 12/10.
	onTime := f.ticket(t, "2026-10-05 09:00:00.000", 4, tickets.ChannelWeb, "0901000011", "2026-10-12 23:59:59.500")
	late := f.ticket(t, "2026-10-05 09:00:00.000", 4, tickets.ChannelWeb, "0901000012", "2026-10-13 00:00:00.000")
	if got := onTime.Deadline.In(f.loc).Format("02/01/2006"); got != "12/10/2026" {
		t.Fatalf("deadline %s, want 12/10/2026", got)
	}
	r := f.build(t, reports.Month(2026, time.October, f.loc), f.at(t, "2026-11-02 08:00:00.000"))
	for _, d := range r.Departments {
		if d.ID == "van-phong-ubnd-tinh" && (d.Resolved != 2 || d.OnTime != 1 || d.Late != 1) {
			t.Errorf("Văn phòng UBND tỉnh = %+v, want 2 resolved, 1 on time, 1 late", d)
		}
	}
	if len(r.Overdue) != 1 || r.Overdue[0].Code != late.Code {
		t.Errorf("overdue list %+v, want only %s", r.Overdue, late.Code)
	}
}
