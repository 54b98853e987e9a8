// SPDX-License-Identifier: Apache-2.0

package main

import (
	"strings"
	"testing"
)

// Feedback shows the day by which it must be forwarded to the competent
// body (5 working days, Decree 20/2008 as amended); a complaint shows none.
func TestTicketShowsForwardDeadline(t *testing.T) {
	run := cli(t)
	feedback := newTicket(t, run, "--branch", "4", "--text", "Hồ sơ trễ hẹn")
	a, err := (&Main{Getenv: func(string) string { return "" }}).loadConfig("")
	if err != nil {
		t.Fatal(err)
	}
	cal, err := a.Calendar()
	if err != nil {
		t.Fatal(err)
	}
	want := cal.Deadline(feedback.CreatedAt, 5)
	if feedback.CaseType != "phan-anh" || feedback.ForwardBy == nil || !feedback.ForwardBy.Equal(want) {
		t.Errorf("feedback: case type %q, forward by %v, want %v", feedback.CaseType, feedback.ForwardBy, want)
	}
	code, out, _ := run("", "tickets", "show", feedback.Code)
	if code != 0 || !strings.Contains(out, "Hạn chuyển cơ quan có thẩm quyền:  "+cal.FormatDate(want)) || !strings.Contains(out, "Phản ánh, kiến nghị") {
		t.Errorf("tickets show:\n%s", out)
	}
	code, out, errs := run("", "tickets", "case-type", feedback.Code, "--type", "khieu-nai", "--reason", "Là khiếu nại", "--json")
	if code != 0 || strings.Contains(out, "forward_by") || !strings.Contains(out, `"case_type_name": "Khiếu nại"`) {
		t.Errorf("case-type: exit %d: %s%s", code, out, errs)
	}
	if code, _, errs := run("", "tickets", "case-type", feedback.Code, "--type", "kien-nghi"); code != 2 || !strings.Contains(errs, "phan-anh (Phản ánh, kiến nghị)") {
		t.Errorf("case-type without a reason: exit %d: %s", code, errs)
	}
	if code, _, errs := run("", "tickets", "extend", feedback.Code, "--until", "31/12/2026", "--reason", "x"); code != 2 || !strings.Contains(errs, "--until") {
		t.Errorf("extend with a dd/mm/yyyy date: exit %d: %s", code, errs)
	}
}
