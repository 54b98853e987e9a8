// SPDX-License-Identifier: Apache-2.0

package tickets_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/ticketstest"
)

// reorganised is the test menu with Sở Tư pháp renamed from 1/3/2025 and
// Văn phòng UBND tỉnh merged into Sở Nội vụ from 1/7/2025.
func reorganised(tb testing.TB, on tickets.Date) *tickets.Menu {
	tb.Helper()
	m, err := ticketstest.Menu(tb).WithChanges([]tickets.DepartmentChange{
		{Department: "van-phong-ubnd-tinh", Into: "so-noi-vu", From: day(2025, 7, 1)},
		{Department: "so-tu-phap", OldName: "Sở Tư pháp", NewName: "Sở Tư pháp và Pháp chế", From: day(2025, 3, 1)},
	}, on)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

func TestMenuOn(t *testing.T) {
	for _, tt := range []struct {
		name          string
		on            tickets.Date
		justice, vp   string
		branch4, size int // branch 4's department is "so-noi-vu" (1) or not (0); active departments
	}{
		{"OKBefore", day(2025, 2, 28), "Sở Tư pháp", "Văn phòng UBND tỉnh", 0, 3},
		{"OKRenamed", day(2025, 3, 1), "Sở Tư pháp và Pháp chế", "Văn phòng UBND tỉnh", 0, 3},
		{"OKMerged", day(2025, 7, 1), "Sở Tư pháp và Pháp chế", "Văn phòng UBND tỉnh (đã sáp nhập vào Sở Nội vụ)", 1, 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := reorganised(t, tt.on)
			if got := m.NameOn("so-tu-phap", tt.on); got != tt.justice {
				t.Errorf("so-tu-phap = %q, want %q", got, tt.justice)
			}
			if d, _ := m.Department("van-phong-ubnd-tinh"); d.Name != tt.vp {
				t.Errorf("van-phong-ubnd-tinh = %q, want %q", d.Name, tt.vp)
			}
			_, d, err := m.Route(4)
			if err != nil {
				t.Fatal(err)
			}
			if got := d.ID == "so-noi-vu"; got != (tt.branch4 == 1) {
				t.Errorf("branch 4 routes to %s", d.ID)
			}
			if got := len(m.Departments()); got != tt.size {
				t.Errorf("%d departments, want %d", got, tt.size)
			}
		})
	}
	// The same menu read as of another day: a report of an earlier period.
	if got := reorganised(t, day(2026, 1, 1)).On(day(2025, 1, 31)).NameOn("so-tu-phap", day(2025, 1, 31)); got != "Sở Tư pháp" {
		t.Errorf("January 2025 name = %q", got)
	}
}

func TestMenuPrepare(t *testing.T) {
	today := day(2026, 11, 2)
	m := reorganised(t, today)
	for _, tt := range []struct {
		name string
		c    tickets.DepartmentChange
		code string
		msg  string
	}{
		{"ErrMergeIntoItself", tickets.DepartmentChange{Department: "so-tu-phap", Into: "so-tu-phap", From: today}, tickets.EINVALID, "vào chính nó"},
		{"ErrMergeIntoUnknown", tickets.DepartmentChange{Department: "so-tu-phap", Into: "so-xay-dung", From: today}, tickets.ENOTFOUND, "so-xay-dung"},
		{"ErrUnknown", tickets.DepartmentChange{Department: "so-xay-dung", NewName: "Sở Xây dựng mới", From: today}, tickets.ENOTFOUND, "so-xay-dung"},
		{"ErrMergeIntoMerged", tickets.DepartmentChange{Department: "so-tu-phap", Into: "van-phong-ubnd-tinh", From: today}, tickets.ECONFLICT, `"so-noi-vu"`},
		{"ErrMergedAgain", tickets.DepartmentChange{Department: "van-phong-ubnd-tinh", Into: "so-tu-phap", From: today}, tickets.ECONFLICT, "đã được sáp nhập"},
		{"ErrMergeLater", tickets.DepartmentChange{Department: "so-tu-phap", Into: "so-noi-vu", From: day(2026, 11, 3)}, tickets.EINVALID, "tương lai"},
		{"ErrRenameCollides", tickets.DepartmentChange{Department: "so-tu-phap", NewName: "sở nội vụ", From: today}, tickets.ECONFLICT, "trùng"},
		{"ErrRenameSame", tickets.DepartmentChange{Department: "so-tu-phap", NewName: "Sở Tư pháp và Pháp chế", From: today}, tickets.EINVALID, "đã mang tên"},
		{"ErrBeforeALaterChange", tickets.DepartmentChange{Department: "so-tu-phap", NewName: "Sở Tư pháp mới", From: day(2025, 2, 1)}, tickets.ECONFLICT, "theo thứ tự thời gian"},
		{"OKRenameToMergedName", tickets.DepartmentChange{Department: "so-tu-phap", NewName: "Văn phòng UBND tỉnh", From: today}, "", ""},
		{"OKMerge", tickets.DepartmentChange{Department: "so-tu-phap", Into: "so-noi-vu", From: today}, "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, err := m.Prepare(tt.c, today)
			if tickets.ErrorCode(err) != tt.code || !strings.Contains(tickets.ErrorMessage(err), tt.msg) {
				t.Fatalf("Prepare = %v, want %q containing %q", err, tt.code, tt.msg)
			}
			if err == nil && !c.Merge() && c.OldName != "Sở Tư pháp và Pháp chế" {
				t.Errorf("OldName = %q, want the name of the day before", c.OldName)
			}
		})
	}
}

func TestMoveToMergedDepartmentRefused(t *testing.T) {
	svc, _ := ticketstest.Service(t)
	svc.Menu = reorganised(t, day(2026, 11, 2))
	ctx := context.Background()
	tk, err := svc.Open(ctx, tickets.NewTicket{Branch: 4, Channel: tickets.ChannelWeb, Text: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if tk.Department != "so-noi-vu" {
		t.Errorf("a ticket of a merged department's branch went to %s, want its successor", tk.Department)
	}
	_, err = svc.Move(ctx, tk.Code, tickets.Change{Action: tickets.ActionAssign, Department: "van-phong-ubnd-tinh", Note: "x"})
	if tickets.ErrorCode(err) != tickets.ECONFLICT {
		t.Errorf("Move to a merged department = %v, want ECONFLICT", err)
	}
}
