// SPDX-License-Identifier: Apache-2.0

package reports

import (
	"fmt"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
)

// Period is the half-open interval [From, To) a report covers: whole local
// days in Loc, a calendar month by default.
type Period struct {
	From, To time.Time
	Loc      *time.Location
	month    bool
	// sameSpan marks the start of a previous period as long as a period in
	// progress has run so far (see SameSpanBefore).
	sameSpan bool
}

// Month returns the calendar month of year in loc: from local midnight on
// the 1st to local midnight on the 1st of the next month.
func Month(year int, month time.Month, loc *time.Location) Period {
	from := time.Date(year, month, 1, 0, 0, 0, 0, loc)
	return Period{From: from, To: from.AddDate(0, 1, 0), Loc: loc, month: true}
}

// ParseMonth parses "2006-01" as a month in loc; EINVALID if it is not one.
func ParseMonth(s string, loc *time.Location) (Period, error) {
	t, err := time.ParseInLocation("2006-01", s, loc)
	if err != nil {
		return Period{}, tickets.Errorf(tickets.EINVALID, "%q is not a month in the form 2006-01", s)
	}
	return Month(t.Year(), t.Month(), loc), nil
}

// Days returns the period from local midnight at the start of first to local
// midnight after last, both days included. It returns EINVALID if last is
// before first.
func Days(first, last tickets.Date, loc *time.Location) (Period, error) {
	from := time.Date(first.Year, first.Month, first.Day, 0, 0, 0, 0, loc)
	to := time.Date(last.Year, last.Month, last.Day, 0, 0, 0, 0, loc).AddDate(0, 0, 1)
	if !from.Before(to) {
		return Period{}, tickets.Errorf(tickets.EINVALID, "the period ends (%s) before it starts (%s)", last, first)
	}
	p := Period{From: from, To: to, Loc: loc}
	if first.Day == 1 && to.Day() == 1 && to.Equal(from.AddDate(0, 1, 0)) {
		p.month = true
	}
	return p, nil
}

// LastDay returns the last day the period includes.
func (p Period) LastDay() tickets.Date { return tickets.DateOf(p.To.In(p.Loc).AddDate(0, 0, -1)) }

// IsMonth reports whether the period is one calendar month.
func (p Period) IsMonth() bool { return p.month }

// Previous returns the period before p: the previous month for a month,
// else as many days ending where p starts.
func (p Period) Previous() Period {
	from := p.From.In(p.Loc)
	if p.month {
		return Month(from.Year(), from.Month()-1, p.Loc)
	}
	days := p.days()
	return Period{From: from.AddDate(0, 0, -days), To: p.From, Loc: p.Loc}
}

// SameSpanBefore returns the part of the previous period that matches the
// part of p up to asOf, for comparing a period in progress with the same
// days before it: 01/12 to 03/12 12:00 with 01/11 to 03/11 12:00, cut at
// the previous month's end when it is shorter. Its label says so.
func (p Period) SameSpanBefore(asOf time.Time) Period {
	prev := p.Previous()
	to := prev.From.Add(asOf.Sub(p.From))
	if p.month {
		a := asOf.In(p.Loc)
		f := prev.From.In(p.Loc)
		to = time.Date(f.Year(), f.Month(), a.Day(), a.Hour(), a.Minute(), a.Second(), a.Nanosecond(), p.Loc)
	}
	if to.After(prev.To) {
		to = prev.To
	}
	return Period{From: prev.From, To: to, Loc: p.Loc, sameSpan: true}
}

// days returns the number of local days in p.
func (p Period) days() int {
	n := 0
	for d := p.From.In(p.Loc); d.Before(p.To); d = d.AddDate(0, 0, 1) {
		n++
	}
	return n
}

// Key names the period in file names and the run record: "2026-10" for a
// month, "2026-09-07_2026-10-31" otherwise.
func (p Period) Key() string {
	if p.month {
		return p.From.In(p.Loc).Format("2006-01")
	}
	return tickets.DateOf(p.From.In(p.Loc)).String() + "_" + p.LastDay().String()
}

// Label names the period in Vietnamese: "tháng 10/2026", or
// "từ ngày 07/09/2026 đến ngày 31/10/2026".
func (p Period) Label() string {
	if p.sameSpan {
		return "cùng kỳ " + p.daySpan()
	}
	if p.month {
		return "tháng " + p.From.In(p.Loc).Format("1/2006")
	}
	return fmt.Sprintf("từ ngày %s đến ngày %s", p.From.In(p.Loc).Format("02/01/2006"), dmy(p.LastDay()))
}

func dmy(d tickets.Date) string { return fmt.Sprintf("%02d/%02d/%04d", d.Day, d.Month, d.Year) }

// daySpan names the local days p touches, shortly: "01–03/11", "30/10–02/11"
// or "01/11".
func (p Period) daySpan() string {
	first, last := p.From.In(p.Loc), p.To.Add(-time.Nanosecond).In(p.Loc)
	switch {
	case tickets.DateOf(first) == tickets.DateOf(last):
		return first.Format("02/01")
	case first.Month() == last.Month():
		return first.Format("02") + "–" + last.Format("02/01")
	}
	return first.Format("02/01") + "–" + last.Format("02/01")
}
