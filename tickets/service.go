// SPDX-License-Identifier: Apache-2.0

package tickets

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits on what a citizen or operator may send.
const (
	MaxTextLen    = 10_000 // characters of a ticket's text
	MaxContactLen = 64
	MaxNoteLen    = 4_000
)

// Service applies the hotline's rules — routing, deadlines, the lifecycle —
// on top of a Store. Every channel creates and moves tickets through it.
type Service struct {
	Store    Store
	Menu     *Menu
	Calendar *Calendar
	Now      func() time.Time // the clock; time.Now if nil
	// Normalize brings citizen text to one Unicode form (cmd/hotline sets NFC,
	// so that Vietnamese typed on different keyboards compares equal); nil
	// leaves text as it came.
	Normalize func(string) string
	// DepartmentChats names, by department id, the chats told of each ticket
	// the department receives, on creation or reassignment.
	DepartmentChats map[string][]Recipient
	// PhoneNotices, if set, is the channel that tells a phone caller whose
	// number is known the code of their ticket, its answers and its
	// resolution (Zalo's template messages to a phone number).
	PhoneNotices Channel
	// Surveys keeps the satisfaction surveys; Store, if nil and it keeps them.
	Surveys SurveyStore
	// PhoneCallback queues a call-back (an outbox notice on the phone
	// channel) with each answer or resolution of a phone ticket that has a
	// contact.
	PhoneCallback bool
}

// NewTicket is a request to open a ticket.
type NewTicket struct {
	Branch    int
	Channel   Channel
	Text      string
	Contact   string // phone number or chat id; dropped if Anonymous
	Anonymous bool
	Recording string
	Actor     string // who files it: "ivr", "telegram", an operator's name
	// Source is a key unique to the request, e.g. "telegram:<chat>:<draft>":
	// opening again with the same Source returns the ticket opened first and
	// stores nothing. Empty: every Open opens a ticket.
	Source string
}

// Change is a request to move a ticket through its lifecycle.
type Change struct {
	Action     Action
	Department string // for ActionAssign: the department to assign to
	Note       string // the reason of a reassignment; a note for the others
	Actor      string
	// Within, if set, limits the change to a ticket of that department,
	// checked in the change's transaction: a focal point cannot act on a
	// ticket that has just been moved to another department.
	Within string
}

// now reads the clock to the millisecond, the precision the store keeps.
func (s *Service) now() time.Time {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	return now().UTC().Truncate(time.Millisecond)
}

// Open routes n to its branch's department, sets its deadline in working days
// and stores it. It returns EINVALID for an unknown channel, an unknown branch,
// a ticket with neither text nor recording, or text that is too long; the
// returned ticket's code is committed.
func (s *Service) Open(ctx context.Context, n NewTicket) (*Ticket, error) {
	if _, err := ParseChannel(string(n.Channel)); err != nil {
		return nil, err
	}
	b, dept, err := s.Menu.Route(n.Branch)
	if err != nil {
		return nil, Errorf(EINVALID, "%s", ErrorMessage(err))
	}
	text, err := s.cleanText("text", n.Text, MaxTextLen)
	if err != nil {
		return nil, err
	}
	if text == "" && n.Recording == "" {
		return nil, Errorf(EINVALID, "a ticket needs a text or a recording")
	}
	contact, err := s.cleanText("contact", n.Contact, MaxContactLen)
	if err != nil {
		return nil, err
	}
	if n.Anonymous {
		contact = ""
	}
	now := s.now()
	caseType, deadline := s.openDeadline(now, b)
	t := &Ticket{
		Branch: b.Key, Department: dept.ID, Channel: n.Channel, Status: StatusNew,
		Text: text, Contact: contact, Anonymous: n.Anonymous, Recording: n.Recording,
		Deadline: deadline, CaseType: caseType, CreatedAt: now, UpdatedAt: now, Source: n.Source,
	}
	h := HistoryEntry{At: now, Actor: actor(n.Actor), Action: ActionCreate, ToStatus: StatusNew, ToDepartment: dept.ID,
		Notices: s.departmentNotices(dept.ID)}
	if t.Channel == ChannelPhone && t.Contact != "" && s.PhoneNotices != "" {
		h.Notices = append(h.Notices, Notice{Recipient: Recipient{Channel: s.PhoneNotices, ID: t.Contact}, Kind: NoticeReceived})
	}
	if err := s.Store.CreateTicket(ctx, t, h); err != nil {
		return nil, err
	}
	return t, nil
}

