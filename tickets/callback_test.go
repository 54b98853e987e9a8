// SPDX-License-Identifier: Apache-2.0

package tickets_test

import (
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/ticketstest"
)

func TestVietnameseNumber(t *testing.T) {
	for in, want := range map[string]string{
		"0939015599": "0939015599", "+84 939 015 599": "0939015599", "84939015599": "0939015599",
		"093.901.5599": "0939015599", "(0236) 382 2222": "02363822222",
		"12345": "", "0139015599": "", "09390155991": "", "abc": "", "": "", "+1 202 555 0100": "", "5551230001": "",
	} {
		got, ok := tickets.VietnameseNumber(in)
		if got != want || ok != (want != "") {
			t.Errorf("VietnameseNumber(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func TestNextOpen(t *testing.T) {
	cal := ticketstest.Calendar(t)
	loc := cal.Location()
	for _, tc := range []struct{ at, want string }{
		{"2026-11-02 09:00", "2026-11-02 09:00"}, // Monday, open
		{"2026-11-02 12:00", "2026-11-02 13:30"}, // lunch
		{"2026-11-06 18:00", "2026-11-09 07:00"}, // Friday evening → Monday
	} {
		at, _ := time.ParseInLocation("2006-01-02 15:04", tc.at, loc)
		got, ok := cal.NextOpen(at)
		if !ok || got.In(loc).Format("2006-01-02 15:04") != tc.want {
			t.Errorf("NextOpen(%s) = %s, %v; want %s", tc.at, got.In(loc).Format("2006-01-02 15:04"), ok, tc.want)
		}
	}
	if _, ok := tickets.NewCalendar(loc, nil, [7][]tickets.Span{}).NextOpen(time.Now()); ok {
		t.Error("a calendar never open has a next opening")
	}
}
