// SPDX-License-Identifier: Apache-2.0

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/cmd/hotline/internal/config"
	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/sqlite"
)

// runBinary runs the built hotline with env and returns its exit status,
// standard output and standard error.
func runBinary(t *testing.T, bin string, env []string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	var out, errs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errs
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("hotline %v: %v", args, err)
	}
	return cmd.ProcessState.ExitCode(), out.String(), errs.String()
}

// A complaint gets the law's 30 days and one extension to 45; an extension
// past the limit is refused with the law named.
func TestComplaintDeadlineEndToEnd(t *testing.T) {
	bin, env := binary(t)
	env = append(env, "HOTLINE_BRANCH_2_CASE_TYPE=khieu-nai", "USER=lan")
	cal := envCalendar(t, env)
	code, out, errs := runBinary(t, bin, env, "tickets", "new", "--branch", "2", "--channel", "telegram", "--phone", "4242", "--text", "Khiếu nại quyết định xử phạt", "--json")
	if code != 0 {
		t.Fatalf("tickets new: exit %d: %s", code, errs)
	}
	var j ticketJSON
	if err := json.Unmarshal([]byte(out), &j); err != nil {
		t.Fatal(err)
	}
	if want := cal.CalendarDeadline(j.CreatedAt, 30); j.CaseType != "khieu-nai" || !j.Deadline.Equal(want) {
		t.Errorf("complaint: case type %q due %v, want khieu-nai due %v (30 days)", j.CaseType, j.Deadline, want)
	}
	if days := j.Deadline.Sub(j.CreatedAt).Hours() / 24; days < 30 {
		t.Errorf("complaint due after %.1f days, want at least 30", days)
	}
	limit := cal.CalendarDeadline(j.CreatedAt, 45)
	past := limit.AddDate(0, 0, 1).Format(time.DateOnly)
	code, _, errs = runBinary(t, bin, env, "tickets", "extend", j.Code, "--until", past, "--reason", "Vụ việc phức tạp")
	if code != 1 || !strings.Contains(errs, "Không thể gia hạn đến") || !strings.Contains(errs, "Luật Khiếu nại 2011, Điều 28") {
		t.Errorf("extension past 45 days: exit %d: %s", code, errs)
	}
	code, out, errs = runBinary(t, bin, env, "tickets", "extend", j.Code, "--until", limit.Format(time.DateOnly), "--reason", "Vụ việc phức tạp")
	if code != 0 || !strings.Contains(out, "đã gia hạn 1 lần") || !strings.Contains(out, "Thông báo gia hạn đã được xếp hàng") {
		t.Errorf("extension to 45 days: exit %d: %s%s", code, out, errs)
	}
	code, out, _ = runBinary(t, bin, env, "outbox", "list")
	if code != 0 || !strings.Contains(out, "extended") {
		t.Errorf("the citizen's extension notice is not in the outbox:\n%s", out)
	}
	code, out, errs = runBinary(t, bin, env, "tickets", "case-type", j.Code, "--type", "to-cao", "--reason", "Nội dung là tố cáo cán bộ", "--json")
	if code != 0 || !strings.Contains(out, `"case_type": "to-cao"`) || !strings.Contains(out, `"extensions": 0`) {
		t.Errorf("case-type: exit %d: %s%s", code, out, errs)
	}
}

// envCalendar is the calendar of the configuration env gives.
func envCalendar(t *testing.T, env []string) *tickets.Calendar {
	t.Helper()
	cfg, err := config.Load("", envGetter(env))
	if err != nil {
		t.Fatal(err)
	}
	cal, err := cfg.Calendar()
	if err != nil {
		t.Fatal(err)
	}
	return cal
}

func envGetter(env []string) func(string) string {
	return func(name string) string {
		for _, kv := range env {
			if k, v, ok := strings.Cut(kv, "="); ok && k == name {
				return v
			}
		}
		return ""
	}
}

