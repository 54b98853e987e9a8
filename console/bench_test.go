// SPDX-License-Identifier: Apache-2.0

package console_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3" // the fixture is filled with raw SQL

	"github.com/hotline-cchc/hotline/console"
	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/sqlite"
	"github.com/hotline-cchc/hotline/tickets/ticketstest"
)

// benchTickets is the size of the console benchmarks' store.
const benchTickets = 1_000_000

// benchStore returns a store of a million tickets, built once (in seconds,
// with one INSERT … SELECT) into the system's temporary folder and reused
// while its schema version is current. The tickets span two years to
// 2 November 2026, IDs in time order, over branches 1, 2, 4 and 9 (so Sở
// Nội vụ has half); 85 % are done, 15 % open (new 5 %, assigned 4 %, in
// progress 6 %), and the open ones are due 14 days after they came. Each
// has an answer in the outbox, sent, but for one open ticket in ten, whose
// answer failed (the citizen blocked the bot).
func benchStore(b *testing.B) *sqlite.DB {
	b.Helper()
	ctx := context.Background()
	want := ticketstest.Open(b).SchemaVersion()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("hotline-bench-console-1m-s%d-o.db", want))
	if _, err := os.Stat(path); err != nil {
		start := time.Now()
		if err := buildBenchStore(ctx, path+".building"); err != nil {
			b.Fatalf("build fixture: %v", err)
		}
		if err := os.Rename(path+".building", path); err != nil {
			b.Fatal(err)
		}
		b.Logf("built %s in %s", path, time.Since(start).Round(time.Second))
	}
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

