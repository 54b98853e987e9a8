// SPDX-License-Identifier: Apache-2.0

// Package tickets is the hotline's domain: tickets (phiếu phản ánh, kiến nghị),
// their codes, lifecycle and history, phone calls, the menu of branches that
// routes each ticket to its department, and deadlines in working days. Every
// channel — phone, chat, console, CLI — works through these types.
//
// It imports only the standard library. Storage implementations live in
// sub-packages (tickets/sqlite) and satisfy Store.
package tickets

import (
	"context"
	"time"
)

// Channel is how a ticket reached the hotline.
type Channel string

// The channels.
const (
	ChannelPhone    Channel = "phone"
	ChannelTelegram Channel = "telegram"
	ChannelZalo     Channel = "zalo"
	ChannelWeb      Channel = "web"
	ChannelOperator Channel = "operator"
)

// Channels lists every channel.
var Channels = []Channel{ChannelPhone, ChannelTelegram, ChannelZalo, ChannelWeb, ChannelOperator}

// ParseChannel returns the channel named s; EINVALID if there is none.
func ParseChannel(s string) (Channel, error) {
	for _, c := range Channels {
		if string(c) == s {
			return c, nil
		}
	}
	return "", Errorf(EINVALID, "unknown channel %q (want phone, telegram, zalo, web or operator)", s)
}

// Ticket is one piece of feedback from a citizen or a business.
type Ticket struct {
	ID         int64
	Code       Code
	Branch     int    // Branch.Key
	Department string // Department.ID now responsible
	Channel    Channel
	Status     Status
	Text       string // what the citizen reported (or a transcript note for calls)
	// Contact is the phone number or chat id to answer; empty when Anonymous.
	// It is personal data: masked everywhere but for those handling the ticket.
	Contact   string
	Anonymous bool
	Recording string // the call recording's name, for phone tickets
	Deadline  time.Time
	CreatedAt time.Time
	UpdatedAt time.Time
	// ResolvedAt is the last time the ticket was resolved; zero if never.
	ResolvedAt time.Time
	// CaseType is the id of the ticket's case type (see CaseType); empty for
	// a ticket stored before case types existed.
	CaseType string
	// Extensions counts the extensions of its deadline.
	Extensions int
	// Source is the key of the request that opened the ticket, such as
	// "telegram:<chat>:<draft>", so that a repeated request opens nothing
	// new; empty if the channel needs none.
	Source string
}

// Chat reports whether the channel is a chat, where the ticket's contact is a
// chat id that notices can reach.
func (c Channel) Chat() bool { return c == ChannelTelegram || c == ChannelZalo }

// Overdue reports whether the ticket is still open at now and its deadline
// day has passed (see DueEnd).
func (t *Ticket) Overdue(now time.Time) bool {
	return t.Status.Open() && !now.Before(DueEnd(t.Deadline))
}

// DueEnd returns the first instant that misses a deadline. The deadline is
// the whole deadline day: it is stored as the day's last second (23:59:59
// local time, see Calendar.Deadline), so anything before the next local
// midnight — 23:59:59.999 included — is on time.
func DueEnd(deadline time.Time) time.Time { return deadline.Truncate(time.Second).Add(time.Second) }

// HistoryEntry is one append-only record of who did what to a ticket, when,
// and why.
type HistoryEntry struct {
	At             time.Time
	Actor          string // user name, "ivr", "telegram", "cli:<os user>" …
	Action         Action
	FromStatus     Status // empty on create
	ToStatus       Status
	FromDepartment string // set on create and on reassignment
	ToDepartment   string
	Note           string
	// Notices are written to the outbox in the same transaction as the
	// entry; History does not return them.
	Notices []Notice
}

// Filter selects tickets for a listing. Zero fields do not filter. Listings are
// newest first; pass the previous page's Next as After for the following page.
type Filter struct {
	Department string
	Statuses   []Status // any of these; OpenStatuses for the work queue
	Branch     int
	Channel    Channel
	After      int64 // the ID of the last ticket on the previous page
	Limit      int   // page size; 0 means 50, at most 500
}

// OpenStatuses are the statuses of tickets that still need work.
var OpenStatuses = []Status{StatusNew, StatusAssigned, StatusInProgress}

// Page is one page of a listing. Next is 0 on the last page.
type Page struct {
	Tickets []*Ticket
	Next    int64
}

// Page sizes.
const (
	DefaultPageSize = 50
	MaxPageSize     = 500
)

// Store keeps tickets, their history and calls. Implementations run each
// method in one transaction.
type Store interface {
	// CreateTicket stores t, which Service has filled in, with a fresh unique
	// Code and its create history entry and notices, and sets t.ID and t.Code.
	// The code is valid only once CreateTicket has returned nil: the row is
	// committed. If t.Source is set and a ticket with that source exists,
	// CreateTicket stores nothing and loads that ticket into t.
	CreateTicket(ctx context.Context, t *Ticket, h HistoryEntry) error
	// UpdateTicket loads the ticket with code, lets change modify it and
	// return the history entry, and stores both, and the entry's notices,
	// atomically. It returns
	// ENOTFOUND if there is no such ticket and change's error unchanged.
	UpdateTicket(ctx context.Context, code Code, change func(*Ticket) (HistoryEntry, error)) (*Ticket, error)
	// Ticket returns the ticket with code; ENOTFOUND if there is none.
	Ticket(ctx context.Context, code Code) (*Ticket, error)
	// Tickets returns one page of the tickets that match f.
	Tickets(ctx context.Context, f Filter) (Page, error)
	// History returns the ticket's history, oldest first; ENOTFOUND if there
	// is no such ticket.
	History(ctx context.Context, code Code) ([]HistoryEntry, error)
	// CountTickets returns the number of tickets by department and status.
	CountTickets(ctx context.Context) ([]Count, error)

	// CreateCall stores a new call and sets c.ID.
	CreateCall(ctx context.Context, c *Call) error
	// UpdateCall stores c's branch, ticket, outcome and end; ENOTFOUND if
	// c.ID is unknown.
	UpdateCall(ctx context.Context, c *Call) error
	// CountCalls returns the number of calls by outcome.
	CountCalls(ctx context.Context) (map[Outcome]int, error)
}

// Count is the number of tickets of one department in one status.
type Count struct {
	Department string
	Status     Status
	N          int
}
