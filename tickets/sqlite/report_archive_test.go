// SPDX-License-Identifier: Apache-2.0

package sqlite_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/ticketstest"
)

func issued(period, format string, replaces int64) tickets.IssuedReport {
	return tickets.IssuedReport{Period: period, Label: "tháng 10/2026", Format: format, Source: tickets.ReportSourceCommand,
		IssuedAt: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), Replaces: replaces}
}

// Issued reports get numbers in order, keep their bytes and hash, and say
// which they replace and are replaced by.
func TestIssueReport(t *testing.T) {
	db := ticketstest.Open(t)
	ctx := context.Background()
	body := []byte("Báo cáo tháng 10/2026\n")
	first, err := db.IssueReport(ctx, issued("2026-10", "csv", 0), body)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(body)
	if first.Number != 1 || first.SHA256 != hex.EncodeToString(sum[:]) || first.Size != int64(len(body)) {
		t.Errorf("first = %+v", first)
	}
	second, err := db.IssueReport(ctx, issued("2026-10", "csv", 1), []byte("corrected"))
	if err != nil || second.Number != 2 || second.Replaces != 1 {
		t.Fatalf("correction = %+v, %v", second, err)
	}
	list, err := db.IssuedReports(ctx)
	if err != nil || len(list) != 2 || list[0].ReplacedBy != 2 || list[1].Replaces != 1 || list[0].Label != "tháng 10/2026" ||
		!list[0].IssuedAt.Equal(first.IssuedAt) {
		t.Fatalf("IssuedReports = %+v, %v", list, err)
	}
	got, b, err := db.IssuedReport(ctx, 1)
	if err != nil || !bytes.Equal(b, body) || got.ReplacedBy != 2 {
		t.Errorf("IssuedReport(1) = %+v, %q, %v", got, b, err)
	}
	t.Run("ErrAlreadyReplaced", func(t *testing.T) {
		_, err := db.IssueReport(ctx, issued("2026-10", "csv", 1), body)
		if tickets.ErrorCode(err) != tickets.ECONFLICT || !strings.Contains(tickets.ErrorMessage(err), "replaced by number 2") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("ErrOtherPeriod", func(t *testing.T) {
		if _, err := db.IssueReport(ctx, issued("2026-09", "csv", 2), body); tickets.ErrorCode(err) != tickets.EINVALID {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("ErrNoSuchReport", func(t *testing.T) {
		if _, err := db.IssueReport(ctx, issued("2026-10", "csv", 9), body); tickets.ErrorCode(err) != tickets.ENOTFOUND {
			t.Errorf("IssueReport: %v", err)
		}
		if _, _, err := db.IssuedReport(ctx, 9); tickets.ErrorCode(err) != tickets.ENOTFOUND {
			t.Errorf("IssuedReport: %v", err)
		}
	})
	t.Run("LastIssued", func(t *testing.T) {
		r, b, err := db.LastIssued(ctx, "2026-10", "csv", tickets.ReportSourceCommand)
		if err != nil || r.Number != 2 || string(b) != "corrected" {
			t.Errorf("LastIssued = %+v, %q, %v", r, b, err)
		}
		if _, _, err := db.LastIssued(ctx, "2026-10", "csv", tickets.ReportSourceSchedule); tickets.ErrorCode(err) != tickets.ENOTFOUND {
			t.Errorf("LastIssued of the schedule: %v", err)
		}
	})
}

// The database itself refuses to change or remove an issued report, and a
// report whose bytes were changed behind its back is refused on reading.
func TestIssuedReportNeverChanges(t *testing.T) {
	db := ticketstest.Open(t)
	ctx := context.Background()
	if _, err := db.IssueReport(ctx, issued("2026-10", "html", 0), []byte("<p>1</p>")); err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite3", db.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, stmt := range []string{`UPDATE issued_reports SET body = x'00'`, `DELETE FROM issued_reports`} {
		if _, err := raw.Exec(stmt); err == nil || !strings.Contains(err.Error(), "an issued report is never") {
			t.Errorf("%s: %v, want a refusal", stmt, err)
		}
	}
	if _, err := raw.Exec(`DROP TRIGGER issued_reports_no_update; UPDATE issued_reports SET body = x'00'`); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.IssuedReport(ctx, 1); err == nil || !strings.Contains(err.Error(), "do not match the SHA-256") {
		t.Errorf("IssuedReport of altered bytes: %v", err)
	}
}

// FirstActivity is the earlier of the first ticket and the first call.
func TestFirstActivity(t *testing.T) {
	db := ticketstest.Open(t)
	ctx := context.Background()
	if first, err := db.FirstActivity(ctx); err != nil || !first.IsZero() {
		t.Fatalf("FirstActivity of an empty store = %v, %v", first, err)
	}
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	if err := db.CreateCall(ctx, &tickets.Call{ChannelID: "c1", StartedAt: at, Branch: 1}); err != nil {
		t.Fatal(err)
	}
	if first, err := db.FirstActivity(ctx); err != nil || !first.Equal(at) {
		t.Errorf("FirstActivity = %v, %v; want %v", first, err, at)
	}
}
