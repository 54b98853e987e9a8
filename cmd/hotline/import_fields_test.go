// SPDX-License-Identifier: Apache-2.0

package main

import (
	"strings"
	"testing"
	"time"
)

// Dates are dd/mm/yyyy, yyyy-mm-dd or Excel serials; anything else is
// refused, never guessed.
func TestParseDate(t *testing.T) {
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ in, want string }{
		{"05/01/2026", "05/01/2026 00:00"},
		{"5/1/2026 9:30", "05/01/2026 09:30"},
		{"05-01-2026", "05/01/2026 00:00"},
		{"05.01.2026", "05/01/2026 00:00"},
		{"2026-01-05 14:20", "05/01/2026 14:20"},
		{"46027", "05/01/2026 00:00"},
		{"46027.75", "05/01/2026 18:00"},
		{"10/15/2026", "error: not a date"},
		{"31/02/2026", "error: not a date"},
		{"01/01/1985", "error: not a date"},
		{"45", "error: no Excel date"},
		{"ngày 5", "error: not a date"},
	} {
		got, err := parseDate("ngày tiếp nhận", tc.in, loc, false)
		s := got.Format("02/01/2006 15:04")
		if err != nil {
			s = "error: " + err.Error()
		}
		if !strings.HasPrefix(s, tc.want) && !(strings.HasPrefix(tc.want, "error: ") && strings.Contains(s, strings.TrimPrefix(tc.want, "error: "))) {
			t.Errorf("parseDate(%q) = %s, want %s", tc.in, s, tc.want)
		}
		if err == nil && got.Location() != loc {
			t.Errorf("parseDate(%q) is in %s", tc.in, got.Location())
		}
	}
}

// A workbook in the 1904 date system counts 1462 days fewer.
func TestParseDate1904(t *testing.T) {
	got, err := parseDate("ngày", "44565", time.UTC, true)
	if err != nil || got.Format("02/01/2006") != "05/01/2026" {
		t.Errorf("parseDate 1904 = %v, %v", got, err)
	}
}

// Branches by number or name, departments by id or name, statuses and
// channels by the words registers use; phones lose no leading zero.
func TestRegisterNames(t *testing.T) {
	names := newMenuNames(mustDefaultMenu(t))
	for in, want := range map[string]int{"4": 4, "4.0": 4, "4 - Cải cách thủ tục hành chính": 4, "Nhánh 9": 9,
		"  CẢI CÁCH THỦ TỤC   HÀNH CHÍNH ": 4, "Cải cách thể chế": 2} {
		if got, err := names.branch(in); err != nil || got != want {
			t.Errorf("branch(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"12", "0", "Đất đai", ""} {
		if _, err := names.branch(in); err == nil {
			t.Errorf("branch(%q) succeeded", in)
		}
	}
	if got, err := names.department("sở nội vụ"); err != nil || got != "so-noi-vu" {
		t.Errorf("department = %q, %v", got, err)
	}
	for in, want := range map[string]string{"Đã giải quyết": "resolved", "đang xử lý": "in_progress", "Hoàn thành": "resolved",
		"closed": "closed", "": ""} {
		if got, err := parseStatus(in); err != nil || string(got) != want {
			t.Errorf("parseStatus(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if c, err := parseChannel("Điện thoại", "operator"); err != nil || c != "phone" {
		t.Errorf("parseChannel = %q, %v", c, err)
	}
	if got := parsePhone("912345678"); got != "0912345678" {
		t.Errorf("parsePhone = %q", got)
	}
}

// A header merged over two columns maps its field to the first; two
// different headers of one field are refused.
func TestMapHeader(t *testing.T) {
	l, score, err := mapHeader([]string{"STT", "Ngày tiếp nhận", "Nội dung", "Nội dung", "Nhánh"})
	if err != nil || score != 3 || l.cols[fieldText] != 2 || l.cols[fieldBranch] != 4 || strings.Join(l.ignored, ",") != "STT" {
		t.Errorf("merged header: %+v, %d, %v", l, score, err)
	}
	if _, _, err := mapHeader([]string{"Nội dung", "Nhánh", "Nội dung"}); err == nil {
		t.Error("a field named by two separate columns was accepted")
	}
}
