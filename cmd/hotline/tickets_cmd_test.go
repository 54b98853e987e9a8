// SPDX-License-Identifier: Apache-2.0

package main

import (
	"encoding/json"
	"os/user"
	"strings"
	"testing"

	"github.com/hotline-cchc/hotline/cmd/hotline/internal/secrets/secretstest"
)

// cli returns a Main whose data folder is a fresh temporary one, and a
// function that runs "hotline ARGS…" on it with the given standard input.
func cli(tb testing.TB) func(stdin string, args ...string) (int, string, string) {
	tb.Helper()
	env := map[string]string{"HOTLINE_DATA": tb.TempDir(), "USER": "tester"}
	run := func(stdin string, args ...string) (int, string, string) {
		tb.Helper()
		return secretsRun(tb, &Main{Getenv: mapEnv(env), Keyring: secretstest.NewKeyring(nil)}, stdin, args...)
	}
	migrated(tb, run)
	return run
}

// newTicket creates a ticket and returns its JSON.
func newTicket(tb testing.TB, run func(string, ...string) (int, string, string), args ...string) ticketJSON {
	tb.Helper()
	code, out, errs := run("", append([]string{"tickets", "new", "--json"}, args...)...)
	if code != 0 {
		tb.Fatalf("tickets new %v: exit %d: %s", args, code, errs)
	}
	var j ticketJSON
	if err := json.Unmarshal([]byte(out), &j); err != nil {
		tb.Fatalf("tickets new: %v in %q", err, out)
	}
	return j
}

func TestTicketsNew(t *testing.T) {
	run := cli(t)
	j := newTicket(t, run, "--branch", "4", "--channel", "phone", "--text", "Hồ sơ trễ hẹn", "--phone", "0939015599")
	if j.Branch != 4 || j.Department != "van-phong-ubnd-tinh" || j.Channel != "phone" || j.Status != "new" || j.Deadline.IsZero() || len(j.Code) != 9 {
		t.Errorf("new ticket = %+v", j)
	}
	code, out, _ := run("", "tickets", "show", j.Code)
	for _, want := range []string{"Văn phòng UBND tỉnh", "Mới tiếp nhận", "0939015599", "Lịch sử", "cli:tester"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("tickets show: exit %d, output lacks %q:\n%s", code, want, out)
		}
	}
	t.Run("OKTextFromStdin", func(t *testing.T) {
		code, out, errs := run("Nội dung dài\nnhiều dòng\n", "tickets", "new", "--branch", "1", "--text", "-", "--json")
		if code != 0 || !strings.Contains(out, `"text": "Nội dung dài\nnhiều dòng"`) {
			t.Errorf("exit %d: %s %s", code, out, errs)
		}
	})
	t.Run("OKAnonymous", func(t *testing.T) {
		j := newTicket(t, run, "--branch", "9", "--text", "Cán bộ gây khó dễ", "--anonymous")
		if !j.Anonymous || j.Contact != "" || j.Department != "so-noi-vu" {
			t.Errorf("anonymous ticket = %+v", j)
		}
	})
}

func TestTicketsErrors(t *testing.T) {
	run := cli(t)
	j := newTicket(t, run, "--branch", "1", "--text", "x")
	bad := []byte(j.Code)
	bad[8] = '0' + (bad[8]-'0'+1)%10
	for _, tt := range []struct {
		name string
		args []string
		exit int
		want string
	}{
		{"ErrNoSubcommand", []string{"tickets"}, 2, "needs a subcommand"},
		{"ErrUnknownSubcommand", []string{"tickets", "burn"}, 2, "unknown tickets subcommand"},
		{"ErrMissingBranch", []string{"tickets", "new", "--text", "x"}, 2, "--branch and --text"},
		{"ErrUnknownFlag", []string{"tickets", "new", "--colour", "red"}, 2, "flag provided but not defined"},
		{"ErrAnonymousWithPhone", []string{"tickets", "new", "--branch", "9", "--text", "x", "--anonymous", "--phone", "1"}, 2, "leave out --phone"},
		{"ErrUnknownBranch", []string{"tickets", "new", "--branch", "12", "--text", "x"}, 1, "no branch 12"},
		{"ErrUnknownChannel", []string{"tickets", "new", "--branch", "4", "--channel", "fax", "--text", "x"}, 1, "unknown channel"},
		{"ErrMistypedCode", []string{"tickets", "show", string(bad)}, 2, "mistyped"},
		{"ErrShortCode", []string{"tickets", "show", "123"}, 2, "9 digits"},
		{"ErrNoCode", []string{"tickets", "start"}, 2, "needs one ticket code"},
		{"ErrUnknownTicket", []string{"tickets", "show", "572306141"}, 1, "no ticket"},
		{"ErrIllegalTransition", []string{"tickets", "close", j.Code}, 1, "cannot close a ticket that is new"},
		{"ErrAssignWithoutDepartment", []string{"tickets", "assign", j.Code}, 2, "needs --department"},
		{"ErrReassignWithoutReason", []string{"tickets", "assign", j.Code, "--department", "so-tu-phap"}, 1, "needs a reason"},
		{"ErrUnknownDepartment", []string{"tickets", "list", "--department", "so-xyz"}, 2, "unknown department"},
		{"ErrUnknownStatus", []string{"tickets", "list", "--status", "done"}, 2, "or open for the first three"},
		{"ErrReopenWithoutNote", []string{"tickets", "reopen", j.Code}, 2, "needs --note"},
		{"ErrUnknownCommand", []string{"tickts"}, 2, "unknown command"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := run("", tt.args...)
			if code != tt.exit || !strings.Contains(errs, tt.want) {
				t.Errorf("hotline %v: exit %d, stderr %q; want exit %d and %q", tt.args, code, errs, tt.exit, tt.want)
			}
		})
	}
}

