// SPDX-License-Identifier: Apache-2.0

package tickets_test

import (
	"strings"
	"testing"

	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/ticketstest"
)

func TestNewMenu(t *testing.T) {
	depts := []tickets.Department{{ID: "so-noi-vu", Name: "Sở Nội vụ"}}
	b := func(key int, dept string) tickets.Branch {
		return tickets.Branch{Key: key, Name: "Nhánh", Department: dept}
	}
	for _, tt := range []struct {
		name     string
		branches []tickets.Branch
		depts    []tickets.Department
		want     string // a fragment of the error; "" for success
	}{
		{"OK", []tickets.Branch{b(1, "so-noi-vu"), b(9, "so-noi-vu")}, depts, ""},
		{"ErrDuplicateKey", []tickets.Branch{b(4, "so-noi-vu"), b(4, "so-noi-vu")}, depts, "defined twice"},
		{"ErrKeyZero", []tickets.Branch{b(0, "so-noi-vu")}, depts, "digit from 1 to 9"},
		{"ErrKeyTen", []tickets.Branch{b(10, "so-noi-vu")}, depts, "digit from 1 to 9"},
		{"ErrNoDepartment", []tickets.Branch{b(1, "")}, depts, "no department"},
		{"ErrUnknownDepartment", []tickets.Branch{b(1, "so-noi-vuu")}, depts, `unknown department "so-noi-vuu"`},
		{"ErrNoName", []tickets.Branch{{Key: 1, Department: "so-noi-vu"}}, depts, "no name"},
		{"ErrDuplicateDepartment", []tickets.Branch{b(1, "so-noi-vu")}, append(depts, depts...), "defined twice"},
		{"ErrEmpty", nil, depts, "no branches"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tickets.NewMenu(tt.branches, tt.depts)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("NewMenu: %v", err)
				}
				return
			}
			if err == nil || tickets.ErrorCode(err) != tickets.EINVALID || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("NewMenu error = %v, want EINVALID containing %q", err, tt.want)
			}
		})
	}
}

func TestMenuRoute(t *testing.T) {
	m := ticketstest.Menu(t)
	for _, tt := range []struct {
		key      int
		dept     string
		deadline int
	}{
		{1, "Sở Nội vụ", 10},
		{4, "Văn phòng UBND tỉnh", 5},
		{9, "Sở Nội vụ", 10},
	} {
		b, d, err := m.Route(tt.key)
		if err != nil || d.Name != tt.dept || b.DeadlineDays != tt.deadline {
			t.Errorf("Route(%d) = %v, %v, %v; want %s, %d days", tt.key, b, d, err, tt.dept, tt.deadline)
		}
	}
	if _, _, err := m.Route(7); tickets.ErrorCode(err) != tickets.ENOTFOUND {
		t.Errorf("Route(7) error = %v, want ENOTFOUND", err)
	}
	if bs := m.Branches(); bs[0].Key != 1 || bs[len(bs)-1].Key != 9 {
		t.Errorf("Branches() not in key order: %v", bs)
	}
}
