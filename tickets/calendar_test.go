// SPDX-License-Identifier: Apache-2.0

package tickets_test

import (
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/ticketstest"
)

func TestDeadline(t *testing.T) {
	cal := ticketstest.Calendar(t)
	loc := cal.Location()
	at := func(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, loc) }
	for _, tt := range []struct {
		name     string
		received time.Time
		days     int
		want     string // dd/mm/yyyy of the last working day
	}{
		{"OneDayFromMonday", at(2026, 11, 2, 9), 1, "03/11/2026"},
		{"FridayToMonday", at(2026, 11, 6, 16), 1, "09/11/2026"},
		{"SaturdayCountsFromMonday", at(2026, 11, 7, 10), 1, "09/11/2026"},
		{"TenDaysSkipTwoWeekends", at(2026, 11, 2, 9), 10, "16/11/2026"},
		{"AcrossTet", at(2027, 2, 4, 9), 1, "15/02/2027"},
		{"LateNightUTCIsNextDayInVietnam", time.Date(2026, 11, 5, 18, 0, 0, 0, time.UTC), 1, "09/11/2026"}, // Fri 01:00 ICT
		{"ZeroMeansOne", at(2026, 11, 2, 9), 0, "03/11/2026"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := cal.Deadline(tt.received, tt.days)
			if got := cal.FormatDate(d); got != tt.want {
				t.Errorf("Deadline(%v, %d) = %s, want %s", tt.received, tt.days, got, tt.want)
			}
			if l := d.In(loc); l.Hour() != 23 || l.Minute() != 59 {
				t.Errorf("Deadline at %v, want the end of the day", l)
			}
		})
	}
}

func TestCalendarWorkdays(t *testing.T) {
	base := ticketstest.Calendar(t)
	loc := base.Location()
	var hours [7][]tickets.Span
	hours[time.Monday] = []tickets.Span{{From: 7 * time.Hour, To: 17 * time.Hour}}
	sat := tickets.Date{Year: 2026, Month: time.January, Day: 10}
	cal := tickets.NewCalendar(loc, []tickets.Date{{Year: 2026, Month: time.January, Day: 2}}, hours, sat)
	// Received Thursday 1 January; Friday 2 is swapped off and Saturday 10 worked.
	if got, want := cal.FormatDate(cal.Deadline(time.Date(2026, 1, 8, 9, 0, 0, 0, loc), 2)), "10/01/2026"; got != want {
		t.Errorf("deadline across the worked Saturday = %s, want %s", got, want)
	}
	if !cal.WorkingDay(sat) || cal.WorkingDay(tickets.Date{Year: 2026, Month: time.January, Day: 2}) {
		t.Error("WorkingDay ignores the swap")
	}
	if !cal.Open(time.Date(2026, 1, 10, 9, 0, 0, 0, loc)) || cal.Open(time.Date(2026, 1, 17, 9, 0, 0, 0, loc)) {
		t.Error("Open: the worked Saturday must have Monday's hours, other Saturdays none")
	}
}

func TestCalendarOpen(t *testing.T) {
	cal := ticketstest.Calendar(t)
	loc := cal.Location()
	for _, tt := range []struct {
		name string
		at   time.Time
		want bool
	}{
		{"MorningOpen", time.Date(2026, 11, 2, 7, 0, 0, 0, loc), true},
		{"LunchClosed", time.Date(2026, 11, 2, 12, 0, 0, 0, loc), false},
		{"AfternoonOpen", time.Date(2026, 11, 2, 16, 59, 0, 0, loc), true},
		{"EveningClosed", time.Date(2026, 11, 2, 17, 0, 0, 0, loc), false},
		{"SaturdayClosed", time.Date(2026, 11, 7, 9, 0, 0, 0, loc), false},
		{"TetClosed", time.Date(2027, 2, 8, 9, 0, 0, 0, loc), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := cal.Open(tt.at); got != tt.want {
				t.Errorf("Open(%v) = %v, want %v", tt.at, got, tt.want)
			}
		})
	}
}

func TestParseSpan(t *testing.T) {
	for _, tt := range []struct {
		in string
		ok bool
	}{
		{"07:30-11:30", true}, {"13:30-17:00", true}, {"00:00-24:00", true},
		{"11:30-07:30", false}, {"7:30", false}, {"25:00-26:00", false}, {"07:30-11:30x", false}, {"", false},
	} {
		_, err := tickets.ParseSpan(tt.in)
		if (err == nil) != tt.ok {
			t.Errorf("ParseSpan(%q) error = %v, want ok=%v", tt.in, err, tt.ok)
		}
	}
	if _, err := tickets.ParseDate("2026-02-30"); err == nil {
		t.Error("ParseDate(2026-02-30) accepted an impossible date")
	}
}