func TestTicketsLifecycle(t *testing.T) {
	run := cli(t)
	j := newTicket(t, run, "--branch", "4", "--text", "Thủ tục rườm rà", "--phone", "0912345678")
	for _, step := range []struct {
		args   []string
		status string
		dept   string
	}{
		{[]string{"assign", j.Code, "--department", "van-phong-ubnd-tinh"}, "assigned", "van-phong-ubnd-tinh"},
		{[]string{"assign", j.Code, "--department", "so-tu-phap", "--reason", "Thuộc lĩnh vực tư pháp"}, "assigned", "so-tu-phap"},
		{[]string{"assign", j.Code, "--department", "so-tu-phap"}, "", ""}, // already there: refused
		{[]string{"start", j.Code}, "in_progress", "so-tu-phap"},
		{[]string{"resolve", j.Code, "--note", "Đã hướng dẫn công dân"}, "resolved", "so-tu-phap"},
		{[]string{"reopen", j.Code, "--note", "Công dân phản hồi chưa thỏa đáng"}, "in_progress", "so-tu-phap"},
		{[]string{"resolve", j.Code}, "resolved", "so-tu-phap"},
		{[]string{"close", j.Code}, "closed", "so-tu-phap"},
	} {
		code, out, errs := run("", append(append([]string{"tickets"}, step.args...), "--json")...)
		if step.status == "" {
			if code != 1 || !strings.Contains(errs, "already with this department") {
				t.Fatalf("tickets %v: exit %d, %s; want a refusal", step.args, code, errs)
			}
			continue
		}
		var got ticketJSON
		if code != 0 || json.Unmarshal([]byte(out), &got) != nil || got.Status != step.status || got.Department != step.dept {
			t.Fatalf("tickets %v: exit %d, %s %s; want %s at %s", step.args, code, out, errs, step.status, step.dept)
		}
	}
	_, out, _ := run("", "tickets", "show", j.Code, "--json")
	var got ticketJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil || len(got.History) != 8 || got.ResolvedAt == nil {
		t.Fatalf("history of %d entries, resolved_at %v (%v); want 8", len(got.History), got.ResolvedAt, err)
	}
	if h := got.History[2]; h.FromDepartment != "van-phong-ubnd-tinh" || h.Note != "Thuộc lĩnh vực tư pháp" {
		t.Errorf("reassignment entry = %+v", h)
	}
}

func TestTicketsList(t *testing.T) {
	run := cli(t)
	for range 3 {
		newTicket(t, run, "--branch", "4", "--text", "a", "--phone", "0939015599")
	}
	one := newTicket(t, run, "--branch", "9", "--text", "b")
	run("", "tickets", "assign", one.Code, "--department", "so-noi-vu")

	list := func(args ...string) (tickets []ticketJSON, next int64) {
		t.Helper()
		code, out, errs := run("", append([]string{"tickets", "list", "--json"}, args...)...)
		var page struct {
			Tickets []ticketJSON
			Next    int64
		}
		if code != 0 || json.Unmarshal([]byte(out), &page) != nil {
			t.Fatalf("tickets list %v: exit %d %s %s", args, code, out, errs)
		}
		return page.Tickets, page.Next
	}
	if ts, _ := list("--department", "van-phong-ubnd-tinh"); len(ts) != 3 || ts[0].Contact != "*******599" {
		t.Errorf("department list: %d tickets, contact %q; want 3, masked", len(ts), ts[0].Contact)
	}
	if ts, _ := list("--status", "assigned"); len(ts) != 1 || ts[0].Code != one.Code {
		t.Errorf("assigned: %+v", ts)
	}
	if ts, _ := list("--status", "open", "--branch", "4"); len(ts) != 3 {
		t.Errorf("open on branch 4: %d", len(ts))
	}
	ts, next := list("--limit", "2")
	rest, last := list("--limit", "2", "--after", itoa(next))
	if len(ts) != 2 || next == 0 || len(rest) != 2 || last != 0 || rest[0].Code == ts[1].Code {
		t.Errorf("pages: %d then %d (next %d, %d)", len(ts), len(rest), next, last)
	}
	code, out, _ := run("", "tickets", "list", "--limit", "2")
	if code != 0 || !strings.Contains(out, "HẠN XỬ LÝ") || !strings.Contains(out, "--after") {
		t.Errorf("human list: exit %d\n%s", code, out)
	}
}

