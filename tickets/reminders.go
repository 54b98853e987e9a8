// SPDX-License-Identifier: Apache-2.0

package tickets

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ChannelMail is the outbox channel of e-mail to staff; no ticket comes from it.
const ChannelMail Channel = "mail"

// Notice kinds of reminders and mail.
const (
	// NoticeReminder tells a department's chat of a ticket that nears or
	// passed its deadline; Body is the text.
	NoticeReminder NoticeKind = "reminder"
	// NoticeMail is an e-mail; Body is a MailNotice in JSON.
	NoticeMail NoticeKind = "mail"
)

// MailNotice is the body of a NoticeMail: a message rendered when it was
// queued, and the files attached to it, read when it is sent.
type MailNotice struct {
	// ID is the Message-ID's unique part, the same for every attempt, so
	// that a mail sent twice after a crash is one message to mail readers.
	ID      string           `json:"id"`
	Subject string           `json:"subject"`
	Text    string           `json:"text"`
	HTML    string           `json:"html,omitempty"`
	Files   []MailAttachment `json:"files,omitempty"`
}

// MailAttachment is a file attached to a mail: the report's XLSX and HTML.
type MailAttachment struct {
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Path        string `json:"path"`
}

// ReminderLevel is a step of a ticket's reminders and escalation: a share
// of its time spent ("share50"), overdue, or overdue long enough that the
// provincial office is told.
type ReminderLevel string

// The escalation levels after the shares.
const (
	LevelOverdue  ReminderLevel = "overdue"
	LevelProvince ReminderLevel = "province"
)

// ShareLevel is the level reached when percent of a ticket's time is spent.
func ShareLevel(percent int) ReminderLevel { return ReminderLevel("share" + strconv.Itoa(percent)) }

// Share returns the percent of a share level, 0 for the other levels.
func (l ReminderLevel) Share() int {
	n, err := strconv.Atoi(strings.TrimPrefix(string(l), "share"))
	if err != nil || !strings.HasPrefix(string(l), "share") {
		return 0
	}
	return n
}

// ReminderPolicy says when a ticket's reminders fall due.
type ReminderPolicy struct {
	// Shares are the percents of the time allowed (from receipt to the
	// deadline, by the clock) at which the focal points are reminded.
	Shares []int
	// ProvinceAfter is how many working days after the deadline the
	// provincial office is told; 0: never.
	ProvinceAfter int
	Calendar      *Calendar
}

// Validate checks the shares (1 to 99, no repeats) and ProvinceAfter; EINVALID.
func (p ReminderPolicy) Validate() error {
	for i, s := range p.Shares {
		if s < 1 || s > 99 {
			return Errorf(EINVALID, "a reminder share is a percent from 1 to 99, got %d", s)
		}
		if slices.Contains(p.Shares[:i], s) {
			return Errorf(EINVALID, "the reminder share %d%% is given twice", s)
		}
	}
	if p.ProvinceAfter < 0 {
		return Errorf(EINVALID, "reminders.province_after_days must not be negative, got %d", p.ProvinceAfter)
	}
	return nil
}

// ReminderStep is a level and when it falls due.
type ReminderStep struct {
	Level ReminderLevel
	At    time.Time
}

// Steps returns the levels of a ticket received at created with deadline,
// in the order they fall due: the shares, overdue (the first instant after
// the deadline day), and the provincial office's.
func (p ReminderPolicy) Steps(created, deadline time.Time) []ReminderStep {
	end := DueEnd(deadline)
	allowed := end.Sub(created)
	shares := slices.Clone(p.Shares)
	slices.Sort(shares)
	var steps []ReminderStep
	for _, s := range shares {
		steps = append(steps, ReminderStep{ShareLevel(s), created.Add(allowed * time.Duration(s) / 100)})
	}
	steps = append(steps, ReminderStep{LevelOverdue, end})
	if p.ProvinceAfter > 0 && p.Calendar != nil {
		steps = append(steps, ReminderStep{LevelProvince, DueEnd(p.Calendar.Deadline(deadline, p.ProvinceAfter))})
	}
	return steps
}

// Due splits a ticket's steps at now: those due, and when the next one
// falls due (zero if none is left).
func (p ReminderPolicy) Due(created, deadline, now time.Time) ([]ReminderStep, time.Time) {
	var due []ReminderStep
	for _, s := range p.Steps(created, deadline) {
		if s.At.After(now) {
			return due, s.At
		}
		due = append(due, s)
	}
	return due, time.Time{}
}

// ReminderTicket is an open ticket whose reminders are looked at.
type ReminderTicket struct {
	ID         int64
	Code       Code
	Department string
	Status     Status
	Text       string
	Deadline   time.Time
	CreatedAt  time.Time
	// Gone: the ticket no longer exists or is no longer open.
	Gone bool
}

// NewReminder is a level reached by a ticket, with whom to tell: the
// console users (their notice list) and the outbox messages.
type NewReminder struct {
	Level      ReminderLevel
	Department string // who answers for the level: the ticket's, or the provincial office
	DueAt      time.Time
	Users      []int64
	Notices    []Notice
	// DigestDay, if set, holds the reminder's mail for its department's
	// daily digest of that local day instead of a mail of its own.
	DigestDay Date
}

// ReminderUpdate is what one pass decided for one ticket: the reminders
// made and when to look at it again (zero: never, it is no longer open or
// has no level left).
type ReminderUpdate struct {
	Ticket int64
	New    []NewReminder
	NextAt time.Time
}

// HeldReminder is a reminder whose mail waits for its department's daily digest.
type HeldReminder struct {
	ID         int64
	Ticket     Code
	Level      ReminderLevel
	Department string
	Deadline   time.Time
	DueAt      time.Time
	Day        Date
}

// UserNotice is a reminder in a console user's notice list.
type UserNotice struct {
	ID       int64
	Ticket   Code
	Level    ReminderLevel
	Deadline time.Time
	At       time.Time
	Read     bool
}

// Title says what the level means, in Vietnamese, for notice lists and subjects.
func (l ReminderLevel) Title() string {
	switch l {
	case LevelOverdue:
		return "Phiếu đã quá hạn xử lý"
	case LevelProvince:
		return "Phiếu quá hạn kéo dài — báo cáo Văn phòng UBND tỉnh"
	}
	if s := l.Share(); s > 0 {
		return fmt.Sprintf("Nhắc việc: phiếu đã dùng %d%% thời hạn xử lý", s)
	}
	return string(l)
}
