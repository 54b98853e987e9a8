// SPDX-License-Identifier: Apache-2.0

package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/sqlite"
	"github.com/hotline-cchc/hotline/tickets/ticketstest"
	_ "github.com/mattn/go-sqlite3" // the "sqlite3" driver for the raw baselines
)

// The numbers these benchmarks print are kept, with the targets, in
// BENCHMARKS.md at the root of the repository. None of them is a timed
// assertion: nothing here fails on speed.

// benchText is a citizen's report of a typical length.
const benchText = "Tôi nộp hồ sơ cấp giấy phép xây dựng tại bộ phận một cửa từ ngày 12/10 " +
	"nhưng đến nay đã quá hạn hẹn trả kết quả mà chưa nhận được thông báo nào. " +
	"Đề nghị cơ quan kiểm tra và trả lời."

// rawDSN is the store's connection string (sqlite's unexported dsn for a
// writer): the baselines must pay for the same pragmas as the store.
func rawDSN(path string) string {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_synchronous", "FULL")
	q.Set("_foreign_keys", "on")
	q.Set("_busy_timeout", "5000")
	q.Set("_txlock", "immediate")
	q.Set("_cache_size", "-16000")
	q.Set("_secure_delete", "on")
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

// runWriters calls create b.N times in all from writers goroutines and
// reports the throughput in tickets per second.
func runWriters(b *testing.B, writers int, create func() error) {
	b.Helper()
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	b.ResetTimer()
	for range writers {
		wg.Go(func() {
			for next.Add(1) <= int64(b.N) {
				if err := create(); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tickets/s")
}

// BenchmarkCreateTicket opens tickets through tickets.Service, as every
// channel does: the ticket row, its history row and a fresh code, committed
// by the store's group-commit writer. Target: ≥ 5,000 tickets/s with 8
// writers on 2 cores.
func BenchmarkCreateTicket(b *testing.B) {
	for _, writers := range []int{8, 1} {
		b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
			svc, _ := ticketstest.Service(b)
			ctx := context.Background()
			branches := []int{1, 2, 4, 9}
			var n atomic.Int64
			runWriters(b, writers, func() error {
				i := n.Add(1)
				_, err := svc.Open(ctx, tickets.NewTicket{
					Branch: branches[i%int64(len(branches))], Channel: tickets.ChannelTelegram,
					Text: benchText, Contact: "0912345678", Actor: "telegram",
				})
				return err
			})
		})
	}
}

// BenchmarkBareInsert is the baseline of BenchmarkCreateTicket: the same
// ticket and history rows inserted by a naive program, one transaction per
// ticket, through the same connection string on a freshly migrated file.
func BenchmarkBareInsert(b *testing.B) {
	for _, writers := range []int{1, 8} {
		b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
			raw := openRaw(b, writers)
			ctx := context.Background()
			now := time.Date(2026, time.November, 2, 2, 0, 0, 0, time.UTC)
			at, deadline := now.Format(storeTime), now.AddDate(0, 0, 14).Format(storeTime)
			branches := []int{1, 2, 4, 9}
			depts := map[int]string{1: "so-noi-vu", 2: "so-tu-phap", 4: "van-phong-ubnd-tinh", 9: "so-noi-vu"}
			var n atomic.Int64
			runWriters(b, writers, func() error {
				br := branches[n.Add(1)%int64(len(branches))]
				return bareInsert(ctx, raw, br, depts[br], at, deadline)
			})
		})
	}
}

// openRaw migrates a fresh file with sqlite.Open, closes it and opens it
// again through database/sql alone, with at most conns connections.
func openRaw(tb testing.TB, conns int) *sql.DB {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "bare.db")
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		tb.Fatalf("migrate: %v", err)
	}
	if err := db.Close(); err != nil {
		tb.Fatalf("close store: %v", err)
	}
	raw, err := sql.Open("sqlite3", rawDSN(path))
	if err != nil {
		tb.Fatalf("open raw: %v", err)
	}
	raw.SetMaxOpenConns(conns)
	raw.SetMaxIdleConns(conns)
	tb.Cleanup(func() { raw.Close() })
	return raw
}