func TestTicketsImport(t *testing.T) {
	run := cli(t)
	in := `{"branch":4,"channel":"phone","text":"một","phone":"0939015599"}
{"branch":12,"text":"nhánh không có"}
not json
{"branch":9,"text":"ẩn danh","anonymous":true}
   
{"branch":1,"text":"sau dòng trống"}
`
	code, out, errs := run(in, "tickets", "import", "--workers", "2")
	if code != 1 || !strings.Contains(errs, "2 lines were not imported") {
		t.Errorf("exit %d, stderr %q; want 1 and the count of failed lines", code, errs)
	}
	byLine := map[int]importResult{}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var r importResult
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("result %q: %v", l, err)
		}
		byLine[r.Line] = r
	}
	if len(byLine) != 6 || byLine[1].Code == "" || byLine[4].Code == "" || byLine[2].Error == "" || byLine[3].Error == "" ||
		byLine[5].Skipped != "empty line" || byLine[5].Error != "" || byLine[6].Code == "" {
		t.Errorf("results: %+v", byLine)
	}
	if code, _, _ := run("", "tickets", "show", byLine[4].Code); code != 0 {
		t.Errorf("imported ticket %s not found", byLine[4].Code)
	}
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func TestTicketsAnswer(t *testing.T) {
	run := cli(t)
	chat := newTicket(t, run, "--branch", "4", "--channel", "telegram", "--text", "Hỏi thủ tục", "--phone", "424242")
	phone := newTicket(t, run, "--branch", "4", "--channel", "phone", "--text", "Hỏi thủ tục", "--phone", "0939015599")
	for _, tt := range []struct {
		name string
		args []string
		exit int
		want string
	}{
		{"OKChat", []string{"tickets", "answer", chat.Code, "--text", "Mời anh đến bộ phận một cửa."}, 0, "xếp hàng gửi tới công dân qua telegram"},
		{"OKPhoneHistoryOnly", []string{"tickets", "answer", phone.Code, "--text", "Đã gọi lại."}, 0, "ghi vào lịch sử"},
		{"ErrNoText", []string{"tickets", "answer", chat.Code}, 2, "needs --text"},
		{"ErrBadCode", []string{"tickets", "answer", "123456789", "--text", "x"}, 2, "check digit"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := run("", tt.args...)
			if code != tt.exit || !strings.Contains(out+errs, tt.want) {
				t.Errorf("exit %d, want %d; output lacks %q:\n%s%s", code, tt.exit, tt.want, out, errs)
			}
		})
	}
	code, out, _ := run("", "tickets", "show", chat.Code)
	if code != 0 || !strings.Contains(out, "Trả lời công dân") || !strings.Contains(out, "Mời anh đến bộ phận một cửa.") {
		t.Errorf("history lacks the answer:\n%s", out)
	}
	for _, args := range [][]string{{"assign", chat.Code, "--department", "van-phong-ubnd-tinh"}, {"start", chat.Code}, {"resolve", chat.Code}} {
		if code, _, errs := run("", append([]string{"tickets"}, args...)...); code != 0 {
			t.Fatalf("tickets %v: %s", args, errs)
		}
	}
	if code, _, errs := run("", "tickets", "answer", chat.Code, "--text", "muộn"); code != 1 || !strings.Contains(errs, "cannot answer") {
		t.Errorf("answering a resolved ticket: exit %d %s", code, errs)
	}
}

// Without $USER (a systemd unit, a cron job) the history names the account
// the process runs as, never a bare "cli:".
func TestTicketsActorWithoutUSER(t *testing.T) {
	env := map[string]string{"HOTLINE_DATA": t.TempDir()}
	run := func(args ...string) (int, string, string) {
		return secretsRun(t, &Main{Getenv: mapEnv(env), Keyring: secretstest.NewKeyring(nil)}, "", args...)
	}
	run("migrate")
	code, out, errs := run("tickets", "new", "--branch", "4", "--text", "x", "--json")
	var j ticketJSON
	if code != 0 || json.Unmarshal([]byte(out), &j) != nil {
		t.Fatalf("tickets new: exit %d %s", code, errs)
	}
	_, out, _ = run("tickets", "show", j.Code, "--json")
	if err := json.Unmarshal([]byte(out), &j); err != nil || len(j.History) == 0 {
		t.Fatalf("show: %v %s", err, out)
	}
	me, err := user.Current()
	if err != nil {
		t.Skip(err)
	}
	if got, want := j.History[0].Actor, "cli:"+me.Username; got != want {
		t.Errorf("actor = %q, want %q", got, want)
	}
}
