// SPDX-License-Identifier: Apache-2.0

package tickets

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"
)

// PastTicket is a ticket from a register kept before the hotline, with its
// own dates: it is imported as it stood, not as received now.
type PastTicket struct {
	Branch int
	// Department is the department that handled it; "" for the branch's.
	Department string
	Channel    Channel
	Text       string
	Contact    string
	// Status is where it stands; "" means resolved if ResolvedAt is set,
	// else new.
	Status     Status
	ReceivedAt time.Time
	ResolvedAt time.Time // zero if it was not resolved
	// Occurrence tells apart rows of a register that are alike in every
	// field above: 0 for the first, 1 for the next, and so on.
	Occurrence int
}

// ImportedTicket is a past ticket ready to store: the ticket and the
// history that brings it, through the lifecycle, to where it stood.
type ImportedTicket struct {
	Ticket  *Ticket
	History []HistoryEntry
}

// ImportStore stores imported tickets; the SQLite store implements it.
type ImportStore interface {
	// ImportTickets stores ts, giving each ticket its code: all in one
	// transaction if batch is 0, else batch tickets a transaction (so that
	// no transaction holds the store for long). One whose Source is already
	// stored (imported before) is skipped and its code set to the stored
	// one's. progress, if not nil, is called with the number of tickets done
	// so far. An error after the first batch says how many were saved.
	ImportTickets(ctx context.Context, ts []ImportedTicket, batch int, progress func(done int)) (skipped int, err error)
}

// PrepareImport checks p and returns the ticket it makes, routed by its
// branch (or to its own department), its deadline counted from its receipt
// so that a late one is overdue at once, and a history at its own dates
// with note: created at its receipt in the status it then had (in progress
// if it was resolved later), then resolved, then closed, at its resolution. It returns EINVALID, with the reason, for an unknown branch,
// department, channel or status, a text missing or too long, a resolution
// date with an open status or missing with a closed one, or dates out of
// order or after now.
func (s *Service) PrepareImport(p PastTicket, by, note string) (*ImportedTicket, error) {
	b, dept, err := s.Menu.Route(p.Branch)
	if err != nil {
		return nil, Errorf(EINVALID, "%s", ErrorMessage(err))
	}
	if p.Department != "" {
		if dept, err = s.Menu.Department(p.Department); err != nil {
			return nil, Errorf(EINVALID, "%s", ErrorMessage(err))
		}
	}
	if _, err := ParseChannel(string(p.Channel)); err != nil {
		return nil, err
	}
	text, err := s.cleanText("text", p.Text, MaxTextLen)
	if err == nil && text == "" {
		err = Errorf(EINVALID, "a ticket needs a text")
	}
	if err != nil {
		return nil, err
	}
	contact, err := s.cleanText("contact", p.Contact, MaxContactLen)
	if err != nil {
		return nil, err
	}
	status, err := p.status(s.now())
	if err != nil {
		return nil, err
	}
	received, resolved := p.ReceivedAt.UTC().Truncate(time.Millisecond), p.ResolvedAt.UTC().Truncate(time.Millisecond)
	caseType, deadline := s.openDeadline(received, b)
	t := &Ticket{
		Branch: b.Key, Department: dept.ID, Channel: p.Channel, Status: status, Text: text, Contact: contact,
		Deadline: deadline, CaseType: caseType,
		CreatedAt: received, UpdatedAt: received, ResolvedAt: resolved, Source: p.source(text, contact),
	}
	// Created as it stood at its receipt as far as the register tells:
	// its open status, or in progress for one resolved later.
	first := status
	if !status.Open() {
		first = StatusInProgress
	}
	hs := []HistoryEntry{{At: received, Actor: actor(by), Action: ActionCreate, ToStatus: first, ToDepartment: dept.ID, Note: note}}
	if !status.Open() {
		hs = append(hs, HistoryEntry{At: resolved, Actor: actor(by), Action: ActionResolve, FromStatus: first, ToStatus: StatusResolved})
		if status == StatusClosed {
			hs = append(hs, HistoryEntry{At: resolved, Actor: actor(by), Action: ActionClose, FromStatus: StatusResolved, ToStatus: StatusClosed})
		}
		t.UpdatedAt = resolved
	}
	return &ImportedTicket{Ticket: t, History: hs}, nil
}

// status returns the status p stands at, checked against its dates.
func (p PastTicket) status(now time.Time) (Status, error) {
	st := p.Status
	if st == "" {
		st = StatusNew
		if !p.ResolvedAt.IsZero() {
			st = StatusResolved
		}
	}
	switch {
	case p.ReceivedAt.IsZero():
		return "", Errorf(EINVALID, "the date received is missing")
	case p.ReceivedAt.After(now):
		return "", Errorf(EINVALID, "the date received is in the future")
	case st.Open() && !p.ResolvedAt.IsZero():
		return "", Errorf(EINVALID, "the status %q is open but there is a date resolved", st.Vietnamese())
	case !st.Open() && p.ResolvedAt.IsZero():
		return "", Errorf(EINVALID, "the status %q needs the date resolved", st.Vietnamese())
	case !p.ResolvedAt.IsZero() && p.ResolvedAt.Before(p.ReceivedAt):
		return "", Errorf(EINVALID, "the date resolved is before the date received")
	case p.ResolvedAt.After(now):
		return "", Errorf(EINVALID, "the date resolved is in the future")
	}
	return st, nil
}

// source is the key that makes importing the same row again a no-op: its
// receipt, text, contact and branch, and its occurrence among alike rows.
func (p PastTicket) source(text, contact string) string {
	h := sha256.New()
	for _, s := range []string{p.ReceivedAt.UTC().Format(time.RFC3339Nano), text, contact, strconv.Itoa(p.Branch)} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return "import:" + hex.EncodeToString(h.Sum(nil)[:16]) + ":" + strconv.Itoa(p.Occurrence)
}
