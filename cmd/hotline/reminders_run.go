// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hotline-cchc/hotline/cmd/hotline/internal/config"
	"github.com/hotline-cchc/hotline/tickets"
)

// startReminders runs the reminder pass at start (levels that fell due
// while hotline was down) and every reminders.every; stop waits for a pass
// in progress.
func (m *Main) startReminders(ctx context.Context, a *app, log *slog.Logger) (stop func(), err error) {
	r := newReminders(a, log.With("component", "reminders"))
	if _, err := a.menu.Department(a.cfg.Reminders.ProvinceOffice); err != nil && a.cfg.Reminders.ProvinceAfterDays > 0 {
		r.log.Warn("reminders: reminders.province_office is no department; the provincial office is told of nothing", "province_office", a.cfg.Reminders.ProvinceOffice)
	}
	run, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(a.cfg.Reminders.Every)
		defer t.Stop()
		for {
			r.run(run)
			select {
			case <-run.Done():
				return
			case <-t.C:
			}
		}
	})
	r.log.Info("reminders on", "shares", a.cfg.Reminders.Shares, "province_after_days", a.cfg.Reminders.ProvinceAfterDays,
		"every", a.cfg.Reminders.Every.String(), "mail", r.mail, "department_chats", len(r.chats))
	return func() { cancel(); wg.Wait() }, nil
}

func newReminders(a *app, log *slog.Logger) *reminders {
	r := &reminders{db: a.db, cfg: a.cfg.Reminders, menu: a.menu, loc: a.cal.Location(), log: log, now: time.Now,
		policy: tickets.ReminderPolicy{Shares: a.cfg.Reminders.Shares, ProvinceAfter: a.cfg.Reminders.ProvinceAfterDays, Calendar: a.cal}}
	if _, err := a.menu.Department(a.cfg.Reminders.ProvinceOffice); err != nil {
		r.policy.ProvinceAfter = 0
	}
	var wakes []func()
	if a.telegram != nil {
		r.chats, _ = departmentChats(a.cfg)
		wakes = append(wakes, a.telegram.bot.Wake)
	}
	if a.mail != nil {
		r.mail = true
		wakes = append(wakes, a.mail.bot.Wake)
	}
	r.wake = func() {
		for _, w := range wakes {
			w()
		}
	}
	return r
}

// run is one pass and the digests due, logged.
func (r *reminders) run(ctx context.Context) {
	n, err := r.pass(ctx)
	if err != nil && ctx.Err() == nil {
		r.log.Error("reminders: pass", "err", err)
	}
	if n > 0 {
		r.log.Info("reminders made", "count", n)
	}
	if err := r.digests(ctx); err != nil && ctx.Err() == nil {
		r.log.Error("reminders: digest", "err", err)
	}
}

// digests mails each department's daily digest that is due: the reminders
// held for the days up to today once today's digest time has come, else up
// to yesterday. Each user gets one mail listing their department's held
// reminders, recorded with them in one transaction.
func (r *reminders) digests(ctx context.Context) error {
	now := r.now().UTC().Truncate(time.Millisecond)
	at, _ := config.ParseClock(r.cfg.DigestAt)
	start := r.dayStart(now)
	day := start.Add(12 * time.Hour)
	if now.Sub(start) < at {
		day = day.AddDate(0, 0, -1)
	}
	held, err := r.db.HeldReminders(ctx, tickets.DateOf(day))
	if err != nil || len(held) == 0 {
		return err
	}
	users, err := r.db.Users(ctx)
	if err != nil {
		return err
	}
	byDept := map[string][]tickets.HeldReminder{}
	for _, h := range held {
		byDept[h.Department] = append(byDept[h.Department], h)
	}
	for dept, hs := range byDept {
		if err := r.db.SaveDigest(ctx, now, heldIDs(hs), r.digestMails(dept, hs, users)); err != nil {
			return err
		}
		r.log.Info("reminders: daily digest queued", "department", dept, "reminders", len(hs))
	}
	if r.wake != nil {
		r.wake()
	}
	return nil
}

func heldIDs(hs []tickets.HeldReminder) []int64 {
	ids := make([]int64, len(hs))
	for i, h := range hs {
		ids[i] = h.ID
	}
	return ids
}

// digestMails returns one mail to each user of dept with an address,
// listing the reminders of hs meant for them.
func (r *reminders) digestMails(dept string, hs []tickets.HeldReminder, users []*tickets.User) []tickets.Notice {
	lines := map[*tickets.User][]string{}
	var order []*tickets.User
	for _, h := range hs {
		for _, u := range recipients(h.Level, dept, users) {
			if u.Email == "" {
				continue
			}
			if _, ok := lines[u]; !ok {
				order = append(order, u)
			}
			lines[u] = append(lines[u], fmt.Sprintf("- Phiếu %s: %s (hạn %s)", h.Ticket.Grouped(), lowerFirst(h.Level.Title()),
				h.Deadline.In(r.loc).Format("02/01/2006")))
		}
	}
	name := dept
	if d, err := r.menu.Department(dept); err == nil {
		name = d.Name
	}
	last := slices.MaxFunc(hs, func(a, b tickets.HeldReminder) int { return int(a.ID - b.ID) }).ID
	var ns []tickets.Notice
	for _, u := range order {
		ls := lines[u]
		text := fmt.Sprintf("Tổng hợp nhắc việc trong ngày của %s: %d phiếu.\n\n%s\n\nXem và xử lý các phiếu trên trang quản lý của Tổng đài CCHC.",
			name, len(ls), strings.Join(ls, "\n"))
		id := fmt.Sprintf("digest-%s-%d-u%d", dept, last, u.ID)
		ns = append(ns, tickets.Notice{Recipient: tickets.Recipient{Channel: tickets.ChannelMail, ID: u.Email}, Kind: tickets.NoticeMail,
			Body: mailBody(id, fmt.Sprintf("[Tổng đài CCHC] Tổng hợp nhắc việc: %d phiếu của %s", len(ls), name), text),
			Key:  fmt.Sprintf("digest:%s:%d:%s", dept, last, u.Email)})
	}
	return ns
}

func lowerFirst(s string) string {
	r := []rune(s)
	if len(r) == 0 {
		return s
	}
	return strings.ToLower(string(r[0])) + string(r[1:])
}

// mailBody returns a tickets.MailNotice in JSON: the text, and the same
// text as HTML for the readers that show HTML.
func mailBody(id, subject, text string, files ...tickets.MailAttachment) string {
	var h strings.Builder
	for _, p := range strings.Split(text, "\n\n") {
		h.WriteString("<p>" + strings.ReplaceAll(html.EscapeString(p), "\n", "<br>") + "</p>\n")
	}
	b, _ := json.Marshal(tickets.MailNotice{ID: id, Subject: subject, Text: text, HTML: h.String(), Files: files})
	return string(b)
}
