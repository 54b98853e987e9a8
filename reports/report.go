// SPDX-License-Identifier: Apache-2.0

// Package reports makes the statistics managers read: calls per branch,
// outcome, hour and weekday; tickets per channel and per department with
// their resolution on time; overdue tickets; the change against the previous
// period; and a Vietnamese summary in the style of the province's own
// reports. It renders them as text, CSV, XLSX and HTML with charts, and runs
// the monthly report idempotently for a scheduler to call.
//
// It reads the store through the small Source interface it declares and may
// import only tickets, the standard library and the XLSX library
// (xuri/excelize). No report holds a phone number or a chat id.
package reports

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
)

// Source is the store as reports need it; *sqlite.DB satisfies it.
type Source interface {
	// PeriodStats returns the aggregates q asks for.
	PeriodStats(ctx context.Context, q tickets.StatsQuery) (*tickets.PeriodStats, error)
}

// Builder makes reports from a Source, naming branches and departments after
// the menu.
type Builder struct {
	Source Source
	Menu   *tickets.Menu
	Now    func() time.Time // the clock; time.Now if nil
	// Target is the satisfaction rate aimed at, 0–1; DefaultTarget if 0.
	Target float64
}

// Report is one period's statistics, ready to render.
type Report struct {
	// Previous is the period compared with: the one before, or only its
	// same days if Period is still in progress.
	Period, Previous Period
	// AsOf is when open and overdue tickets are evaluated: the period's end,
	// or the time the report was made if the period has not ended yet.
	AsOf        time.Time
	GeneratedAt time.Time

	Calls       Calls
	Channels    []ChannelRow
	Departments []DepartmentRow
	Overdue     []OverdueRow
	Days        []DayRow
	Changes     []Change
	// Satisfaction is the citizens' ratings of the period.
	Satisfaction Satisfaction
	// Callbacks counts the call-back attempts started in the period by outcome.
	Callbacks []CallbackRow
	Summary   string // Vietnamese, in the style of the province's reports
}

// Calls counts the phone calls that started in the period.
type Calls struct {
	Total int
	// Branches lists every branch of the menu, and any other that calls
	// reached, most called first (ties by key); NoBranch is apart.
	Branches []BranchRow
	NoBranch int // calls that chose no branch
	Outcomes []OutcomeRow
	Hours    [24]int // by local hour of the start
	Weekdays [7]int  // Monday first
}

// BranchRow is the calls to one branch and the department responsible.
type BranchRow struct {
	Key        int
	Name       string
	Department string // the department's name
	N          int
}

// OutcomeRow is the calls that ended one way.
type OutcomeRow struct {
	Outcome tickets.Outcome
	Name    string
	N       int
}

// ChannelRow is the tickets received through one channel and, for a chat
// channel, the citizens who wrote to its bot and the conversations they
// started.
type ChannelRow struct {
	Channel       tickets.Channel
	Name          string
	Tickets       int
	Chats         int // distinct chats that wrote in the period
	Conversations int
}

// DepartmentRow is how one department dealt with its tickets, as the
// history stood at the period's end (see tickets.Resolution): a ticket counts
// for the department that held it at the end (Received, Open) or when it was
// resolved (Resolved, OnTime, Late) or reopened (Reopened). Overdue is Late
// plus OpenOverdue.
type DepartmentRow struct {
	ID, Name               string
	Received               int // created in the period
	Resolved, OnTime, Late int // resolved in the period
	Reopened               int // reopenings in the period
	Open, OpenOverdue      int // at the period's end
	Overdue                int
	Median, P90            time.Duration // to resolve; 0 if none resolved
}

// OverdueRow is one ticket that missed its deadline. Resolved is zero if it
// was open at the period's end; DaysLate counts calendar days past the
// deadline, to its resolution or to the end. Department and Status are those
// at the period's end (at the resolution for one resolved late).
type OverdueRow struct {
	Code       tickets.Code
	Branch     int
	Department string
	Channel    string
	Status     string
	Created    time.Time
	Deadline   time.Time
	Resolved   time.Time
	DaysLate   int
}

// DayRow is one local day's volume.
type DayRow struct {
	Day     tickets.Date
	Calls   int
	Tickets int
}

// Change compares one figure with the previous period.
type Change struct {
	Name              string
	Current, Previous int
}

