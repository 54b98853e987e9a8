// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/chatbot"
	"github.com/hotline-cchc/hotline/cmd/hotline/internal/config"
	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/sqlite"
)

// reminderApp opens an app on a new data folder with the settings env and
// mail on (no SMTP server: the tests read the outbox).
func reminderApp(t *testing.T, env map[string]string) *app {
	t.Helper()
	env["HOTLINE_DATA"] = t.TempDir()
	cfg, err := config.Load("", func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	a, err := openAppConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	a.mail = &mailChannel{bot: &chatbot.Bot{}}
	return a
}

func addUser(t *testing.T, a *app, name, role, dept, email string, head bool) *tickets.User {
	t.Helper()
	u := &tickets.User{Name: name, Role: tickets.Role(role), Department: dept, PasswordHash: "x", Email: email, Head: head,
		CreatedAt: time.Now().UTC()}
	if err := a.db.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

// mails returns the bodies of the outbox's mail items.
func mails(t *testing.T, a *app) []tickets.MailNotice {
	t.Helper()
	out, err := a.db.ListOutbox(context.Background(), sqlite.OutboxFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var ms []tickets.MailNotice
	for _, o := range out {
		if o.Channel != tickets.ChannelMail {
			continue
		}
		var m tickets.MailNotice
		if err := json.Unmarshal([]byte(o.Body), &m); err != nil {
			t.Fatal(err)
		}
		ms = append(ms, m)
	}
	return ms
}

// Past the day's threshold, a department's reminders wait for its daily
// digest: one mail to each focal point at digest_at listing them all; the
// console lists every reminder at once; the head hears of no share; a
// second pass (a restart) makes nothing again.
func TestRemindersDigest(t *testing.T) {
	ctx := context.Background()
	a := reminderApp(t, map[string]string{"HOTLINE_REMINDERS_DIGEST_THRESHOLD": "2", "HOTLINE_REMINDERS_DIGEST_AT": "16:30"})
	cb := addUser(t, a, "cb1", "focal", "so-noi-vu", "cb1@tinh.gov.vn", false)
	ld := addUser(t, a, "ld1", "focal", "so-noi-vu", "ld1@tinh.gov.vn", true)
	opened := time.Date(2026, 3, 2, 8, 0, 0, 0, a.cal.Location()) // a Monday
	a.svc.Now = func() time.Time { return opened }
	var last *tickets.Ticket
	for range 5 {
		tk, err := a.svc.Open(ctx, tickets.NewTicket{Branch: 1, Channel: tickets.ChannelOperator, Text: "Hồ sơ trễ hẹn", Actor: "test"})
		if err != nil {
			t.Fatal(err)
		}
		last = tk
	}
	r := newReminders(a, slog.New(slog.DiscardHandler))
	half := r.policy.Steps(last.CreatedAt, last.Deadline)[0].At
	if got := half.In(a.cal.Location()).Format("15:04"); got >= "16:30" {
		t.Fatalf("50 %% falls at %s, after the digest time: the test needs another day", got)
	}
	now := half.Add(time.Minute)
	r.now = func() time.Time { return now }
	r.run(ctx)

	if ms := mails(t, a); len(ms) != 2 {
		t.Fatalf("%d mails before the digest, want 2 (the threshold)", len(ms))
	}
	ns, unread, err := a.db.UserNotices(ctx, cb.ID, 50)
	if err != nil || len(ns) != 5 || unread != 5 {
		t.Errorf("focal point's notices: %d, %d unread (%v), want 5", len(ns), unread, err)
	}
	if _, unread, _ := a.db.UserNotices(ctx, ld.ID, 50); unread != 0 {
		t.Errorf("the head has %d notices of shares, want 0", unread)
	}

	now = time.Date(now.Year(), now.Month(), now.Day(), 16, 31, 0, 0, a.cal.Location())
	r.run(ctx)
	r.run(ctx)
	ms := mails(t, a)
	if len(ms) != 3 {
		t.Fatalf("%d mails after the digest time, want 3 (2 + one digest)", len(ms))
	}
	digest := ms[0] // newest first
	if !strings.Contains(digest.Subject, "Tổng hợp nhắc việc: 3 phiếu của Sở Nội vụ") || strings.Count(digest.Text, "- Phiếu ") != 3 {
		t.Errorf("digest: %q\n%s", digest.Subject, digest.Text)
	}
	again := newReminders(a, slog.New(slog.DiscardHandler))
	again.now = r.now
	if n, err := again.pass(ctx); err != nil || n != 0 {
		t.Errorf("a second pass made %d reminders (%v), want 0", n, err)
	}
	if err := a.db.ReadNotices(ctx, cb.ID, now); err != nil {
		t.Fatal(err)
	}
	if n, _ := a.db.UnreadNotices(ctx, cb.ID); n != 0 {
		t.Errorf("%d unread after reading", n)
	}
}

// Overdue tells the heads; N working days later the provincial office's
// users; a share passed at the same time is recorded without a word.
func TestRemindersEscalation(t *testing.T) {
	ctx := context.Background()
	a := reminderApp(t, map[string]string{"HOTLINE_REMINDERS_PROVINCE_AFTER_DAYS": "2",
		"HOTLINE_TELEGRAM_DEPARTMENT_CHATS": "so-noi-vu=-1001,van-phong-ubnd-tinh=-1002"})
	a.telegram = &telegramChannel{bot: &chatbot.Bot{Channel: tickets.ChannelTelegram, Store: a.db, Menu: a.menu, Calendar: a.cal}}
	cb := addUser(t, a, "cb1", "focal", "so-noi-vu", "cb1@tinh.gov.vn", false)
	ld := addUser(t, a, "ld1", "focal", "so-noi-vu", "ld1@tinh.gov.vn", true)
	vp := addUser(t, a, "vp1", "focal", "van-phong-ubnd-tinh", "vp1@tinh.gov.vn", false)
	opened := time.Date(2026, 3, 2, 8, 0, 0, 0, a.cal.Location())
	a.svc.Now = func() time.Time { return opened }
	tk, err := a.svc.Open(ctx, tickets.NewTicket{Branch: 1, Channel: tickets.ChannelOperator, Text: "Hồ sơ trễ hẹn", Actor: "test"})
	if err != nil {
		t.Fatal(err)
	}
	r := newReminders(a, slog.New(slog.DiscardHandler))
	steps := r.policy.Steps(tk.CreatedAt, tk.Deadline)
	if len(steps) != 4 || steps[3].Level != tickets.LevelProvince {
		t.Fatalf("steps %+v", steps)
	}
	now := steps[2].At.Add(time.Hour) // overdue
	r.now = func() time.Time { return now }
	r.run(ctx)
	count := func(u *tickets.User) int {
		_, n, err := a.db.UserNotices(ctx, u.ID, 50)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if c, l, v := count(cb), count(ld), count(vp); c != 0 || l != 1 || v != 0 {
		t.Errorf("overdue: focal %d, head %d, office %d notices; want 0, 1, 0", c, l, v)
	}
	now = steps[3].At
	r.run(ctx)
	if c, l, v := count(cb), count(ld), count(vp); c != 0 || l != 1 || v != 1 {
		t.Errorf("province: focal %d, head %d, office %d notices; want 0, 1, 1", c, l, v)
	}
	ms := mails(t, a)
	if len(ms) != 2 || !strings.Contains(ms[0].Text, "Văn phòng UBND tỉnh được báo cáo") || ms[0].HTML == "" {
		t.Errorf("mails: %+v", ms)
	}
	chat := &chatSink{}
	if _, err := a.telegram.bot.DeliverOutbox(ctx, chat); err != nil {
		t.Fatal(err)
	}
	slices.Sort(chat.got) // chats are served in parallel
	if len(chat.got) != 2 || !strings.HasPrefix(chat.got[0], "-1001: Phiếu phản ánh, kiến nghị số "+tk.Code.Grouped()+" của Sở Nội vụ đã quá hạn xử lý") ||
		!strings.HasPrefix(chat.got[1], "-1002: ") {
		t.Errorf("department chats got %q", chat.got)
	}
}

// chatSink is a chat channel that keeps the reminders it is sent.
type chatSink struct {
	mu  sync.Mutex
	got []string
}

func (c *chatSink) Send(_ context.Context, chat string, r chatbot.Reply) error {
	if strings.HasPrefix(r.Text, "Phiếu phản ánh, kiến nghị số") { // not the new ticket's notice
		c.mu.Lock()
		c.got = append(c.got, chat+": "+r.Text)
		c.mu.Unlock()
	}
	return nil
}
func (c *chatSink) MaxText() int { return 4096 }
