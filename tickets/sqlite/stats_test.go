// SPDX-License-Identifier: Apache-2.0

package sqlite_test

import (
	"bytes"
	"context"
	"os"
	"slices"
	"strconv"
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

// Chat activity is counted per channel over the local days a period covers,
// each chat once, and the table keeps no chat id.
func TestPeriodStatsChats(t *testing.T) {
	db := ticketstest.Open(t)
	ctx := context.Background()
	loc := ticketstest.Location(t)
	id := int64(0)
	act := func(ch tickets.Channel, chat string, day int, started bool) {
		t.Helper()
		id++
		c := &tickets.ChatCommit{Channel: ch, UpdateID: strconv.FormatInt(id, 10), Chat: chat, KeepState: true, At: time.Now(),
			Activity: &tickets.ChatActivity{Day: tickets.Date{Year: 2026, Month: time.October, Day: day}, Started: started}}
		if _, err := db.CommitChat(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	act(tickets.ChannelTelegram, "5550001", 1, true)
	act(tickets.ChannelTelegram, "5550001", 1, false)
	act(tickets.ChannelTelegram, "5550001", 3, true)
	act(tickets.ChannelTelegram, "5550002", 3, true)
	act(tickets.ChannelZalo, "5550001", 2, true)
	act(tickets.ChannelTelegram, "5550003", 4, true) // after every period below
	for _, tt := range []struct {
		name     string
		from, to time.Time
		want     []tickets.ChatCount
	}{
		{"OKWholeDays", time.Date(2026, time.October, 1, 0, 0, 0, 0, loc), time.Date(2026, time.October, 4, 0, 0, 0, 0, loc),
			[]tickets.ChatCount{{Channel: tickets.ChannelTelegram, Chats: 2, Conversations: 3}, {Channel: tickets.ChannelZalo, Chats: 1, Conversations: 1}}},
		{"OKPartDayCountsWhole", time.Date(2026, time.October, 2, 12, 0, 0, 0, loc), time.Date(2026, time.October, 3, 9, 0, 0, 0, loc),
			[]tickets.ChatCount{{Channel: tickets.ChannelTelegram, Chats: 2, Conversations: 2}, {Channel: tickets.ChannelZalo, Chats: 1, Conversations: 1}}},
		{"OKOneDay", time.Date(2026, time.October, 1, 0, 0, 0, 0, loc), time.Date(2026, time.October, 2, 0, 0, 0, 0, loc),
			[]tickets.ChatCount{{Channel: tickets.ChannelTelegram, Chats: 1, Conversations: 1}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, err := db.PeriodStats(ctx, tickets.StatsQuery{From: tt.from, To: tt.to, Loc: loc})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(s.Chats, tt.want) {
				t.Errorf("Chats = %+v, want %+v", s.Chats, tt.want)
			}
		})
	}
	raw, err := os.ReadFile(db.Path())
	if err != nil {
		t.Fatal(err)
	}
	wal, _ := os.ReadFile(db.Path() + "-wal")
	if bytes.Contains(raw, []byte("5550001")) || bytes.Contains(wal, []byte("5550001")) {
		t.Error("the database file holds a chat id of chat_activity")
	}
}
