// SPDX-License-Identifier: Apache-2.0

package sqlite_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/sqlite"
	"github.com/hotline-cchc/hotline/tickets/ticketstest"
)

// A merge recorded in November moves the merged department's open tickets
// to its successor, each with a history entry, leaves its resolved ones,
// and changes nothing in October's figures.
func TestRecordDepartmentMerge(t *testing.T) {
	ctx := context.Background()
	svc, clock := ticketstest.Service(t)
	db := svc.Store.(*sqlite.DB)
	loc := ticketstest.Location(t)
	clock.T = time.Date(2026, time.October, 5, 9, 0, 0, 0, loc)
	var codes []tickets.Code
	for range 3 {
		tk, err := svc.Open(ctx, tickets.NewTicket{Branch: 4, Channel: tickets.ChannelWeb, Text: "Hồ sơ trễ hẹn"})
		if err != nil {
			t.Fatal(err)
		}
		codes = append(codes, tk.Code)
	}
	for _, a := range []tickets.Action{tickets.ActionAssign, tickets.ActionStart, tickets.ActionResolve} {
		if _, err := svc.Move(ctx, codes[0], tickets.Change{Action: a, Department: "van-phong-ubnd-tinh"}); err != nil {
			t.Fatal(err)
		}
	}
	october := tickets.StatsQuery{From: time.Date(2026, 10, 1, 0, 0, 0, 0, loc), To: time.Date(2026, 11, 1, 0, 0, 0, 0, loc), Loc: loc, Overdue: true}
	before, err := db.PeriodStats(ctx, october)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, time.November, 5, 9, 0, 0, 0, loc)
	c := tickets.DepartmentChange{Department: "van-phong-ubnd-tinh", Into: "so-noi-vu", From: tickets.Date{Year: 2026, Month: 11, Day: 5}, At: at, Actor: "cli:root"}
	moved, err := db.RecordDepartmentChange(ctx, c, "Sáp nhập")
	if err != nil || moved != 2 {
		t.Fatalf("RecordDepartmentChange = %d, %v; want 2 moved", moved, err)
	}
	for i, code := range codes {
		tk, _ := db.Ticket(ctx, code)
		want := "so-noi-vu"
		if i == 0 {
			want = "van-phong-ubnd-tinh" // resolved: it keeps its department
		}
		if tk.Department != want {
			t.Errorf("ticket %d in %s, want %s", i, tk.Department, want)
		}
	}
	hs, _ := db.History(ctx, codes[1])
	last := hs[len(hs)-1]
	if last.Action != tickets.ActionMerge || last.FromDepartment != "van-phong-ubnd-tinh" || last.ToDepartment != "so-noi-vu" ||
		last.FromStatus != tickets.StatusNew || last.ToStatus != tickets.StatusNew || last.Actor != "cli:root" || !last.At.Equal(at) {
		t.Errorf("merge history entry = %+v", last)
	}
	after, err := db.PeriodStats(ctx, october)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(before, after) {
		t.Errorf("October's figures changed by a merge in November:\nbefore %+v\nafter  %+v", before, after)
	}
	got, err := db.DepartmentChanges(ctx)
	if err != nil || len(got) != 1 || got[0].Into != "so-noi-vu" || got[0].From != c.From || !got[0].At.Equal(at) {
		t.Errorf("DepartmentChanges = %+v, %v", got, err)
	}
	if moved, err := db.MoveOpenTickets(ctx, "van-phong-ubnd-tinh", "so-noi-vu", at, "config", "x"); err != nil || moved != 0 {
		t.Errorf("MoveOpenTickets again = %d, %v; want nothing left to move", moved, err)
	}
}

// A rename is stored with both names; changes are append-only.
func TestRecordDepartmentRename(t *testing.T) {
	ctx := context.Background()
	db := ticketstest.Open(t)
	c := tickets.DepartmentChange{Department: "so-tu-phap", OldName: "Sở Tư pháp", NewName: "Sở Tư pháp và Pháp chế",
		From: tickets.Date{Year: 2026, Month: 12, Day: 1}, At: time.Date(2026, 11, 5, 2, 0, 0, 0, time.UTC), Actor: "cli:root"}
	if moved, err := db.RecordDepartmentChange(ctx, c, ""); err != nil || moved != 0 {
		t.Fatalf("RecordDepartmentChange = %d, %v", moved, err)
	}
	got, err := db.DepartmentChanges(ctx)
	if err != nil || len(got) != 1 || !reflect.DeepEqual(got[0], c) {
		t.Errorf("DepartmentChanges = %+v, %v; want %+v", got, err, c)
	}
	bad := c
	bad.NewName = ""
	if _, err := db.RecordDepartmentChange(ctx, bad, ""); err == nil {
		t.Error("a change that is neither a rename nor a merge was stored")
	}
}