// bareInsert inserts one ticket and its history row in a transaction of
// their own, retrying on the rare taken code as the store does.
func bareInsert(ctx context.Context, raw *sql.DB, branch int, dept, at, deadline string) error {
	tx, err := raw.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var res sql.Result
	for range 8 {
		res, err = tx.ExecContext(ctx, `INSERT INTO tickets
			(code, branch, department, channel, status, text, contact, anonymous, recording, deadline, created_at, updated_at, resolved_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			tickets.NewCode(), branch, dept, tickets.ChannelTelegram, tickets.StatusNew, benchText, "0912345678",
			false, "", deadline, at, at, nil)
		if err == nil || !strings.Contains(err.Error(), "tickets.code") {
			break
		}
	}
	if err != nil {
		return err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO history
		(ticket_id, at, actor, action, from_status, to_status, from_department, to_department, note)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, at, "telegram", tickets.ActionCreate, "", tickets.StatusNew, "", dept, ""); err != nil {
		return err
	}
	return tx.Commit()
}

// storeTime is the store's text format of times.
const storeTime = "2006-01-02T15:04:05.000Z"

// The million-ticket fixture of BenchmarkDepartmentQueuePage. It is built
// once, in a minute or two, and kept in the system's temporary folder; bump
// the file's version when its shape changes.
const (
	fixtureName    = "hotline-bench-1m-v1.db"
	fixtureTickets = 1_000_000
	fixtureBatch   = 50_000 // rows per transaction while building
)

// BenchmarkDepartmentQueuePage reads one page of 50 of a department's work
// queue (its open tickets, newest first) in a store of a million tickets.
// Target: < 5 ms a page.
func BenchmarkDepartmentQueuePage(b *testing.B) {
	if testing.Short() {
		b.Skip("builds a million-ticket fixture; skipped in -short mode")
	}
	ctx := context.Background()
	path := millionTickets(b)
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		b.Fatalf("open fixture: %v", err)
	}
	b.Cleanup(func() { db.Close() })

	const dept = "so-noi-vu"
	middle := middleOfQueue(b, path, dept)
	for _, bb := range []struct {
		name string
		f    tickets.Filter
	}{
		{"first", tickets.Filter{Department: dept, Statuses: tickets.OpenStatuses, Limit: 50}},
		{"deep", tickets.Filter{Department: dept, Statuses: tickets.OpenStatuses, Limit: 50, After: middle}},
		{"resolved", tickets.Filter{Department: dept, Statuses: []tickets.Status{tickets.StatusResolved}, Limit: 50}},
	} {
		b.Run(bb.name, func(b *testing.B) {
			for b.Loop() {
				p, err := db.Tickets(ctx, bb.f)
				if err != nil {
					b.Fatal(err)
				}
				if len(p.Tickets) != 50 {
					b.Fatalf("%d tickets on the page, want 50", len(p.Tickets))
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1e3/float64(b.N), "ms/page")
		})
	}
}

// middleOfQueue returns the ID of the ticket halfway down dept's work queue.
func middleOfQueue(tb testing.TB, path, dept string) int64 {
	tb.Helper()
	raw, err := sql.Open("sqlite3", rawDSN(path)+"&_query_only=true")
	if err != nil {
		tb.Fatal(err)
	}
	defer raw.Close()
	var id int64
	err = raw.QueryRow(`SELECT id FROM tickets WHERE department = ? AND status IN ('new', 'assigned', 'in_progress')
		ORDER BY id DESC LIMIT 1 OFFSET (SELECT count(*) / 2 FROM tickets WHERE department = ?1 AND status IN ('new', 'assigned', 'in_progress'))`,
		dept).Scan(&id)
	if err != nil {
		tb.Fatalf("middle of the queue: %v", err)
	}
	return id
}

// millionTickets returns the path of the fixture, building it first unless a
// complete one at the current schema version is there.
func millionTickets(tb testing.TB) string {
	tb.Helper()
	path := filepath.Join(os.TempDir(), fixtureName)
	want := ticketstest.Open(tb).SchemaVersion()
	if fixtureOK(path, want) {
		return path
	}
	start := time.Now()
	tmp := path + ".building"
	removeDB(tmp)
	if err := buildFixture(tmp); err != nil {
		removeDB(tmp)
		tb.Fatalf("build fixture: %v", err)
	}
	removeDB(path)
	if err := os.Rename(tmp, path); err != nil {
		tb.Fatalf("build fixture: %v", err)
	}
	if !fixtureOK(path, want) {
		tb.Fatalf("fixture %s: built but not as expected", path)
	}
	tb.Logf("built %s (%d tickets) in %s", path, fixtureTickets, time.Since(start).Round(time.Second))
	return path
}

// fixtureOK reports whether path holds a complete fixture at schema version
// want, without migrating or otherwise touching it.
func fixtureOK(path string, want int) bool {
	if _, err := os.Stat(path); err != nil {
		return false
	}
	raw, err := sql.Open("sqlite3", rawDSN(path)+"&_query_only=true")
	if err != nil {
		return false
	}
	defer raw.Close()
	var version, ticketRows, historyRows int
	if raw.QueryRow("PRAGMA user_version").Scan(&version) != nil || version != want {
		return false
	}
	if raw.QueryRow("SELECT (SELECT count(*) FROM tickets), (SELECT count(*) FROM history)").Scan(&ticketRows, &historyRows) != nil {
		return false
	}
	return ticketRows == fixtureTickets && historyRows == fixtureTickets
}

func removeDB(path string) {
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(path + suffix)
	}
}

// buildFixture migrates a new file at path and fills it with a million
// tickets and their create entries, in a few large transactions.
//
// The tickets are spread evenly over the two years to 1 November 2026 with
// IDs in time order, over the branches of ticketstest.Menu (so Sở Nội vụ,
// behind branches 1 and 9, gets half of them). 85 % are done (closed 60 %,
// resolved 25 %) and 15 % open (new 5 %, assigned 4 %, in progress 6 %).
func buildFixture(path string) error {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		return err
	}
	if err := db.Close(); err != nil {
		return err
	}
	raw, err := sql.Open("sqlite3", rawDSN(path))
	if err != nil {
		return err
	}
	defer raw.Close()
	raw.SetMaxOpenConns(1)
	// The fixture can be rebuilt: no need for the store's durability here.
	if _, err := raw.Exec("PRAGMA synchronous = OFF; PRAGMA cache_size = -256000"); err != nil {
		return err
	}

	rng := rand.New(rand.NewPCG(2026, 11))
	branches := []struct {
		key  int
		dept string
	}{{1, "so-noi-vu"}, {2, "so-tu-phap"}, {4, "van-phong-ubnd-tinh"}, {9, "so-noi-vu"}}
	texts := []string{
		benchText,
		"Đường dây nóng không ai nghe máy vào giờ hành chính.",
		"Cán bộ tiếp nhận hồ sơ yêu cầu nộp thêm giấy tờ không có trong danh mục thủ tục đã công khai. " +
			"Đề nghị làm rõ căn cứ và hướng dẫn người dân.",
	}
	end := time.Date(2026, time.November, 1, 0, 0, 0, 0, time.UTC)
	begin := end.AddDate(-2, 0, 0)
	step := end.Sub(begin) / fixtureTickets
	seen := make(map[tickets.Code]struct{}, fixtureTickets)

	for first := 1; first <= fixtureTickets; first += fixtureBatch {
		tx, err := raw.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		insT, err := tx.PrepareContext(ctx, `INSERT INTO tickets
			(id, code, branch, department, channel, status, text, contact, anonymous, recording, deadline, created_at, updated_at, resolved_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			tx.Rollback()
			return err
		}
		insH, err := tx.PrepareContext(ctx, `INSERT INTO history
			(ticket_id, at, actor, action, from_status, to_status, from_department, to_department, note)
			VALUES (?, ?, ?, 'create', '', 'new', '', ?, '')`)
		if err != nil {
			tx.Rollback()
			return err
		}
		for id := first; id < first+fixtureBatch && id <= fixtureTickets; id++ {
			code := tickets.NewCode()
			for _, taken := seen[code]; taken; _, taken = seen[code] {
				code = tickets.NewCode()
			}
			seen[code] = struct{}{}
			br := branches[rng.IntN(len(branches))]
			ch := tickets.Channels[rng.IntN(len(tickets.Channels))]
			created := begin.Add(time.Duration(id) * step)
			status, resolved := fixtureStatus(rng, created)
			updated := created
			if !resolved.IsZero() {
				updated = resolved
			}
			var contact any = fmt.Sprintf("09%08d", rng.IntN(100_000_000))
			anonymous := rng.IntN(10) == 0
			if anonymous {
				contact = nil
			}
			recording := ""
			if ch == tickets.ChannelPhone {
				recording = fmt.Sprintf("call-%d.wav", id)
			}
			var resolvedAt any
			if !resolved.IsZero() {
				resolvedAt = resolved.Format(storeTime)
			}
			if _, err := insT.ExecContext(ctx, id, code, br.key, br.dept, ch, status, texts[rng.IntN(len(texts))],
				contact, anonymous, recording, created.AddDate(0, 0, 14).Format(storeTime),
				created.Format(storeTime), updated.Format(storeTime), resolvedAt); err != nil {
				tx.Rollback()
				return fmt.Errorf("ticket %d: %w", id, err)
			}
			if _, err := insH.ExecContext(ctx, id, created.Format(storeTime), string(ch), br.dept); err != nil {
				tx.Rollback()
				return fmt.Errorf("history %d: %w", id, err)
			}
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	// No ANALYZE: the store never runs it, so its planner works without
	// statistics in production too.
	if _, err := raw.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		return err
	}
	return nil
}

// fixtureStatus draws a status with the fixture's mix and, for a done
// ticket, when it was resolved.
func fixtureStatus(rng *rand.Rand, created time.Time) (tickets.Status, time.Time) {
	resolved := created.Add(time.Duration(1+rng.IntN(20*24)) * time.Hour)
	switch p := rng.IntN(100); {
	case p < 60:
		return tickets.StatusClosed, resolved
	case p < 85:
		return tickets.StatusResolved, resolved
	case p < 90:
		return tickets.StatusNew, time.Time{}
	case p < 94:
		return tickets.StatusAssigned, time.Time{}
	default:
		return tickets.StatusInProgress, time.Time{}
	}
}
