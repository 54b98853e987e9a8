// SPDX-License-Identifier: Apache-2.0

package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/sqlite"
	"github.com/hotline-cchc/hotline/tickets/ticketstest"
)

// The reminder pass reads the queue of due tickets by its index and each
// ticket by its key: never a scan of the tickets.
func TestReminderScanUsesIndex(t *testing.T) {
	db := ticketstest.Open(t)
	plan, err := db.ReminderScanPlan(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(plan, "\n")
	if !strings.Contains(text, "USING COVERING INDEX reminder_queue_due (next_at<?)") && !strings.Contains(text, "USING INDEX reminder_queue_due (next_at<?)") {
		t.Errorf("the reminder scan does not search reminder_queue_due:\n%s", text)
	}
	if !strings.Contains(text, "SEARCH t USING INTEGER PRIMARY KEY") || strings.Contains(text, "SCAN") {
		t.Errorf("the reminder scan scans:\n%s", text)
	}
}

var benchPolicy = tickets.ReminderPolicy{Shares: []int{50, 75}}

// reminderPass is the store's side of one reminder pass at now: the due
// tickets in batches, their levels decided, recorded with one console
// notice and one outbox message each. It returns the tickets looked at.
func reminderPass(tb testing.TB, db *sqlite.DB, now time.Time, user int64) int {
	ctx := context.Background()
	seen := 0
	for {
		ts, err := db.ReminderTickets(ctx, now, 500)
		if err != nil {
			tb.Fatal(err)
		}
		if len(ts) == 0 {
			return seen
		}
		var us []tickets.ReminderUpdate
		for _, t := range ts {
			u := tickets.ReminderUpdate{Ticket: t.ID}
			if !t.Gone {
				var due []tickets.ReminderStep
				due, u.NextAt = benchPolicy.Due(t.CreatedAt, t.Deadline, now)
				for i, s := range due {
					nr := tickets.NewReminder{Level: s.Level, Department: t.Department, DueAt: s.At}
					if s.Level.Share() == 0 || i == len(due)-1 { // as cmd/hotline tells them
						nr.Users = []int64{user}
						nr.Notices = []tickets.Notice{{Recipient: tickets.Recipient{Channel: tickets.ChannelMail, ID: "cb@tinh.gov.vn"},
							Kind: tickets.NoticeMail, Body: "{}", Key: "r:" + string(t.Code) + ":" + string(s.Level) + ":" + now.String()}}
					}
					u.New = append(u.New, nr)
				}
			}
			us = append(us, u)
		}
		if _, err := db.SaveReminders(ctx, now, us); err != nil {
			tb.Fatal(err)
		}
		seen += len(ts)
		if len(ts) < 500 {
			return seen
		}
	}
}

// BenchmarkReminderPass runs the reminder pass over the million-ticket
// fixture (150,000 open): once to catch up (every open ticket looked at, as
// at the first start after migration 0009), then a pass a minute of the
// clock, which reads only the tickets whose next level came in that minute
// (none: the fixture's open tickets are all overdue once caught up), and a
// pass with 100 and with 1,000 tickets due (their levels forgotten and the
// tickets queued again before the pass, off the clock).
// The baseline is the pass without the queue: reading every open ticket to
// find the due ones. Target: < 200 ms a pass.
func BenchmarkReminderPass(b *testing.B) {
	if testing.Short() {
		b.Skip("builds a million-ticket fixture; skipped in -short mode")
	}
	path := copyFixture(b, millionTickets(b))
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	u := &tickets.User{Name: "cb1", Role: tickets.RoleFocal, Department: "so-noi-vu", PasswordHash: "x", Email: "cb@tinh.gov.vn"}
	if err := db.CreateUser(context.Background(), u); err != nil {
		b.Fatal(err)
	}
	now := time.Now().UTC()
	start := time.Now()
	n := reminderPass(b, db, now, u.ID)
	b.Logf("catch-up pass: %d open tickets in %s", n, time.Since(start).Round(time.Millisecond))
	b.Run("pass", func(b *testing.B) {
		looked := 0
		for b.Loop() {
			now = now.Add(time.Minute)
			looked += reminderPass(b, db, now, u.ID)
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/1e3/float64(b.N), "ms/pass")
		b.ReportMetric(float64(looked)/float64(b.N), "tickets/pass")
	})
	raw, err := sql.Open("sqlite3", rawDSN(path))
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Close()
	ids := openIDs(b, raw)
	next := 0
	for _, due := range []int{100, 1000} {
		b.Run(fmt.Sprintf("pass_%d_due", due), func(b *testing.B) {
			looked := 0
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				rearm(b, raw, ids, next%len(ids), due)
				next += due
				now = now.Add(time.Minute)
				b.StartTimer()
				looked += reminderPass(b, db, now, u.ID)
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1e3/float64(b.N), "ms/pass")
			b.ReportMetric(float64(looked)/float64(b.N), "tickets/pass")
		})
	}
	b.Run("baseline_open_scan", func(b *testing.B) {
		raw, err := sql.Open("sqlite3", rawDSN(path)+"&_query_only=true")
		if err != nil {
			b.Fatal(err)
		}
		defer raw.Close()
		for b.Loop() {
			openScan(b, raw, now)
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/1e3/float64(b.N), "ms/pass")
	})
}

// openIDs returns the ids of the open tickets.
func openIDs(b *testing.B, raw *sql.DB) []int64 {
	rows, err := raw.Query(`SELECT id FROM tickets WHERE status IN ('new', 'assigned', 'in_progress')`)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			b.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

// rearm renames the levels recorded for n tickets of ids from from, and
// queues the tickets again, as if their levels had just come.
func rearm(b *testing.B, raw *sql.DB, ids []int64, from, n int) {
	tx, err := raw.Begin()
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	for _, id := range ids[from:min(from+n, len(ids))] {
		if _, err := tx.Exec(`UPDATE reminders SET level = level || ':' || id WHERE ticket_id = ?`, id); err != nil {
			b.Fatal(err)
		}
		if _, err := tx.Exec(`INSERT OR REPLACE INTO reminder_queue (ticket_id, next_at) VALUES (?, '')`, id); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}

// openScan reads every open ticket's times and decides which are due.
func openScan(b *testing.B, raw *sql.DB, now time.Time) {
	rows, err := raw.Query(`SELECT id, created_at, deadline FROM tickets WHERE status IN ('new', 'assigned', 'in_progress')`)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	due := 0
	for rows.Next() {
		var id int64
		var c, d string
		if err := rows.Scan(&id, &c, &d); err != nil {
			b.Fatal(err)
		}
		ct, _ := time.Parse(storeTime, c)
		dt, _ := time.Parse(storeTime, d)
		if steps, _ := benchPolicy.Due(ct, dt, now); len(steps) > 0 {
			due++
		}
	}
}

// copyFixture copies the fixture into the test's folder: the pass writes.
func copyFixture(tb testing.TB, path string) string {
	tb.Helper()
	dst := filepath.Join(tb.TempDir(), "hotline.db")
	in, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		tb.Fatal(err)
	}
	if err := out.Close(); err != nil {
		tb.Fatal(err)
	}
	return dst
}
