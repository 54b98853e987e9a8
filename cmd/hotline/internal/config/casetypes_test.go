// SPDX-License-Identifier: Apache-2.0

package config_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/hotline-cchc/hotline/cmd/hotline/internal/config"
	"github.com/hotline-cchc/hotline/tickets"
)

func TestDefaultCaseTypes(t *testing.T) {
	c := mustLoad(t, "", nil)
	m, err := c.Menu()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		id         string
		limit      int
		calendar   bool
		extensions []int
		source     string
	}{
		{"phan-anh", 0, false, nil, "Nghị định 92/2017/NĐ-CP"},
		{"khieu-nai", 30, true, []int{15}, "Luật Khiếu nại 2011, Điều 28"},
		{"to-cao", 30, true, []int{30, 30}, "Luật Tố cáo 2018, Điều 30"},
	} {
		ct, err := m.CaseType(tt.id)
		if err != nil || ct.LimitDays != tt.limit || ct.CalendarDays != tt.calendar || !slices.Equal(ct.Extensions, tt.extensions) || !strings.Contains(ct.Source, tt.source) {
			t.Errorf("case type %s = %+v, %v", tt.id, ct, err)
		}
	}
	if b, _ := m.Branch(4); b.CaseType != "phan-anh" || b.DeadlineDays != 10 {
		t.Errorf("branch 4 = %+v, want feedback in 10 working days", b)
	}
}

func TestCaseTypeVariables(t *testing.T) {
	c := mustLoad(t, "", map[string]string{
		"HOTLINE_CASE_TYPE_KHIEU_NAI_LIMIT_DAYS": "20",
		"HOTLINE_CASE_TYPE_TO_CAO_EXTENSIONS":    "30",
		"HOTLINE_CASE_TYPE_PHAN_ANH_DAYS":        "calendar",
		"HOTLINE_BRANCH_9_CASE_TYPE":             "to-cao",
	})
	m, err := c.Menu()
	if err != nil {
		t.Fatal(err)
	}
	kn, _ := m.CaseType("khieu-nai")
	tc, _ := m.CaseType("to-cao")
	pa, _ := m.CaseType("phan-anh")
	b, _ := m.Branch(9)
	if kn.LimitDays != 20 || !slices.Equal(tc.Extensions, []int{30}) || !pa.CalendarDays || b.CaseType != "to-cao" {
		t.Errorf("khieu-nai %+v, to-cao %+v, phan-anh %+v, branch 9 %+v", kn, tc, pa, b)
	}
	if ps := config.UnknownVariables(c, []string{"HOTLINE_CASE_TYPE_KHIEU_NAI_LIMIT_DAYS=20", "HOTLINE_CASE_TYPE_KHIEU_NAI_LIMIT=20"}); len(ps) != 1 || ps[0].Key != "HOTLINE_CASE_TYPE_KHIEU_NAI_LIMIT" {
		t.Errorf("unknown variables = %v", ps)
	}
}

// The config form of department changes, printed and read back.
func TestDepartmentChangesConfig(t *testing.T) {
	text := `[[department_changes]]
department = "so-tu-phap"
old_name = "Sở Tư pháp cũ"
from = 2025-03-01

[[department_changes]]
department = "so-khoa-hoc-cong-nghe"
into = "so-noi-vu"
from = "2025-07-01"
`
	c := mustLoad(t, writeConfig(t, text), nil)
	want := []tickets.DepartmentChange{
		{Department: "so-tu-phap", OldName: "Sở Tư pháp cũ", From: tickets.Date{Year: 2025, Month: 3, Day: 1}},
		{Department: "so-khoa-hoc-cong-nghe", Into: "so-noi-vu", From: tickets.Date{Year: 2025, Month: 7, Day: 1}},
	}
	if !slices.Equal(c.DepartmentChanges, want) {
		t.Errorf("DepartmentChanges = %+v", c.DepartmentChanges)
	}
	var b bytes.Buffer
	if err := config.Print(&b, c); err != nil {
		t.Fatal(err)
	}
	again := mustLoad(t, writeConfig(t, b.String()), nil)
	if !slices.Equal(again.DepartmentChanges, want) || len(again.CaseTypes) != 3 {
		t.Errorf("printed and read back: %+v, %d case types\n%s", again.DepartmentChanges, len(again.CaseTypes), b.String())
	}
}

func TestCaseTypeAndChangeProblems(t *testing.T) {
	change := func(body string) string { return "[[department_changes]]\n" + body }
	for _, tt := range []struct {
		name, text string
		want       []string
	}{
		{"ErrBranchCaseType", "", []string{`HOTLINE_BRANCH_2_CASE_TYPE: unknown case type "khieu-nai-2"`}},
		{"ErrDays", "[[case_types]]\nid = \"x\"\nname = \"X\"\ndays = \"weekly\"\n", []string{`4: case_types[0].days: "weekly" is neither "working" nor "calendar"`}},
		{"ErrExtension", "[[case_types]]\nid = \"x\"\nname = \"X\"\nextensions = [15, 0]\n", []string{"4: case_types[0].extensions[1]: 0 is not a number of days from 1 to 365"}},
		{"ErrMergeIntoItself", change("department = \"so-noi-vu\"\ninto = \"so-noi-vu\"\nfrom = \"2025-07-01\"\n"), []string{"1: department_changes[0]: Không thể sáp nhập cơ quan «Sở Nội vụ» vào chính nó."}},
		{"ErrMergeIntoUnknown", change("department = \"so-noi-vu\"\ninto = \"so-xay-dung\"\nfrom = \"2025-07-01\"\n"), []string{`1: department_changes[0]: Không có cơ quan "so-xay-dung" để sáp nhập vào (xem hotline departments list).`}},
		{"ErrRenameCollides", change("department = \"so-tai-chinh\"\nold_name = \"Sở Tư pháp\"\nfrom = \"2025-07-01\"\n"),
			[]string{`1: department_changes[0]: Tên cũ «Sở Tư pháp» trùng với tên cơ quan "so-tu-phap" vào ngày 30/06/2025.`}},
		{"ErrNoDate", change("department = \"so-noi-vu\"\ninto = \"so-tai-chinh\"\n"), []string{`1: department_changes[0].from: the change needs the date it takes effect (from = "2025-07-01")`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			vars := map[string]string{}
			if tt.name == "ErrBranchCaseType" {
				vars["HOTLINE_BRANCH_2_CASE_TYPE"] = "khieu-nai-2"
			}
			got := problems(t, tt.text, vars)
			if len(got) != len(tt.want) {
				t.Fatalf("problems = %q, want %q", got, tt.want)
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tt.want[i]) {
					t.Errorf("problem %q, want %q", got[i], tt.want[i])
				}
			}
		})
	}
}
