// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"database/sql"
	"io"
	"mime"
	"mime/multipart"
	"net"
	stdmail "net/mail"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	_ "github.com/hotline-cchc/hotline/tickets/sqlite" // the sqlite3 driver
)

// smtpServer is a real SMTP server (emersion/go-smtp) on 127.0.0.1 that
// keeps what it receives, and answers 451 to every recipient while busy.
type smtpServer struct {
	addr string
	busy atomic.Bool
	mu   sync.Mutex
	msgs []mailReceived
}

type mailReceived struct {
	To      string
	Subject string
	Data    string
}

func (s *smtpServer) to(addr string) []mailReceived {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []mailReceived
	for _, m := range s.msgs {
		if m.To == addr {
			out = append(out, m)
		}
	}
	return out
}

type smtpSession struct {
	s  *smtpServer
	to string
}

func (ss *smtpSession) Reset()                               { ss.to = "" }
func (ss *smtpSession) Logout() error                        { return nil }
func (ss *smtpSession) Mail(string, *smtp.MailOptions) error { return nil }
func (ss *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	if ss.s.busy.Load() {
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	ss.to = to
	return nil
}

func (ss *smtpSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m := mailReceived{To: ss.to, Data: string(b)}
	if msg, err := stdmail.ReadMessage(strings.NewReader(m.Data)); err == nil {
		m.Subject, _ = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	}
	ss.s.mu.Lock()
	ss.s.msgs = append(ss.s.msgs, m)
	ss.s.mu.Unlock()
	return nil
}

func startSMTP(t *testing.T) *smtpServer {
	t.Helper()
	s := &smtpServer{}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &smtpSession{s: s}, nil }))
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.addr = ln.Addr().String()
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return s
}

