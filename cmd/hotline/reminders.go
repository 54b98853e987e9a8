// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/hotline-cchc/hotline/cmd/hotline/internal/config"
	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/sqlite"
)

// reminderBatch is how many tickets one transaction of a pass decides.
const reminderBatch = 500

// reminders makes the reminders and escalations of open tickets: at each
// pass, the tickets whose next level has come (read by an index), each level
// recorded once per ticket with its console notices and its messages — mail
// to the users concerned, the department's Telegram chat — in one
// transaction, so that a restart neither repeats nor loses one; levels that
// fell due while hotline was down are made at the first pass.
type reminders struct {
	db     *sqlite.DB
	policy tickets.ReminderPolicy
	cfg    config.Reminders
	menu   *tickets.Menu
	loc    *time.Location
	mail   bool                           // mail is on
	chats  map[string][]tickets.Recipient // department → its Telegram chats, if Telegram is on
	log    *slog.Logger
	now    func() time.Time
	wake   func() // after messages are queued
}

// pass makes every reminder due at now and sends the digests due; it
// returns how many reminders it made.
func (r *reminders) pass(ctx context.Context) (int, error) {
	now := r.now().UTC().Truncate(time.Millisecond)
	made := 0
	for {
		ts, err := r.db.ReminderTickets(ctx, now, reminderBatch)
		if err != nil || len(ts) == 0 {
			return made, err
		}
		users, err := r.db.Users(ctx)
		if err != nil {
			return made, err
		}
		mailed, err := r.db.MailedToday(ctx, r.dayStart(now))
		if err != nil {
			return made, err
		}
		us := make([]tickets.ReminderUpdate, 0, len(ts))
		for _, t := range ts {
			us = append(us, r.decide(t, now, users, mailed))
		}
		n, err := r.db.SaveReminders(ctx, now, us)
		if err != nil {
			return made, err
		}
		made += n
		if n > 0 && r.wake != nil {
			r.wake()
		}
		if len(ts) < reminderBatch {
			break
		}
	}
	return made, nil
}

func (r *reminders) dayStart(now time.Time) time.Time {
	t := now.In(r.loc)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, r.loc)
}

// decide returns what to record for ticket t at now: its levels due, and
// when its next one falls due. A share is told only if it is the last
// level due: of a ticket that went past several levels at once (while
// hotline was down, or imported late), the shares passed are recorded
// without a word, never sent later; the overdue and provincial levels are
// always told.
func (r *reminders) decide(t tickets.ReminderTicket, now time.Time, users []*tickets.User, mailed map[string]int) tickets.ReminderUpdate {
	u := tickets.ReminderUpdate{Ticket: t.ID}
	if t.Gone {
		return u
	}
	due, next := r.policy.Due(t.CreatedAt, t.Deadline, now)
	u.NextAt = next
	for i, s := range due {
		nr := tickets.NewReminder{Level: s.Level, Department: t.Department, DueAt: s.At}
		if s.Level == tickets.LevelProvince {
			nr.Department = r.cfg.ProvinceOffice
		}
		if s.Level.Share() == 0 || i == len(due)-1 {
			r.address(&nr, t, now, users, mailed)
		}
		u.New = append(u.New, nr)
	}
	return u
}

// recipients returns the users told of a level of a ticket of department
// dept: its focal points but the heads for a share, its heads once overdue,
// every user of the provincial office after that.
func recipients(level tickets.ReminderLevel, dept string, users []*tickets.User) []*tickets.User {
	var out []*tickets.User
	for _, u := range users {
		if u.Disabled || u.Role != tickets.RoleFocal || u.Department != dept {
			continue
		}
		if level == tickets.LevelProvince || (level == tickets.LevelOverdue) == u.Head {
			out = append(out, u)
		}
	}
	return out
}

// address fills in whom nr is told, and how: a console notice for each
// user, a mail for each with an address unless the department's mails of
// the day passed the threshold (then the mail waits for the daily digest),
// a message to the department's Telegram chats.
func (r *reminders) address(nr *tickets.NewReminder, t tickets.ReminderTicket, now time.Time, users []*tickets.User, mailed map[string]int) {
	us := recipients(nr.Level, nr.Department, users)
	for _, u := range us {
		nr.Users = append(nr.Users, u.ID)
	}
	text := r.reminderText(nr.Level, t)
	key := fmt.Sprintf("reminder:%d:%s:", t.ID, nr.Level)
	for _, c := range r.chats[nr.Department] {
		nr.Notices = append(nr.Notices, tickets.Notice{Recipient: c, Kind: tickets.NoticeReminder, Body: text, Key: key + c.ID})
	}
	if !r.mail {
		return
	}
	withMail := 0
	for _, u := range us {
		if u.Email != "" {
			withMail++
		}
	}
	if withMail == 0 {
		return
	}
	if mailed[nr.Department] >= r.cfg.DigestThreshold {
		nr.DigestDay = r.digestDay(now)
		return
	}
	mailed[nr.Department]++
	for _, u := range us {
		if u.Email == "" {
			continue
		}
		body := mailBody(fmt.Sprintf("reminder-%d-%s-u%d", t.ID, nr.Level, u.ID), "[Tổng đài CCHC] "+nr.Level.Title()+" — phiếu "+t.Code.Grouped(), text)
		nr.Notices = append(nr.Notices, tickets.Notice{Recipient: tickets.Recipient{Channel: tickets.ChannelMail, ID: u.Email},
			Kind: tickets.NoticeMail, Body: body, Key: key + u.Email})
	}
}

// reminderText tells a level of ticket t, in Vietnamese.
func (r *reminders) reminderText(level tickets.ReminderLevel, t tickets.ReminderTicket) string {
	dept := t.Department
	if d, err := r.menu.Department(t.Department); err == nil {
		dept = d.Name
	}
	deadline := t.Deadline.In(r.loc).Format("02/01/2006")
	var what string
	switch {
	case level == tickets.LevelOverdue:
		what = "đã quá hạn xử lý (hạn " + deadline + ")"
	case level == tickets.LevelProvince:
		what = fmt.Sprintf("đã quá hạn xử lý hơn %d ngày làm việc (hạn %s); Văn phòng UBND tỉnh được báo cáo", r.cfg.ProvinceAfterDays, deadline)
	default:
		what = fmt.Sprintf("đã dùng %d%% thời hạn xử lý (hạn %s)", level.Share(), deadline)
	}
	return fmt.Sprintf("Phiếu phản ánh, kiến nghị số %s của %s %s.\nXem và xử lý phiếu trên trang quản lý của Tổng đài CCHC.",
		t.Code.Grouped(), dept, what)
}

// digestDay is the day whose digest carries a reminder held at now: today's,
// or tomorrow's once today's digest time has passed.
func (r *reminders) digestDay(now time.Time) tickets.Date {
	at, _ := config.ParseClock(r.cfg.DigestAt)
	start := r.dayStart(now)
	if now.Sub(start) >= at {
		return tickets.DateOf(start.AddDate(0, 0, 1).Add(12 * time.Hour))
	}
	return tickets.DateOf(start.Add(12 * time.Hour))
}
