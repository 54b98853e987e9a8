// SPDX-License-Identifier: Apache-2.0

package reports_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/reports"
	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/sqlite"
)

// countingSource counts the periods read, to tell a report built from one
// reused.
type countingSource struct {
	reports.Source
	reads int
}

func (c *countingSource) PeriodStats(ctx context.Context, q tickets.StatsQuery) (*tickets.PeriodStats, error) {
	c.reads++
	return c.Source.PeriodStats(ctx, q)
}

func newMonthly(t *testing.T, f *fixture, src reports.Source, now time.Time) *reports.Monthly {
	t.Helper()
	return &reports.Monthly{
		Builder: &reports.Builder{Source: src, Menu: f.svc.Menu, Now: func() time.Time { return now }},
		Runs:    f.db, Dir: filepath.Join(t.TempDir(), "reports"), Format: reports.FormatHTML,
		Chats: []int64{-1001, 42}, Channel: tickets.ChannelTelegram, Loc: f.loc, Now: func() time.Time { return now },
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
}

// A run writes the file once and queues it for each chat once, however
// many times it runs; a lost file is written again and not queued again.
func TestMonthlyRunIsIdempotent(t *testing.T) {
	f := newFixture(t)
	f.ticket(t, "2026-10-15 09:00:00.000", 4, tickets.ChannelPhone, "0901000001", "")
	src := &countingSource{Source: f.db}
	m := newMonthly(t, f, src, f.at(t, "2026-11-01 07:00:00.000"))
	ctx := context.Background()
	p := m.LastMonth()
	if got, want := p.Key(), "2026-10"; got != want {
		t.Fatalf("LastMonth = %s, want %s", got, want)
	}
	file := filepath.Join(m.Dir, "bao-cao-2026-10.html")
	if err := m.Run(ctx, p); err != nil {
		t.Fatal(err)
	}
	reads := src.reads
	if err := m.Run(ctx, p); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(file)
	if err != nil || !strings.Contains(string(data), "Trong tháng 10/2026") {
		t.Fatalf("report file: %v", err)
	}
	if src.reads != reads {
		t.Errorf("the report was built again although its file is there")
	}
	out, err := f.db.ListOutbox(ctx, sqlite.OutboxFilter{})
	if err != nil || len(out) != 2 {
		t.Fatalf("outbox = %d, %v; want one report per chat", len(out), err)
	}
	var rn tickets.ReportNotice
	if err := json.Unmarshal([]byte(out[0].Body), &rn); err != nil || rn.File != file ||
		rn.Caption != "Báo cáo hoạt động Tổng đài cải cách hành chính tháng 10/2026" || out[0].Kind != tickets.NoticeReport {
		t.Errorf("queued %+v (%v)", out[0], err)
	}
	os.Remove(file)
	if err := m.Run(ctx, p); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(file); err != nil {
		t.Errorf("file not written again: %v", err)
	}
	if out, _ := f.db.ListOutbox(ctx, sqlite.OutboxFilter{}); len(out) != 2 {
		t.Errorf("after losing the file the outbox has %d, want 2", len(out))
	}
}

// Every month missed since the last run is made, not only the latest; a
// fresh install makes only the month due.
func TestMonthlyMissed(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	m := newMonthly(t, f, f.db, f.at(t, "2026-11-01 07:00:00.000"))
	due := m.LastMonth()
	keys := func() string {
		t.Helper()
		ps, err := m.Missed(ctx, due)
		if err != nil {
			t.Fatal(err)
		}
		var ks []string
		for _, p := range ps {
			ks = append(ks, p.Key())
		}
		return strings.Join(ks, " ")
	}
	if got := keys(); got != "2026-10" {
		t.Errorf("fresh install: Missed = %s, want 2026-10", got)
	}
	if err := m.Run(ctx, due.Previous().Previous()); err != nil {
		t.Fatal(err)
	}
	if got := keys(); got != "2026-09 2026-10" {
		t.Errorf("after August's run: Missed = %s, want 2026-09 2026-10", got)
	}
}

// The last month ends at local midnight, not UTC midnight.
func TestMonthlyLastMonth(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct{ now, want string }{
		{"2026-11-01 00:00:00.000", "2026-10"},
		{"2026-10-31 23:59:59.999", "2026-09"},
		{"2027-01-01 07:00:00.000", "2026-12"},
	} {
		now := f.at(t, tc.now)
		m := &reports.Monthly{Loc: f.loc, Now: func() time.Time { return now }}
		if got := m.LastMonth().Key(); got != tc.want {
			t.Errorf("LastMonth at %s = %s, want %s", tc.now, got, tc.want)
		}
	}
}

// firstAt7 is the default schedule, 07:00 on the 1st, written out by hand.
func firstAt7(loc *time.Location) func(time.Time) time.Time {
	return func(t time.Time) time.Time {
		t = t.In(loc)
		at := time.Date(t.Year(), t.Month(), 1, 7, 0, 0, 0, loc)
		if !at.After(t) {
			at = at.AddDate(0, 1, 0)
		}
		return at
	}
}

func TestMonthlyDueMonth(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct{ now, want string }{
		{"2026-11-01 07:00:00.000", "2026-10"}, // the run is due now
		{"2026-11-22 08:00:00.000", "2026-10"}, // missed while down: made up
		{"2026-11-01 06:59:59.999", "2026-09"}, // October's run is not due yet
		{"2026-11-01 00:00:00.000", "2026-09"},
	} {
		now := f.at(t, tc.now)
		m := &reports.Monthly{Loc: f.loc, Now: func() time.Time { return now }}
		if got := m.DueMonth(firstAt7(f.loc)).Key(); got != tc.want {
			t.Errorf("DueMonth at %s = %s, want %s", tc.now, got, tc.want)
		}
	}
}
