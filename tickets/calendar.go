// SPDX-License-Identifier: Apache-2.0

package tickets

import (
	"fmt"
	"time"
)

// Date is a civil date, without a time or zone, e.g. a public holiday.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the civil date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate parses "2006-01-02"; EINVALID if s is not a real date.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, Errorf(EINVALID, "%q is not a date in the form 2006-01-02", s)
	}
	return DateOf(t), nil
}

// String formats the date as 2006-01-02.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// Span is an opening interval within a day, as offsets from local midnight.
type Span struct{ From, To time.Duration }

// ParseSpan parses "07:30-11:30"; EINVALID unless both times are valid and From < To.
func ParseSpan(s string) (Span, error) {
	var h1, m1, h2, m2 int
	var rest string
	n, _ := fmt.Sscanf(s+"|", "%d:%d-%d:%d%s", &h1, &m1, &h2, &m2, &rest)
	if n != 5 || rest != "|" || !clock(h1, m1) || !clock(h2, m2) {
		return Span{}, Errorf(EINVALID, "%q is not an interval like 07:30-11:30", s)
	}
	sp := Span{hm(h1, m1), hm(h2, m2)}
	if sp.From >= sp.To {
		return Span{}, Errorf(EINVALID, "%q ends before it starts", s)
	}
	return sp, nil
}

func clock(h, m int) bool       { return h >= 0 && h <= 24 && m >= 0 && m < 60 && h*60+m <= 24*60 }
func hm(h, m int) time.Duration { return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute }

// Calendar knows the province's time zone, public holidays and business hours:
// it computes deadlines in working days and tells whether the hotline is staffed.
type Calendar struct {
	loc      *time.Location
	holidays map[Date]bool
	workdays map[Date]bool
	hours    [7][]Span // by time.Weekday
}

// NewCalendar returns a calendar in loc; hours is indexed by time.Weekday and
// may leave days empty (closed). Workdays are weekend days worked in exchange
// for a day off that was swapped (ngày làm bù), such as Saturday 10/01/2026.
func NewCalendar(loc *time.Location, holidays []Date, hours [7][]Span, workdays ...Date) *Calendar {
	return &Calendar{loc: loc, holidays: set(holidays), workdays: set(workdays), hours: hours}
}

func set(ds []Date) map[Date]bool {
	m := make(map[Date]bool, len(ds))
	for _, d := range ds {
		m[d] = true
	}
	return m
}

// Location returns the calendar's time zone.
func (c *Calendar) Location() *time.Location { return c.loc }

// WorkingDay reports whether d is Monday to Friday and not a public holiday,
// or a weekend day to be worked.
func (c *Calendar) WorkingDay(d Date) bool {
	if c.workdays[d] {
		return true
	}
	wd := time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Weekday()
	return wd != time.Saturday && wd != time.Sunday && !c.holidays[d]
}

// Deadline returns the end (23:59:59 local time) of the days-th working day after
// the day of received: a ticket received on a Friday with 1 day is due on Monday
// night, or later if Monday is a holiday. days < 1 counts as 1.
func (c *Calendar) Deadline(received time.Time, days int) time.Time {
	t := received.In(c.loc)
	day := time.Date(t.Year(), t.Month(), t.Day(), 12, 0, 0, 0, c.loc)
	for n := 0; n < max(days, 1); {
		day = day.AddDate(0, 0, 1)
		if c.WorkingDay(DateOf(day)) {
			n++
		}
	}
	return time.Date(day.Year(), day.Month(), day.Day(), 23, 59, 59, 0, c.loc)
}

// Open reports whether t falls in business hours on a day that is not a
// public holiday. A weekend day to be worked keeps its own hours if it has
// any, and has Monday's otherwise.
func (c *Calendar) Open(t time.Time) bool {
	t = t.In(c.loc)
	d := DateOf(t)
	if c.holidays[d] {
		return false
	}
	hours := c.hours[t.Weekday()]
	if c.workdays[d] && len(hours) == 0 {
		hours = c.hours[time.Monday]
	}
	since := time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute + time.Duration(t.Second())*time.Second
	for _, s := range hours {
		if since >= s.From && since < s.To {
			return true
		}
	}
	return false
}

// FormatDate formats t as dd/mm/yyyy in the calendar's zone, as Vietnamese
// readers expect.
func (c *Calendar) FormatDate(t time.Time) string { return t.In(c.loc).Format("02/01/2006") }