// madeAt is the report's "made at" line's time.
var madeAt = regexp.MustCompile(`Lập lúc \d\d:\d\d ngày \d\d/\d\d/\d{4}`)

// A rename and a merge today leave last month's report as it was, apart
// from when it was made; the merge moves the open tickets with history.
func TestDepartmentChangesEndToEnd(t *testing.T) {
	bin, env := binary(t)
	env = append(env, "USER=lan")
	cal := envCalendar(t, env)
	now := time.Now().In(cal.Location())
	last := time.Date(now.Year(), now.Month()-1, 10, 9, 0, 0, 0, cal.Location())
	open := lastMonthTickets(t, env, last)
	month := last.Format("2006-01")
	report := func() string {
		t.Helper()
		code, out, errs := runBinary(t, bin, env, "report", "--month", month, "--format", "csv")
		if code != 0 {
			t.Fatalf("report: exit %d: %s", code, errs)
		}
		return madeAt.ReplaceAllString(out, "<made at>")
	}
	before := report()
	for _, want := range []string{"Sở Tư pháp", "Sở Khoa học và Công nghệ"} {
		if !strings.Contains(before, want) {
			t.Errorf("last month's report lacks %q", want)
		}
	}
	today := now.Format(time.DateOnly)
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"merge", "so-noi-vu", "--into", "so-noi-vu"}, 1, "vào chính nó"},
		{[]string{"merge", "so-noi-vu", "--into", "so-xay-dung"}, 1, `Không có cơ quan "so-xay-dung"`},
		{[]string{"rename", "so-tai-chinh", "--name", "Sở Nội vụ", "--from", today}, 1, "trùng với tên cơ quan"},
		{[]string{"rename", "so-tu-phap", "--name", "Sở Tư pháp và Pháp chế", "--from", today}, 0, "đổi tên thành Sở Tư pháp và Pháp chế"},
		{[]string{"merge", "so-khoa-hoc-cong-nghe", "--into", "so-noi-vu"}, 0, "1 phiếu đang mở đã được chuyển"},
		{[]string{"merge", "so-khoa-hoc-cong-nghe", "--into", "so-tai-chinh"}, 1, "đã được sáp nhập"},
	} {
		code, out, errs := runBinary(t, bin, env, append([]string{"departments"}, tt.args...)...)
		if code != tt.code || !strings.Contains(out+errs, tt.want) {
			t.Errorf("departments %v: exit %d, want %d with %q:\n%s%s", tt.args, code, tt.code, tt.want, out, errs)
		}
	}
	if after := report(); after != before {
		t.Errorf("last month's report changed after a rename and a merge today:\n%s", firstLineDiff(after, before))
	}
	code, out, _ := runBinary(t, bin, env, "tickets", "show", string(open), "--json")
	var j ticketJSON
	if err := json.Unmarshal([]byte(out), &j); code != 0 || err != nil {
		t.Fatalf("tickets show: exit %d, %v", code, err)
	}
	h := j.History[len(j.History)-1]
	if j.Department != "so-noi-vu" || h.Action != "merge" || h.FromDepartment != "so-khoa-hoc-cong-nghe" || h.Actor != "cli:lan" {
		t.Errorf("merged ticket in %s, last history %+v", j.Department, h)
	}
	code, out, _ = runBinary(t, bin, env, "report", "--from", now.Format("2006-01-02"), "--to", today)
	if code != 0 || !strings.Contains(out, "Sở Tư pháp và Pháp chế") {
		t.Errorf("today's report lacks the new name:\n%s", out)
	}
	code, out, _ = runBinary(t, bin, env, "departments", "list")
	if code != 0 || !strings.Contains(out, "so-khoa-hoc-cong-nghe") || !strings.Contains(out, "đã sáp nhập vào Sở Nội vụ") {
		t.Errorf("departments list:\n%s", out)
	}
}