// Build reads p and the period before it from the source and assembles the
// report. It returns the source's error, wrapped.
func (b *Builder) Build(ctx context.Context, p Period) (*Report, error) {
	now := time.Now
	if b.Now != nil {
		now = b.Now
	}
	r := &Report{Period: p, Previous: p.Previous(), GeneratedAt: now()}
	r.AsOf = p.To
	if r.GeneratedAt.Before(p.To) {
		r.AsOf = r.GeneratedAt
	}
	if !r.AsOf.After(p.From) {
		return nil, tickets.Errorf(tickets.EINVALID, "the period %s has not started yet", p.Label())
	}
	if r.AsOf.Before(p.To) { // in progress: compare with as many days before
		r.Previous = p.SameSpanBefore(r.AsOf)
	}
	cur, err := b.Source.PeriodStats(ctx, tickets.StatsQuery{From: p.From, To: r.AsOf, Loc: p.Loc, Overdue: true, Survey: true})
	if err != nil {
		return nil, fmt.Errorf("report %s: %w", p.Key(), err)
	}
	prev, err := b.Source.PeriodStats(ctx, tickets.StatsQuery{From: r.Previous.From, To: r.Previous.To, Loc: p.Loc})
	if err != nil {
		return nil, fmt.Errorf("report %s: %w", r.Previous.Key(), err)
	}
	// Departments are named as on the period's last day (renames, merges).
	bd := *b
	bd.Menu = b.Menu.On(tickets.DateOf(r.AsOf.Add(-time.Millisecond).In(p.Loc)))
	r.Calls = bd.calls(cur)
	r.Channels = channels(cur)
	r.Departments = bd.departments(cur)
	r.Overdue = bd.overdue(cur, r.AsOf, p.Loc)
	r.Days = days(p, cur)
	r.Changes = changes(cur, prev)
	r.Satisfaction = b.satisfaction(cur, r.Departments)
	r.Callbacks = callbacks(cur)
	r.Summary = summary(r)
	return r, nil
}

func (b *Builder) calls(s *tickets.PeriodStats) Calls {
	var c Calls
	byBranch := map[int]int{}
	byOutcome := map[tickets.Outcome]int{}
	for _, n := range s.Calls {
		c.Total += n.N
		byBranch[n.Branch] += n.N
		byOutcome[n.Outcome] += n.N
	}
	for _, n := range s.CallHours {
		c.Hours[n.Hour] += n.N
		c.Weekdays[(weekday(n.Day)+6)%7] += n.N
	}
	c.NoBranch = byBranch[0]
	for _, br := range b.Menu.Branches() {
		_, d, _ := b.Menu.Route(br.Key)
		c.Branches = append(c.Branches, BranchRow{Key: br.Key, Name: br.Name, Department: d.Name, N: byBranch[br.Key]})
		delete(byBranch, br.Key)
	}
	for key, n := range byBranch { // branches since removed from the menu
		if key != 0 {
			c.Branches = append(c.Branches, BranchRow{Key: key, Name: fmt.Sprintf("Nhánh %d (không còn trong menu)", key), Department: "—", N: n})
		}
	}
	slices.SortFunc(c.Branches, func(x, y BranchRow) int { return cmp.Or(cmp.Compare(y.N, x.N), cmp.Compare(x.Key, y.Key)) })
	for _, o := range outcomeOrder {
		if n := byOutcome[o]; n > 0 || o != tickets.OutcomeActive {
			c.Outcomes = append(c.Outcomes, OutcomeRow{Outcome: o, Name: outcomeName(o), N: n})
		}
		delete(byOutcome, o)
	}
	for o, n := range byOutcome { // outcomes listed only when they occur
		c.Outcomes = append(c.Outcomes, OutcomeRow{Outcome: o, Name: outcomeName(o), N: n})
	}
	return c
}

func weekday(d tickets.Date) int {
	return int(time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Weekday())
}

func channels(s *tickets.PeriodStats) []ChannelRow {
	by := map[tickets.Channel]int{}
	for _, n := range s.Received {
		by[n.Channel] += n.N
	}
	chats := map[tickets.Channel]tickets.ChatCount{}
	for _, c := range s.Chats {
		chats[c.Channel] = c
	}
	var rows []ChannelRow
	for _, ch := range tickets.Channels {
		c := chats[ch]
		rows = append(rows, ChannelRow{Channel: ch, Name: channelName(ch), Tickets: by[ch], Chats: c.Chats, Conversations: c.Conversations})
	}
	return rows
}

