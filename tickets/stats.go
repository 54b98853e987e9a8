// SPDX-License-Identifier: Apache-2.0

package tickets

import "time"

// StatsQuery asks a store for the aggregates of the period [From, To).
// Every figure is read from the append-only history as it stood at To, so a
// period that has ended keeps its figures whatever happens to its tickets
// later. Tickets open at the end are those open at To, overdue if their
// deadline day ended by To (see DueEnd): ask up to the present for a period
// that has not ended.
type StatsQuery struct {
	From, To time.Time
	Loc      *time.Location // days and hours are local to it
	Overdue  bool           // also list the overdue tickets
	// Survey also counts the ratings, the call-backs and the resolutions
	// by branch (the survey's response rate).
	Survey bool
}

// PeriodStats is what a store counts for a period, read in one consistent
// snapshot: the raw aggregates a report is made of. No row carries a phone
// number, a chat id or a ticket's text.
type PeriodStats struct {
	Calls       []CallCount
	CallHours   []HourCount
	Received    []ReceivedCount
	Chats       []ChatCount
	Resolutions []Resolution
	Overdue     []OverdueTicket // only if the query asked for them
	Ratings     []RatingCount
	Callbacks   []CallbackCount
	// BranchResolved counts the tickets resolved in the period by branch,
	// for the survey's response rate by branch.
	BranchResolved []BranchCount
}

// CallCount is the number of calls on one branch (0: none chosen) that
// ended one way.
type CallCount struct {
	Branch  int
	Outcome Outcome
	N       int
}

// HourCount is the number of calls that started in one local hour of one
// local day.
type HourCount struct {
	Day  Date
	Hour int // 0–23
	N    int
}

// ReceivedCount is the number of tickets created on one local day through
// one channel that the department held at the period's end.
type ReceivedCount struct {
	Day        Date
	Department string
	Channel    Channel
	N          int
}

// ChatCount is the activity of one chat channel over the local days of a
// period: how many distinct chats (citizens) wrote to the bot and how many
// conversations they started. A period that ends within a day counts that
// whole day.
type ChatCount struct {
	Channel       Channel
	Chats         int
	Conversations int
}

// Resolution is how one department dealt with its tickets in a period, as
// the history records it:
//   - a ticket is resolved in the period when it was resolved (its last
//     resolution in the period, if several) inside it, whatever happened to
//     it afterwards; it counts for the department that held it then, and is on
//     time when that resolution came before DueEnd of its deadline;
//   - a reopening counts in the period it happened in, for the department
//     that held the ticket then;
//   - a ticket is open at the period's end when its status at To was open; it
//     counts for the department that held it at To.
//
// Only departments with at least one such ticket have a Resolution. The
// Department is the id the history recorded then; names of their time (when
// departments are renamed or merged) are for the reader to resolve.
type Resolution struct {
	Department  string
	Resolved    int // resolved in the period
	OnTime      int // of Resolved, by the deadline
	Reopened    int // reopenings in the period
	Open        int // open at the period's end
	OpenOverdue int // of Open, past the deadline at the period's end
	// Median and P90 are the nearest-rank 50th and 90th percentiles of the
	// time from creation to resolution of the Resolved tickets; 0 if none.
	Median, P90 time.Duration
}

// OverdueTicket is a ticket that missed its deadline in a period: resolved in
// it after the deadline, or still open past the deadline at its end (a
// ticket that is both is listed once, as open). Department and Status are
// those at the period's end, or at the resolution for one resolved late.
// It holds no contact and no text.
type OverdueTicket struct {
	Code       Code
	Branch     int
	Department string
	Channel    Channel
	Status     Status // at the period's end
	CreatedAt  time.Time
	Deadline   time.Time
	ResolvedAt time.Time // zero if it was open at the period's end
}

// ReportRun is one scheduled report: the file written for a period in a
// format, and when it reached each managers' chat. A run is complete when
// its file is written and every chat it is addressed to has received it.
type ReportRun struct {
	Period    string // "2026-10"
	Format    string // "html", "xlsx", "csv" or "text"
	File      string // the written file's path
	CreatedAt time.Time
	// Sent maps a chat id to when the report reached it; a chat that is
	// missing has not received it yet.
	Sent map[int64]time.Time
}
