// SPDX-License-Identifier: Apache-2.0

package reports_test

import (
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/reports"
	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/ticketstest"
)

func TestPeriods(t *testing.T) {
	loc := ticketstest.Location(t)
	jan, err := reports.ParseMonth("2027-01", loc)
	if err != nil {
		t.Fatal(err)
	}
	span, err := reports.Days(tickets.Date{Year: 2026, Month: 9, Day: 7}, tickets.Date{Year: 2026, Month: 10, Day: 31}, loc)
	if err != nil {
		t.Fatal(err)
	}
	whole, err := reports.Days(tickets.Date{Year: 2026, Month: 2, Day: 1}, tickets.Date{Year: 2026, Month: 2, Day: 28}, loc)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name              string
		p                 reports.Period
		key, label, from  string
		prevKey, prevFrom string
	}{
		{"Month", jan, "2027-01", "tháng 1/2027", "2026-12-31T17:00:00Z", "2026-12", "2026-11-30T17:00:00Z"},
		{"Days", span, "2026-09-07_2026-10-31", "từ ngày 07/09/2026 đến ngày 31/10/2026", "2026-09-06T17:00:00Z", "2026-07-14_2026-09-06", "2026-07-13T17:00:00Z"},
		{"DaysOfAWholeMonth", whole, "2026-02", "tháng 2/2026", "2026-01-31T17:00:00Z", "2026-01", "2025-12-31T17:00:00Z"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			prev := tc.p.Previous()
			got := []string{tc.p.Key(), tc.p.Label(), tc.p.From.UTC().Format(time.RFC3339), prev.Key(), prev.From.UTC().Format(time.RFC3339)}
			want := []string{tc.key, tc.label, tc.from, tc.prevKey, tc.prevFrom}
			for i := range got {
				if got[i] != want[i] {
					t.Errorf("got %q, want %q", got[i], want[i])
				}
			}
			if !prev.To.Equal(tc.p.From) {
				t.Errorf("previous period ends at %s, want %s", prev.To, tc.p.From)
			}
		})
	}
	t.Run("ErrBadMonth", func(t *testing.T) {
		if _, err := reports.ParseMonth("2026-13", loc); tickets.ErrorCode(err) != tickets.EINVALID {
			t.Errorf("err = %v, want EINVALID", err)
		}
	})
	t.Run("ErrEndsBeforeStart", func(t *testing.T) {
		if _, err := reports.Days(tickets.Date{Year: 2026, Month: 10, Day: 2}, tickets.Date{Year: 2026, Month: 10, Day: 1}, loc); tickets.ErrorCode(err) != tickets.EINVALID {
			t.Errorf("err = %v, want EINVALID", err)
		}
	})
	t.Run("ErrUnknownFormat", func(t *testing.T) {
		if _, err := reports.ParseFormat("pdf"); tickets.ErrorCode(err) != tickets.EINVALID {
			t.Errorf("err = %v, want EINVALID", err)
		}
	})
}

// A period in progress is compared with the same days before it, and the
// label says which.
func TestSameSpanBefore(t *testing.T) {
	loc := ticketstest.Location(t)
	for _, tc := range []struct {
		name     string
		p        reports.Period
		asOf     time.Time
		to       time.Time
		label    string
		prevFrom time.Time
	}{
		{"ThreeDays", reports.Month(2026, time.December, loc), time.Date(2026, 12, 3, 10, 0, 0, 0, loc),
			time.Date(2026, 11, 3, 10, 0, 0, 0, loc), "cùng kỳ 01–03/11", time.Date(2026, 11, 1, 0, 0, 0, 0, loc)},
		{"FirstDay", reports.Month(2026, time.December, loc), time.Date(2026, 12, 1, 9, 0, 0, 0, loc),
			time.Date(2026, 11, 1, 9, 0, 0, 0, loc), "cùng kỳ 01/11", time.Date(2026, 11, 1, 0, 0, 0, 0, loc)},
		{"LongerThanFebruary", reports.Month(2026, time.March, loc), time.Date(2026, 3, 31, 8, 0, 0, 0, loc),
			time.Date(2026, 3, 1, 0, 0, 0, 0, loc), "cùng kỳ 01–28/02", time.Date(2026, 2, 1, 0, 0, 0, 0, loc)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			prev := tc.p.SameSpanBefore(tc.asOf)
			if !prev.From.Equal(tc.prevFrom) || !prev.To.Equal(tc.to) {
				t.Errorf("SameSpanBefore = [%s, %s), want [%s, %s)", prev.From, prev.To, tc.prevFrom, tc.to)
			}
			if got := prev.Label(); got != tc.label {
				t.Errorf("label %q, want %q", got, tc.label)
			}
		})
	}
}