// lastMonthTickets stores, as of at, a complaint to Sở Tư pháp and two
// tickets of Sở Khoa học và Công nghệ, one resolved; it returns the open
// one's code.
func lastMonthTickets(t *testing.T, env []string, at time.Time) tickets.Code {
	t.Helper()
	ctx := context.Background()
	cfg, err := config.Load("", envGetter(env))
	if err != nil {
		t.Fatal(err)
	}
	menu, _ := cfg.Menu()
	cal, _ := cfg.Calendar()
	db, err := sqlite.Open(ctx, filepath.Join(dataDir(env), dbFile))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	svc := &tickets.Service{Store: db, Menu: menu, Calendar: cal, Now: func() time.Time { return at }}
	var codes []tickets.Code
	for _, b := range []int{2, 7, 7} {
		tk, err := svc.Open(ctx, tickets.NewTicket{Branch: b, Channel: tickets.ChannelWeb, Text: "Phản ánh tháng trước", Actor: "test"})
		if err != nil {
			t.Fatal(err)
		}
		codes = append(codes, tk.Code)
	}
	for _, a := range []tickets.Action{tickets.ActionAssign, tickets.ActionStart, tickets.ActionResolve} {
		if _, err := svc.Move(ctx, codes[2], tickets.Change{Action: a, Department: "so-khoa-hoc-cong-nghe", Actor: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	return codes[1]
}

// firstLineDiff shows the first line where got and want differ.
func firstLineDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return "got:  " + g[i] + "\nwant: " + w[i]
		}
	}
	return "lengths differ"
}

// A merge in the config file moves the merged department's open tickets at
// the next start, with history, and routes its branch to the successor.
func TestConfigMergeEndToEnd(t *testing.T) {
	bin, env := binary(t)
	code, out, errs := runBinary(t, bin, env, "tickets", "new", "--branch", "6", "--text", "Chậm thanh toán", "--json")
	var j ticketJSON
	if err := json.Unmarshal([]byte(out), &j); code != 0 || err != nil || j.Department != "so-tai-chinh" {
		t.Fatalf("tickets new: exit %d, %v: %s%s", code, err, out, errs)
	}
	path := filepath.Join(t.TempDir(), "hotline.toml")
	text := "[[department_changes]]\ndepartment = \"so-tai-chinh\"\ninto = \"so-noi-vu\"\nfrom = \"2025-01-01\"\n"
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	env = append(env, "HOTLINE_CONFIG="+path)
	code, out, _ = runBinary(t, bin, env, "tickets", "show", j.Code, "--json")
	if err := json.Unmarshal([]byte(out), &j); code != 0 || err != nil {
		t.Fatalf("tickets show: exit %d, %v", code, err)
	}
	h := j.History[len(j.History)-1]
	if j.Department != "so-noi-vu" || h.Action != "merge" || h.Actor != "config" || !strings.Contains(h.Note, "Sáp nhập Sở Tài chính vào Sở Nội vụ từ ngày 01/01/2025") {
		t.Errorf("ticket in %s, last history %+v", j.Department, h)
	}
	code, out, _ = runBinary(t, bin, env, "tickets", "new", "--branch", "6", "--text", "x", "--json")
	if err := json.Unmarshal([]byte(out), &j); code != 0 || err != nil || j.Department != "so-noi-vu" {
		t.Errorf("a new ticket of the merged department's branch went to %s", j.Department)
	}
	code, out, _ = runBinary(t, bin, env, "departments", "list", "--on", "2024-12-31", "--json")
	var ds []departmentJSON
	if err := json.Unmarshal([]byte(out), &ds); code != 0 || err != nil {
		t.Fatalf("departments list: exit %d, %v", code, err)
	}
	for _, d := range ds {
		if d.ID == "so-tai-chinh" && (d.Name != "Sở Tài chính" || d.MergedInto != "") {
			t.Errorf("on 31/12/2024 so-tai-chinh = %+v, want it not yet merged", d)
		}
	}
}