func buildBenchStore(ctx context.Context, path string) error {
	for _, s := range []string{"", "-wal", "-shm"} {
		os.Remove(path + s)
	}
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		return err
	}
	db.Close()
	raw, err := sql.Open("sqlite3", "file:"+path+"?_journal_mode=WAL&_synchronous=OFF")
	if err != nil {
		return err
	}
	defer raw.Close()
	// Two years in milliseconds, spread over the IDs.
	_, err = raw.ExecContext(ctx, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?),
		r AS (SELECT i, (i * 7919) % 100 AS p, 1730419200000 + i * 63072 AS ms,
			CASE i % 4 WHEN 0 THEN 1 WHEN 1 THEN 2 WHEN 2 THEN 4 ELSE 9 END AS branch FROM n)
		INSERT INTO tickets (id, code, branch, department, channel, status, text, contact, anonymous, deadline, created_at, updated_at)
		SELECT i, printf('%09d', i), branch,
			CASE branch WHEN 2 THEN 'so-tu-phap' WHEN 4 THEN 'van-phong-ubnd-tinh' ELSE 'so-noi-vu' END,
			'telegram',
			CASE WHEN p < 5 THEN 'new' WHEN p < 9 THEN 'assigned' WHEN p < 15 THEN 'in_progress' WHEN p < 40 THEN 'resolved' ELSE 'closed' END,
			'Phản ánh số ' || i, '5550' || i, 0,
			strftime('%Y-%m-%dT%H:%M:%fZ', (ms + 14 * 86400000) / 1000.0, 'unixepoch'),
			strftime('%Y-%m-%dT%H:%M:%fZ', ms / 1000.0, 'unixepoch'),
			strftime('%Y-%m-%dT%H:%M:%fZ', ms / 1000.0, 'unixepoch')
		FROM r`, benchTickets)
	if err != nil {
		return err
	}
	_, err = raw.ExecContext(ctx, `INSERT INTO outbox (ticket_id, channel, recipient, kind, priority, state,
			created_at, next_attempt_at, done_at, error_class)
		SELECT id, 'telegram', contact, 'answer', 1, iif(failed, 'failed', 'sent'), created_at, created_at, updated_at,
			iif(failed, 'blocked', '')
		FROM (SELECT *, status IN ('new', 'assigned', 'in_progress') AND id % 10 = 0 AS failed FROM tickets)`)
	if err != nil {
		return err
	}
	_, err = raw.ExecContext(ctx, "ANALYZE")
	return err
}

// BenchmarkQueueDelivery reads the first page of a focal point's queue from
// the store, then the delivery problems of its tickets, as the console's
// queue does, over the store of BenchmarkQueue; it reports the median of
// each read, timed in the same iterations, so that the page alone is the
// baseline of the same run.
func BenchmarkQueueDelivery(b *testing.B) {
	if testing.Short() {
		b.Skip("builds a million-ticket store; skipped in -short mode")
	}
	ctx := context.Background()
	db := benchStore(b)
	f := tickets.QueueFilter{Department: "so-noi-vu", Now: time.Date(2026, 11, 2, 2, 0, 0, 0, time.UTC)}
	var queue, delivery []time.Duration
	for b.Loop() {
		start := time.Now()
		p, err := db.Queue(ctx, f)
		if err != nil || len(p.Tickets) == 0 {
			b.Fatal(p, err)
		}
		mid := time.Now()
		codes := make([]tickets.Code, len(p.Tickets))
		for i, t := range p.Tickets {
			codes[i] = t.Code
		}
		if ps, err := db.DeliveryProblems(ctx, codes...); err != nil || len(ps) == 0 {
			b.Fatal(ps, err)
		}
		queue, delivery = append(queue, mid.Sub(start)), append(delivery, time.Since(mid))
	}
	for name, ts := range map[string][]time.Duration{"queue-p50-ms": queue, "delivery-p50-ms": delivery} {
		slices.Sort(ts)
		b.ReportMetric(float64(ts[len(ts)/2].Microseconds())/1e3, name)
	}
}

// BenchmarkQueue serves a focal point's queue page and the API's list call,
// first page and a deep one, over a million tickets, and reports the 99th
// percentile of the request times. Target: p99 < 50 ms.
func BenchmarkQueue(b *testing.B) {
	if testing.Short() {
		b.Skip("builds a million-ticket store; skipped in -short mode")
	}
	ctx := context.Background()
	db := benchStore(b)
	now := time.Date(2026, 11, 2, 2, 0, 0, 0, time.UTC)
	u := &tickets.User{Name: fmt.Sprintf("bench%d", time.Now().UnixNano()), Role: tickets.RoleFocal, Department: "so-noi-vu", PasswordHash: "x", CreatedAt: now}
	if err := db.CreateUser(ctx, u); err != nil {
		b.Fatal(err)
	}
	secret, hash := console.NewSecret("")
	token, thash := console.NewSecret(console.TokenPrefix)
	if err := db.CreateSession(ctx, tickets.Session{Hash: hash, UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		b.Fatal(err)
	}
	if err := db.CreateToken(ctx, u.ID, thash, now); err != nil {
		b.Fatal(err)
	}
	svc := &tickets.Service{Store: db, Menu: ticketstest.Menu(b), Calendar: ticketstest.Calendar(b)}
	srv, err := console.New(console.Config{Store: db, Service: svc, Menu: svc.Menu, Now: func() time.Time { return now }})
	if err != nil {
		b.Fatal(err)
	}
	deep := middleCursor(b, db, now)
	for _, bb := range []struct{ name, target string }{
		{"page/first", "/"},
		{"page/deep", "/?after=" + deep},
		{"api/first", "/api/v1/tickets"},
		{"api/deep", "/api/v1/tickets?after=" + deep},
	} {
		b.Run(bb.name, func(b *testing.B) {
			var times []time.Duration
			for b.Loop() {
				r := httptest.NewRequest("GET", bb.target, nil)
				r.AddCookie(&http.Cookie{Name: "hotline_session", Value: secret})
				r.Header.Set("Authorization", "Bearer "+token)
				w := httptest.NewRecorder()
				start := time.Now()
				srv.ServeHTTP(w, r)
				times = append(times, time.Since(start))
				if w.Code != http.StatusOK {
					b.Fatalf("status %d", w.Code)
				}
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1e3, "p99-ms")
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1e3, "p50-ms")
		})
	}
}

// middleCursor walks half-way down so-noi-vu's queue, in big pages, and
// returns the cursor there.
func middleCursor(b *testing.B, db *sqlite.DB, now time.Time) string {
	b.Helper()
	f := tickets.QueueFilter{Department: "so-noi-vu", Now: now, Limit: tickets.MaxPageSize}
	var pages []tickets.QueueCursor
	for {
		p, err := db.Queue(context.Background(), f)
		if err != nil {
			b.Fatal(err)
		}
		if p.Next.IsZero() {
			break
		}
		pages = append(pages, p.Next)
		f.After = p.Next
	}
	if len(pages) == 0 {
		b.Fatal("the queue has one page")
	}
	return pages[len(pages)/2].String()
}
