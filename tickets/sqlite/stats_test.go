// SPDX-License-Identifier: Apache-2.0

package sqlite_test

import (
	"context"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/ticketstest"
)

// Local hours follow the location's offset on each side of a change: in
// Berlin on 29/03/2026 clocks jump from 02:00 to 03:00.
func TestPeriodStatsLocalHoursAcrossOffsetChange(t *testing.T) {
	db := ticketstest.Open(t)
	ctx := context.Background()
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	for _, utc := range []string{"2026-03-28T22:59:59.999Z", "2026-03-29T00:30:00Z", "2026-03-29T01:30:00Z", "2026-03-29T21:59:59.999Z", "2026-03-29T22:00:00Z"} {
		at, _ := time.Parse(time.RFC3339, utc)
		if err := db.CreateCall(ctx, &tickets.Call{ChannelID: utc, StartedAt: at, Branch: 4, Outcome: tickets.OutcomeTicket}); err != nil {
			t.Fatal(err)
		}
	}
	from := time.Date(2026, time.March, 29, 0, 0, 0, 0, berlin)
	s, err := db.PeriodStats(ctx, tickets.StatsQuery{From: from, To: from.AddDate(0, 0, 1), Loc: berlin})
	if err != nil {
		t.Fatal(err)
	}
	got := map[int]int{}
	for _, c := range s.CallHours {
		if c.Day != (tickets.Date{Year: 2026, Month: time.March, Day: 29}) {
			t.Errorf("call on %s, want 2026-03-29", c.Day)
		}
		got[c.Hour] += c.N
	}
	// 00:30Z is 01:30 CET; 01:30Z is 03:30 CEST; 21:59:59.999Z is 23:59:59.999 CEST.
	want := map[int]int{1: 1, 3: 1, 23: 1}
	if len(got) != len(want) || got[1] != 1 || got[3] != 1 || got[23] != 1 {
		t.Errorf("calls by local hour = %v, want %v", got, want)
	}
}

func TestPeriodStatsErrEmptyPeriod(t *testing.T) {
	db := ticketstest.Open(t)
	now := time.Now()
	if _, err := db.PeriodStats(context.Background(), tickets.StatsQuery{From: now, To: now, Loc: time.UTC}); tickets.ErrorCode(err) != tickets.EINVALID {
		t.Errorf("err = %v, want EINVALID", err)
	}
}

func TestReportRuns(t *testing.T) {
	db := ticketstest.Open(t)
	ctx := context.Background()
	at := time.Date(2026, time.November, 1, 0, 0, 0, 0, time.UTC)
	t.Run("ErrNotFound", func(t *testing.T) {
		if _, err := db.ReportRun(ctx, "2026-10", "html"); tickets.ErrorCode(err) != tickets.ENOTFOUND {
			t.Errorf("ReportRun = %v, want ENOTFOUND", err)
		}
		if err := db.RecordDelivery(ctx, "2026-10", "html", 1, at, ""); tickets.ErrorCode(err) != tickets.ENOTFOUND {
			t.Errorf("RecordDelivery = %v, want ENOTFOUND", err)
		}
	})
	t.Run("OK", func(t *testing.T) {
		if err := db.SaveReportRun(ctx, &tickets.ReportRun{Period: "2026-10", Format: "html", File: "/x/a.html", CreatedAt: at}); err != nil {
			t.Fatal(err)
		}
		steps := []struct {
			chat    int64
			failure string
		}{{-1001, "telegram channel is off"}, {42, ""}, {-1001, ""}, {42, "later failure"}}
		for i, s := range steps {
			if err := db.RecordDelivery(ctx, "2026-10", "html", s.chat, at.Add(time.Duration(i)*time.Hour), s.failure); err != nil {
				t.Fatal(err)
			}
		}
		// Saving the run again (a rewritten file) keeps the deliveries.
		if err := db.SaveReportRun(ctx, &tickets.ReportRun{Period: "2026-10", Format: "html", File: "/x/b.html", CreatedAt: at}); err != nil {
			t.Fatal(err)
		}
		r, err := db.ReportRun(ctx, "2026-10", "html")
		if err != nil {
			t.Fatal(err)
		}
		if r.File != "/x/b.html" || !r.CreatedAt.Equal(at) {
			t.Errorf("run = %+v", r)
		}
		// 42 stays sent at its first success; -1001 is sent at its second attempt.
		if got, want := r.Sent[42], at.Add(time.Hour); !got.Equal(want) || len(r.Sent) != 2 {
			t.Errorf("sent = %v, want 42 at %s", r.Sent, want)
		}
		if got, want := r.Sent[-1001], at.Add(2*time.Hour); !got.Equal(want) {
			t.Errorf("sent to -1001 at %s, want %s", got, want)
		}
	})
}