// waitMail waits until addr has n mails and returns them.
func waitMail(t *testing.T, ctx context.Context, s *smtpServer, addr string, n int) []mailReceived {
	t.Helper()
	for {
		if ms := s.to(addr); len(ms) >= n {
			return ms
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%d mail(s) to %s: %v (have %d)", n, addr, ctx.Err(), len(s.to(addr)))
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// ageTicket makes the ticket code received received ago with its deadline
// day ending in left, through SQLite beside the running server.
func ageTicket(t *testing.T, dir, code string, received, left time.Duration) {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(dir, "hotline.db")+"?_busy_timeout=10000")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const layout = "2006-01-02T15:04:05.000Z"
	now := time.Now().UTC()
	_, err = db.Exec(`UPDATE tickets SET created_at = ?, deadline = ? WHERE code = ?`,
		now.Add(-received).Format(layout), now.Add(left-time.Second).Format(layout), code)
	if err != nil {
		t.Fatal(err)
	}
}

// plainText returns the decoded text/plain part of the message data.
func plainText(t *testing.T, data string) string {
	t.Helper()
	msg, err := stdmail.ReadMessage(strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return findPlain(t, msg.Header.Get("Content-Type"), msg.Body)
}

func findPlain(t *testing.T, contentType string, body io.Reader) string {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		t.Fatal(err)
	}
	if mt == "text/plain" {
		b, _ := io.ReadAll(body)
		return string(b)
	}
	if !strings.HasPrefix(mt, "multipart/") {
		return ""
	}
	r := multipart.NewReader(body, params["boundary"])
	for {
		p, err := r.NextPart() // decodes quoted-printable
		if err != nil {
			return ""
		}
		if text := findPlain(t, p.Header.Get("Content-Type"), p); text != "" {
			return text
		}
	}
}

// waitLooked waits until a reminder pass has looked at the ticket code
// since it was queued.
func waitLooked(t *testing.T, ctx context.Context, dir, code string) {
	t.Helper()
	waitQuery(t, ctx, dir, `SELECT next_at <> '' FROM reminder_queue WHERE ticket_id = (SELECT id FROM tickets WHERE code = ?)`, code)
}

// waitQuery waits until the query q, of one boolean, is true in the
// data folder's database.
func waitQuery(t *testing.T, ctx context.Context, dir, q string, args ...any) {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(dir, "hotline.db")+"?_busy_timeout=10000&mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for {
		var ok bool
		if err := db.QueryRow(q, args...).Scan(&ok); err != nil {
			t.Fatal(err)
		}
		if ok {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%s: never true: %v", q, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// TestRemindersThroughTheBinary: a ticket past half its time gets one mail
// to the department's focal point, never repeated after a SIGKILL and a
// restart; once overdue, the head is mailed; while the SMTP server refuses,
// the mail is retried and /readyz says so, and it arrives once it accepts.
func TestRemindersThroughTheBinary(t *testing.T) {
	bin, env := binary(t)
	s := startSMTP(t)
	env = append(env, "HOTLINE_MAIL_SMTP_ADDR="+s.addr, "HOTLINE_MAIL_FROM=Tổng đài CCHC <hotline@tinh.gov.vn>",
		"HOTLINE_MAIL_TLS=none", "HOTLINE_REMINDERS_EVERY=1s")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	const focal, head, manager = "focal@tinh.gov.vn", "head@tinh.gov.vn", "manager@tinh.gov.vn"
	for _, args := range [][]string{
		{"users", "add", "cb1", "--role", "focal", "--department", "van-phong-ubnd-tinh", "--email", focal},
		{"users", "add", "ld1", "--role", "focal", "--department", "van-phong-ubnd-tinh"},
		{"users", "set-email", "ld1", head},
		{"users", "set-head", "ld1"},
		{"users", "add", "ql1", "--role", "manager", "--email", manager},
	} {
		if code, out := hotline(t, ctx, bin, env, "Mật-khẩu-dài-đủ-2026\n", args...); code != 0 {
			t.Fatalf("%v: exit %d\n%s", args, code, out)
		}
	}
	newTicket := func() string {
		_, out := hotline(t, ctx, bin, env, "", "tickets", "new", "--branch", "4", "--text", "Hồ sơ trễ hẹn")
		code := regexp.MustCompile(`\b\d{9}\b`).FindString(strings.ReplaceAll(out, " ", ""))
		if code == "" {
			t.Fatalf("tickets new: no code in %q", out)
		}
		return code
	}
	dir := dataDir(env)
	first := newTicket()
	ageTicket(t, dir, first, 6*24*time.Hour, 4*24*time.Hour) // 60 % of its time spent

	p := startServe(t, ctx, bin, env)
	ms := waitMail(t, ctx, s, focal, 1)
	if !strings.Contains(ms[0].Subject, "đã dùng 50% thời hạn") {
		t.Errorf("subject %q", ms[0].Subject)
	}
	// Killed once the mails are recorded sent — the focal point's and the
	// manager's monthly report, made at start: a kill between the SMTP
	// server's acceptance and that record sends it again (the outbox's
	// documented at-least-once window), which is not what this tests.
	waitQuery(t, ctx, dir, `SELECT count(*) >= 2 AND NOT EXISTS (SELECT 1 FROM outbox WHERE channel = 'mail' AND state = 'sending')
		FROM outbox WHERE channel = 'mail' AND state = 'sent'`)
	if err := p.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	p.cmd.Wait()

	p = startServe(t, ctx, bin, env)
	defer p.stop(t)
	// A change of deadline makes the pass look at the ticket again: its
	// 50 % is still due, and already told.
	ageTicket(t, dir, first, 6*24*time.Hour, 4*24*time.Hour+time.Minute)
	waitLooked(t, ctx, dir, first)
	if n := len(s.to(focal)); n != 1 {
		t.Fatalf("the focal point got %d mails after a restart, want 1", n)
	}
	ageTicket(t, dir, first, 12*24*time.Hour, -24*time.Hour) // overdue: the head is told
	hs := waitMail(t, ctx, s, head, 1)
	if !strings.Contains(hs[0].Subject, "quá hạn") || !strings.Contains(hs[0].Data, "Content-Type: text/html") {
		t.Errorf("head's mail: %q\n%s", hs[0].Subject, hs[0].Data)
	}
	if n := len(s.to(focal)); n != 1 {
		t.Errorf("the focal point got %d mails, want 1 (never again after a restart, nor at 75 %% once overdue)", n)
	}

	s.busy.Store(true)
	second := newTicket()
	ageTicket(t, dir, second, 6*24*time.Hour, 4*24*time.Hour)
	for r := getReady(t, p.addr); !strings.Contains(r.Parts["mail"], "SMTP 451"); r = getReady(t, p.addr) {
		select {
		case <-ctx.Done():
			t.Fatalf("/readyz never named the refused mail: %+v", r)
		case <-time.After(100 * time.Millisecond):
		}
	}
	if r := getReady(t, p.addr); r.code != 503 {
		t.Errorf("/readyz %d while the SMTP server refuses", r.code)
	}
	if m := get(t, "http://"+p.addr+"/metrics"); !strings.Contains(m, `hotline_outbox_retries_total{channel="mail",class="server"}`) {
		t.Errorf("/metrics lacks the mail's retries:\n%s", grepLines(m, "hotline_outbox"))
	}
	s.busy.Store(false)
	waitMail(t, ctx, s, focal, 2)
	if rs := s.to(manager); len(rs) != 1 {
		t.Errorf("the manager got %d monthly reports, want 1", len(rs))
	} else {
		for _, want := range []string{".xlsx", ".html", "Content-Type: text/html", "Báo cáo"} {
			if !strings.Contains(rs[0].Data+rs[0].Subject, want) {
				t.Errorf("the report's mail lacks %q: %q", want, rs[0].Subject)
			}
		}
		// The body: the report's summary, then what is attached.
		text := plainText(t, rs[0].Data)
		if !strings.HasPrefix(text, "Trong tháng ") ||
			!strings.HasSuffix(strings.TrimSpace(text), "Báo cáo đầy đủ được đính kèm (bảng tính XLSX và trang HTML).") {
			t.Errorf("the report's mail says:\n%s", text)
		}
	}
}

// A mail user without MAIL_PASSWORD stops serve at once with the ways to
// set it, rather than failing every mail later.
func TestServeMailNeedsPassword(t *testing.T) {
	bin, env := binary(t)
	env = append(env, "HOTLINE_MAIL_SMTP_ADDR=127.0.0.1:1", "HOTLINE_MAIL_FROM=hotline@tinh.gov.vn", "HOTLINE_MAIL_USER=hotline",
		"DBUS_SESSION_BUS_ADDRESS=")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	code, out := hotline(t, ctx, bin, env, "", "serve")
	if code != 1 || !strings.Contains(out, "MAIL_PASSWORD") || !strings.Contains(out, "hotline secrets set MAIL_PASSWORD") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}