// Move applies c to the ticket with code. An answer or a resolution of a
// ticket that came by chat, with a contact, is also queued for the citizen in
// the same transaction; a reassignment tells the new department's chats. It
// returns ENOTFOUND for an unknown ticket or department, or a ticket outside
// c.Within, ECONFLICT when the lifecycle forbids the action in the ticket's
// status or a taken ticket is assigned to the department it is already with,
// and EINVALID when a reassignment to another department or a reopening has
// no reason, an answer has no text or a note is too long.
func (s *Service) Move(ctx context.Context, code Code, c Change) (*Ticket, error) {
	note, err := s.cleanText("note", c.Note, MaxNoteLen)
	if err != nil {
		return nil, err
	}
	if c.Action == ActionAssign {
		if _, err := s.Menu.Department(c.Department); err != nil {
			return nil, err
		}
		if !s.Menu.Active(c.Department) {
			return nil, Errorf(ECONFLICT, "Cơ quan %q đã được sáp nhập vào %q: hãy chuyển phiếu tới cơ quan đó.", c.Department, s.Menu.Successor(c.Department))
		}
	}
	if c.Action == ActionAnswer && note == "" {
		return nil, Errorf(EINVALID, "an answer needs a text")
	}
	if c.Action == ActionReopen && note == "" {
		return nil, Errorf(EINVALID, "reopening a ticket needs a reason")
	}
	now := s.now()
	return s.Store.UpdateTicket(ctx, code, func(t *Ticket) (HistoryEntry, error) {
		if c.Within != "" && t.Department != c.Within {
			return HistoryEntry{}, Errorf(ENOTFOUND, "there is no ticket with this code")
		}
		to, err := Next(t.Status, c.Action)
		if err != nil {
			return HistoryEntry{}, err
		}
		if c.Action == ActionAssign && c.Department == t.Department && t.Status != StatusNew {
			return HistoryEntry{}, Errorf(ECONFLICT, "the ticket is already with this department")
		}
		h := HistoryEntry{At: now, Actor: actor(c.Actor), Action: c.Action, FromStatus: t.Status, ToStatus: to, Note: note}
		if c.Action == ActionAssign && c.Department != t.Department {
			if note == "" {
				return HistoryEntry{}, Errorf(EINVALID, "moving a ticket to another department needs a reason")
			}
			h.FromDepartment, h.ToDepartment = t.Department, c.Department
			t.Department = c.Department
			h.Notices = s.departmentNotices(c.Department)
		}
		h.Notices = append(h.Notices, s.citizenNotices(t, c.Action, note)...)
		if to == StatusResolved {
			t.ResolvedAt = now
		}
		t.Status, t.UpdatedAt = to, now
		return h, nil
	})
}

// departmentNotices returns the new-ticket notices to the chats of dept.
func (s *Service) departmentNotices(dept string) []Notice {
	var ns []Notice
	for _, r := range s.DepartmentChats[dept] {
		ns = append(ns, Notice{Recipient: r, Kind: NoticeNewTicket})
	}
	return ns
}

// citizenNotices returns the notice that tells the citizen of an answer or a
// resolution, if the ticket has a contact: on its chat if it came by chat;
// if it came by phone, a call-back when call-backs are on and a message on
// the PhoneNotices channel (Zalo's templates to the number) when set.
func (s *Service) citizenNotices(t *Ticket, a Action, note string) []Notice {
	if t.Contact == "" {
		return nil
	}
	var rs []Recipient
	switch {
	case t.Channel.Chat():
		rs = append(rs, Recipient{Channel: t.Channel, ID: t.Contact})
	case t.Channel == ChannelPhone:
		if s.PhoneCallback {
			rs = append(rs, Recipient{Channel: ChannelPhone, ID: t.Contact})
		}
		if s.PhoneNotices != "" {
			rs = append(rs, Recipient{Channel: s.PhoneNotices, ID: t.Contact})
		}
	}
	kind := map[Action]NoticeKind{ActionAnswer: NoticeAnswer, ActionResolve: NoticeResolved}[a]
	if kind == "" {
		return nil
	}
	var ns []Notice
	for _, r := range rs {
		ns = append(ns, Notice{Recipient: r, Kind: kind, Body: note})
	}
	return ns
}

// cleanText trims s, normalises it and checks its length and encoding.
func (sv *Service) cleanText(field, s string, limit int) (string, error) {
	if !utf8.ValidString(s) {
		return "", Errorf(EINVALID, "the %s is not valid UTF-8", field)
	}
	if sv.Normalize != nil {
		s = sv.Normalize(s)
	}
	s = strings.TrimSpace(s)
	if strings.ContainsRune(s, 0) {
		return "", Errorf(EINVALID, "the %s contains a NUL character", field)
	}
	if n := utf8.RuneCountInString(s); n > limit {
		return "", Errorf(EINVALID, "the %s has %d characters; at most %d are allowed", field, n, limit)
	}
	return s, nil
}

func actor(a string) string {
	if a = strings.TrimSpace(a); a == "" {
		return "unknown"
	}
	return a
}