func (b *Builder) departments(s *tickets.PeriodStats) []DepartmentRow {
	var rows []DepartmentRow
	index := map[string]int{}
	row := func(id string) *DepartmentRow {
		i, ok := index[id]
		if !ok {
			name := id
			if d, err := b.Menu.Department(id); err == nil {
				name = d.Name
			}
			i = len(rows)
			index[id] = i
			rows = append(rows, DepartmentRow{ID: id, Name: name})
		}
		return &rows[i]
	}
	for _, d := range b.Menu.Departments() {
		row(d.ID)
	}
	for _, n := range s.Received {
		row(n.Department).Received += n.N
	}
	for _, res := range s.Resolutions {
		r := row(res.Department)
		r.Resolved, r.OnTime, r.Late = res.Resolved, res.OnTime, res.Resolved-res.OnTime
		r.Reopened, r.Open, r.OpenOverdue = res.Reopened, res.Open, res.OpenOverdue
		r.Overdue = r.Late + r.OpenOverdue
		r.Median, r.P90 = res.Median, res.P90
	}
	return rows
}

func (b *Builder) overdue(s *tickets.PeriodStats, end time.Time, loc *time.Location) []OverdueRow {
	rows := make([]OverdueRow, 0, len(s.Overdue))
	for _, t := range s.Overdue {
		name := t.Department
		if d, err := b.Menu.Department(t.Department); err == nil {
			name = d.Name
		}
		stop := end.Add(-time.Millisecond) // the last instant of the period
		if !t.ResolvedAt.IsZero() {
			stop = t.ResolvedAt
		}
		rows = append(rows, OverdueRow{
			Code: t.Code, Branch: t.Branch, Department: name, Channel: channelName(t.Channel),
			Status: t.Status.Vietnamese(), Created: t.CreatedAt, Deadline: t.Deadline, Resolved: t.ResolvedAt,
			DaysLate: daysBetween(t.Deadline, stop, loc),
		})
	}
	return rows
}

// daysBetween counts the local calendar days from a's day to b's day, at
// least 1 when b is after a.
func daysBetween(a, b time.Time, loc *time.Location) int {
	da, db := tickets.DateOf(a.In(loc)), tickets.DateOf(b.In(loc))
	ta := time.Date(da.Year, da.Month, da.Day, 12, 0, 0, 0, time.UTC)
	tb := time.Date(db.Year, db.Month, db.Day, 12, 0, 0, 0, time.UTC)
	return max(int(tb.Sub(ta).Hours()/24), 1)
}

func days(p Period, s *tickets.PeriodStats) []DayRow {
	var rows []DayRow
	index := map[tickets.Date]int{}
	for d := p.From.In(p.Loc); d.Before(p.To); d = d.AddDate(0, 0, 1) {
		index[tickets.DateOf(d)] = len(rows)
		rows = append(rows, DayRow{Day: tickets.DateOf(d)})
	}
	for _, n := range s.CallHours {
		if i, ok := index[n.Day]; ok {
			rows[i].Calls += n.N
		}
	}
	for _, n := range s.Received {
		if i, ok := index[n.Day]; ok {
			rows[i].Tickets += n.N
		}
	}
	return rows
}

// totals are the figures compared with the previous period.
type totals struct{ calls, received, resolved, onTime, reopened, overdue, open, chats, conversations int }

func totalsOf(s *tickets.PeriodStats) totals {
	var t totals
	for _, n := range s.Calls {
		t.calls += n.N
	}
	for _, n := range s.Received {
		t.received += n.N
	}
	for _, c := range s.Chats {
		t.chats += c.Chats
		t.conversations += c.Conversations
	}
	for _, r := range s.Resolutions {
		t.resolved += r.Resolved
		t.onTime += r.OnTime
		t.reopened += r.Reopened
		t.overdue += r.Resolved - r.OnTime + r.OpenOverdue
		t.open += r.Open
	}
	return t
}

func changes(cur, prev *tickets.PeriodStats) []Change {
	c, p := totalsOf(cur), totalsOf(prev)
	return []Change{
		{"Cuộc gọi đến", c.calls, p.calls},
		{"Phiếu tiếp nhận", c.received, p.received},
		{"Phiếu đã giải quyết", c.resolved, p.resolved},
		{"Giải quyết đúng hạn", c.onTime, p.onTime},
		{"Phiếu mở lại", c.reopened, p.reopened},
		{"Phiếu quá hạn", c.overdue, p.overdue},
		{"Phiếu còn tồn cuối kỳ", c.open, p.open},
		{"Người dân nhắn tin qua chatbot", c.chats, p.chats},
		{"Cuộc trò chuyện qua chatbot", c.conversations, p.conversations},
	}
}
