// SPDX-License-Identifier: Apache-2.0

package reports_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/hotline-cchc/hotline/reports"
	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/sqlite"
)

// The schedule issues each month's report to the archive once; a lost file
// is written back from the archive, byte for byte, even after the tickets
// changed, and nothing new is issued.
func TestMonthlyIssuesToTheArchive(t *testing.T) {
	f := newFixture(t)
	f.ticket(t, "2026-10-15 09:00:00.000", 4, tickets.ChannelPhone, "0901000001", "")
	m := newMonthly(t, f, f.db, f.at(t, "2026-11-01 07:00:00.000"))
	m.Archive, m.Activity = f.db, f.db
	ctx := context.Background()
	p := m.LastMonth()
	if err := m.Run(ctx, p); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(m.Dir, "bao-cao-2026-10.html")
	written, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	list, err := f.db.IssuedReports(ctx)
	if err != nil || len(list) != 1 || list[0].Period != "2026-10" || list[0].Label != "tháng 10/2026" ||
		list[0].Source != tickets.ReportSourceSchedule || list[0].Format != "html" {
		t.Fatalf("archive = %+v, %v", list, err)
	}
	_, kept, err := f.db.IssuedReport(ctx, list[0].Number)
	if err != nil || !bytes.Equal(kept, written) {
		t.Fatalf("the archive does not hold the file's bytes (%v)", err)
	}
	f.ticket(t, "2026-10-20 09:00:00.000", 4, tickets.ChannelPhone, "0901000002", "")
	os.Remove(file)
	if err := m.Run(ctx, p); err != nil {
		t.Fatal(err)
	}
	if again, err := os.ReadFile(file); err != nil || !bytes.Equal(again, written) {
		t.Errorf("the lost file was not written back from the archive (%v)", err)
	}
	if list, _ := f.db.IssuedReports(ctx); len(list) != 1 {
		t.Errorf("archive has %d reports after the file was lost, want 1", len(list))
	}
	if out, _ := f.db.ListOutbox(ctx, sqlite.OutboxFilter{}); len(out) != 2 {
		t.Errorf("outbox has %d, want one report per chat", len(out))
	}
}

// No report is made for a month that ends before the first ticket or call:
// not on an empty store, not for the month before the first call.
func TestMonthlySkipsMonthsBeforeTheFirstActivity(t *testing.T) {
	f := newFixture(t)
	m := newMonthly(t, f, f.db, f.at(t, "2026-11-01 07:00:00.000"))
	m.Archive, m.Activity = f.db, f.db
	ctx := context.Background()
	october := m.LastMonth()
	check := func(p reports.Period, made bool) {
		t.Helper()
		if err := m.Run(ctx, p); err != nil {
			t.Fatal(err)
		}
		_, err := os.Stat(filepath.Join(m.Dir, "bao-cao-"+p.Key()+".html"))
		if made != (err == nil) {
			t.Errorf("%s: report made = %v, want %v", p.Key(), err == nil, made)
		}
		_, err = f.db.ReportRun(ctx, p.Key(), "html")
		if made != (err == nil) {
			t.Errorf("%s: run recorded = %v, want %v", p.Key(), err == nil, made)
		}
	}
	check(october, false)
	if out, _ := f.db.ListOutbox(ctx, sqlite.OutboxFilter{}); len(out) != 0 {
		t.Errorf("an empty store queued %d reports", len(out))
	}
	f.call(t, "2026-10-31 23:59:00.000", 1, tickets.OutcomeOperator, "0901000003")
	check(october.Previous(), false)
	check(october, true)
}
