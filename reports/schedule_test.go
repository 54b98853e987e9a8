// SPDX-License-Identifier: Apache-2.0

package reports_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/reports"
	"github.com/hotline-cchc/hotline/tickets"
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

// delivery is one call of the fake Deliver.
type delivery struct {
	chat    int64
	file    string
	caption string
}

func TestMonthlyRunIsIdempotent(t *testing.T) {
	f := newFixture(t)
	f.ticket(t, "2026-10-15 09:00:00.000", 4, tickets.ChannelPhone, "0901000001", "")
	src := &countingSource{Source: f.db}
	now := f.at(t, "2026-11-01 07:00:00.000")
	var sent []delivery
	failFor := map[int64]bool{42: true}
	m := &reports.Monthly{
		Builder: &reports.Builder{Source: src, Menu: f.svc.Menu, Now: func() time.Time { return now }},
		Runs:    f.db, Dir: filepath.Join(t.TempDir(), "reports"), Format: reports.FormatHTML,
		Chats: []int64{-1001, 42}, Loc: f.loc, Now: func() time.Time { return now },
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Deliver: func(_ context.Context, chat int64, file, caption string) error {
			if failFor[chat] {
				return errors.New("telegram channel is off")
			}
			sent = append(sent, delivery{chat, file, caption})
			return nil
		},
	}
	ctx := context.Background()
	p := m.LastMonth()
	if got, want := p.Key(), "2026-10"; got != want {
		t.Fatalf("LastMonth = %s, want %s", got, want)
	}
	file := filepath.Join(m.Dir, "bao-cao-2026-10.html")

	// First run: the file is written, -1001 receives it, 42 fails.
	if err := m.Run(ctx, p); err == nil || !strings.Contains(err.Error(), "telegram channel is off") {
		t.Fatalf("first run: err = %v, want the failed delivery", err)
	}
	data, err := os.ReadFile(file)
	if err != nil || !strings.Contains(string(data), "Trong tháng 10/2026") {
		t.Fatalf("report file: %v", err)
	}
	want := []delivery{{-1001, file, "Báo cáo hoạt động Tổng đài cải cách hành chính tháng 10/2026"}}
	if !slices.Equal(sent, want) {
		t.Fatalf("deliveries = %v, want %v", sent, want)
	}
	reads := src.reads

	// A restart: only 42 is tried again, from the same file.
	failFor[42] = false
	if err := m.Run(ctx, p); err != nil {
		t.Fatal(err)
	}
	if want = append(want, delivery{42, file, want[0].caption}); !slices.Equal(sent, want) {
		t.Errorf("deliveries = %v, want %v", sent, want)
	}
	if src.reads != reads {
		t.Errorf("the report was built again although its file is there")
	}

	// Another restart: the run is complete, nothing happens.
	if err := m.Run(ctx, p); err != nil || len(sent) != 2 || src.reads != reads {
		t.Errorf("complete run repeated: err %v, %d deliveries, %d reads", err, len(sent), src.reads-reads)
	}

	// A lost file is written again, and not sent again.
	os.Remove(file)
	if err := m.Run(ctx, p); err != nil || len(sent) != 2 {
		t.Errorf("after losing the file: err %v, %d deliveries", err, len(sent))
	}
	if _, err := os.Stat(file); err != nil {
		t.Errorf("file not written again: %v", err)
	}
}

// Shutdown right after a report was sent (the run's context ends while the
// document is on its way) still records the delivery: the next start sends
// nothing twice.
func TestMonthlyRecordsDeliveryDuringShutdown(t *testing.T) {
	f := newFixture(t)
	now := f.at(t, "2026-11-01 07:00:00.000")
	ctx, shutdown := context.WithCancel(context.Background())
	sent := 0
	m := &reports.Monthly{
		Builder: &reports.Builder{Source: f.db, Menu: f.svc.Menu, Now: func() time.Time { return now }},
		Runs:    f.db, Dir: filepath.Join(t.TempDir(), "reports"), Format: reports.FormatCSV,
		Chats: []int64{-1001}, Loc: f.loc, Now: func() time.Time { return now },
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Deliver: func(context.Context, int64, string, string) error {
			sent++
			shutdown() // SIGTERM arrives as the send completes
			return nil
		},
	}
	p := m.LastMonth()
	if err := m.Run(ctx, p); err != nil {
		t.Fatalf("run: %v", err)
	}
	if err := m.Run(context.Background(), p); err != nil || sent != 1 {
		t.Fatalf("after a restart: err %v, %d sends, want 1", err, sent)
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
