// SPDX-License-Identifier: Apache-2.0

package sqlite

// The report benchmark lives here, inside the package, so that its bare-SQL
// baseline runs the very statements PeriodStats runs. Only this test file
// imports reports; the package itself does not.

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/reports"
	"github.com/hotline-cchc/hotline/tickets"
)

const (
	reportFixtureTickets = 1_000_000
	reportFixtureCalls   = 2_000_000
	// The fixture spans the three years to 1 November 2026 (UTC).
	reportFixtureBegin = "2023-11-01T00:00:00Z"
	reportFixtureEnd   = "2026-11-01T00:00:00Z"
)

// reportFixture returns a store of a million tickets and two million calls,
// built once with bulk SQL into os.TempDir() and reused while its schema
// version and row counts still match.
func reportFixture(tb testing.TB) string {
	tb.Helper()
	if testing.Short() {
		tb.Skip("builds a store of 3 million rows")
	}
	ms, err := migrations()
	if err != nil {
		tb.Fatal(err)
	}
	path := filepath.Join(os.TempDir(), fmt.Sprintf("hotline-reports-bench-v3-schema%d.db", len(ms)))
	if reportFixtureOK(path) {
		return path
	}
	start := time.Now()
	tmp := path + ".building"
	removeFiles(tmp)
	if err := buildReportFixture(tmp); err != nil {
		removeFiles(tmp)
		tb.Fatalf("build report fixture: %v", err)
	}
	removeFiles(path)
	if err := os.Rename(tmp, path); err != nil || !reportFixtureOK(path) {
		tb.Fatalf("build report fixture %s: %v", path, err)
	}
	tb.Logf("built %s in %s", path, time.Since(start).Round(time.Second))
	return path
}

func removeFiles(path string) {
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(path + suffix)
	}
}

func reportFixtureOK(path string) bool {
	if _, err := os.Stat(path); err != nil {
		return false
	}
	raw, err := sql.Open("sqlite3", dsn(path, true))
	if err != nil {
		return false
	}
	defer raw.Close()
	var nt, nc int
	if raw.QueryRow("SELECT (SELECT count(*) FROM tickets), (SELECT count(*) FROM calls)").Scan(&nt, &nc) != nil {
		return false
	}
	return nt == reportFixtureTickets && nc == reportFixtureCalls
}

// buildReportFixture migrates a new file and fills it in two statements.
// Rows are spread evenly over the three years, in time order; a
// multiplicative hash of the id draws the branch (1–9, or 0 for a call),
// the channel, the outcome, the status and the time to resolve (1 to 480
// hours). Tickets older than 30 days are 97 % done; newer ones 50 %. The
// deadline is 14 days after creation.
func buildReportFixture(path string) error {
	ctx := context.Background()
	db, err := Open(ctx, path)
	if err != nil {
		return err
	}
	if err := db.Close(); err != nil {
		return err
	}
	raw, err := sql.Open("sqlite3", dsn(path, false))
	if err != nil {
		return err
	}
	defer raw.Close()
	raw.SetMaxOpenConns(1)
	begin, _ := time.Parse(time.RFC3339, reportFixtureBegin)
	end, _ := time.Parse(time.RFC3339, reportFixtureEnd)
	span := end.Sub(begin).Seconds()
	const ts = `strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ', ` // inside Sprintf formats
	stmts := []string{
		"PRAGMA synchronous = OFF",
		"BEGIN",
		fmt.Sprintf(`WITH RECURSIVE n(id) AS (SELECT 1 UNION ALL SELECT id + 1 FROM n WHERE id < %[1]d),
			h AS (SELECT id, (id * 2654435761) %% 4294967296 AS h, %[2]d + id * %[3]f AS t FROM n),
			d AS (SELECT id, h, t, 1 + h %% 9 AS branch, (h / 9) %% 5 AS ch, (h / 45) %% 100 AS r,
				(1 + (h / 4500) %% 480) * 3600 AS took, t < %[4]d - 30 * 86400 AS old FROM h)
			INSERT INTO tickets (id, code, branch, department, channel, status, text, contact, anonymous, recording,
				deadline, created_at, updated_at, resolved_at)
			SELECT id, printf('%%09d', id), branch,
				CASE branch WHEN 2 THEN 'so-tu-phap' WHEN 4 THEN 'van-phong-ubnd-tinh' WHEN 8 THEN 'van-phong-ubnd-tinh'
					WHEN 6 THEN 'so-tai-chinh' WHEN 7 THEN 'so-thong-tin-truyen-thong' ELSE 'so-noi-vu' END,
				CASE ch WHEN 0 THEN 'phone' WHEN 1 THEN 'telegram' WHEN 2 THEN 'zalo' WHEN 3 THEN 'web' ELSE 'operator' END,
				CASE WHEN r < (CASE WHEN old THEN 97 ELSE 50 END) THEN (CASE WHEN r < 60 THEN 'closed' ELSE 'resolved' END)
					ELSE (CASE r %% 3 WHEN 0 THEN 'new' WHEN 1 THEN 'assigned' ELSE 'in_progress' END) END,
				'Phản ánh', '09' || printf('%%08d', h %% 100000000), 0, '',
				`+ts+`t + 14 * 86400, 'unixepoch'), `+ts+`t, 'unixepoch'), `+ts+`t, 'unixepoch'),
				CASE WHEN r < (CASE WHEN old THEN 97 ELSE 50 END) THEN `+ts+`t + took, 'unixepoch') END
			FROM d`, reportFixtureTickets, begin.Unix(), span/reportFixtureTickets, end.Unix()),
		fmt.Sprintf(`WITH RECURSIVE n(id) AS (SELECT 1 UNION ALL SELECT id + 1 FROM n WHERE id < %[1]d),
			h AS (SELECT id, (id * 2654435761) %% 4294967296 AS h, %[2]d + id * %[3]f AS t FROM n)
			INSERT INTO calls (id, channel_id, caller, started_at, ended_at, branch, outcome)
			SELECT id, 'ch-' || id, '09' || printf('%%08d', h %% 100000000), `+ts+`t, 'unixepoch'), `+ts+`t + 90, 'unixepoch'),
				h %% 10,
				CASE (h / 10) %% 7 WHEN 0 THEN 'ticket' WHEN 1 THEN 'operator' WHEN 2 THEN 'status_check'
					WHEN 3 THEN 'abandoned_menu' WHEN 4 THEN 'abandoned_recording' WHEN 5 THEN 'after_hours' ELSE 'failed' END
			FROM h`, reportFixtureCalls, begin.Unix(), span/reportFixtureCalls),
	}
	stmts = append(stmts, historyFixture...)
	stmts = append(stmts,
		"COMMIT",
		"PRAGMA wal_checkpoint(TRUNCATE)")
	for _, s := range stmts {
		if _, err := raw.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("%.60s…: %w", s, err)
		}
	}
	return nil
}

// benchMenu is the default menu of the configuration.
func benchMenu(tb testing.TB) *tickets.Menu {
	m, err := tickets.NewMenu([]tickets.Branch{
		{Key: 1, Name: "Công tác chỉ đạo, điều hành CCHC", Department: "so-noi-vu"},
		{Key: 2, Name: "Cải cách thể chế", Department: "so-tu-phap"},
		{Key: 3, Name: "Cải cách tổ chức bộ máy hành chính", Department: "so-noi-vu"},
		{Key: 4, Name: "Cải cách thủ tục hành chính", Department: "van-phong-ubnd-tinh"},
		{Key: 5, Name: "Xây dựng đội ngũ cán bộ, công chức, viên chức", Department: "so-noi-vu"},
		{Key: 6, Name: "Cải cách tài chính công", Department: "so-tai-chinh"},
		{Key: 7, Name: "Chính quyền điện tử, dịch vụ công trực tuyến", Department: "so-thong-tin-truyen-thong"},
		{Key: 8, Name: "Trung tâm Phục vụ hành chính công (một cửa)", Department: "van-phong-ubnd-tinh"},
		{Key: 9, Name: "Tinh thần, thái độ của công chức, viên chức", Department: "so-noi-vu"},
	}, []tickets.Department{
		{ID: "so-noi-vu", Name: "Sở Nội vụ"}, {ID: "so-tu-phap", Name: "Sở Tư pháp"},
		{ID: "van-phong-ubnd-tinh", Name: "Văn phòng UBND tỉnh"}, {ID: "so-tai-chinh", Name: "Sở Tài chính"},
		{ID: "so-thong-tin-truyen-thong", Name: "Sở Thông tin và Truyền thông"},
	})
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// BenchmarkReportMonth makes the report of October 2026, the last month of
// the fixture (about 28,000 tickets and 56,000 calls, and the month before
// for the comparison), from the history, and compares it with the baseline:
// the current-state statements run bare (BareSQL). BareHistorySQL runs the
// history statements PeriodStats runs, bare.
func BenchmarkReportMonth(b *testing.B) {
	path := reportFixture(b)
	ctx := context.Background()
	db, err := Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		b.Fatal(err)
	}
	p := reports.Month(2026, time.October, loc)
	builder := &reports.Builder{Source: db, Menu: benchMenu(b), Now: func() time.Time { return p.To.Add(time.Hour) }}
	b.Run("Build", func(b *testing.B) {
		for b.Loop() {
			if _, err := builder.Build(ctx, p); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, f := range []reports.Format{reports.FormatText, reports.FormatHTML, reports.FormatXLSX} {
		b.Run("BuildAndWrite/"+string(f), func(b *testing.B) {
			for b.Loop() {
				r, err := builder.Build(ctx, p)
				if err != nil {
					b.Fatal(err)
				}
				if err := r.Write(io.Discard, f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("BareHistorySQL", func(b *testing.B) {
		for b.Loop() {
			for _, q := range historyQueries(p, p.Previous()) {
				if err := drain(ctx, db.read, q.sql, q.args...); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("BareSQL", func(b *testing.B) {
		for b.Loop() {
			for _, q := range bareQueries(p, p.Previous()) {
				if err := drain(ctx, db.read, q.sql, q.args...); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}

// BenchmarkReportMonthRatio alternates the history-based build of October
// 2026's report with the baseline's bare statements and the history
// statements run bare, b.N times each, and reports the fastest of each and
// the ratio of the build to the baseline: on a machine shared with other
// work, the fastest runs of two interleaved measurements compare better than
// medians taken minutes apart.
func BenchmarkReportMonthRatio(b *testing.B) {
	path := reportFixture(b)
	ctx := context.Background()
	db, err := Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		b.Fatal(err)
	}
	p := reports.Month(2026, time.October, loc)
	builder := &reports.Builder{Source: db, Menu: benchMenu(b), Now: func() time.Time { return p.To.Add(time.Hour) }}
	fastest := func(d *time.Duration, start time.Time) {
		if took := time.Since(start); *d == 0 || took < *d {
			*d = took
		}
	}
	var build, bare, history time.Duration
	for b.Loop() {
		start := time.Now()
		if _, err := builder.Build(ctx, p); err != nil {
			b.Fatal(err)
		}
		fastest(&build, start)
		start = time.Now()
		for _, q := range bareQueries(p, p.Previous()) {
			if err := drain(ctx, db.read, q.sql, q.args...); err != nil {
				b.Fatal(err)
			}
		}
		fastest(&bare, start)
		start = time.Now()
		for _, q := range historyQueries(p, p.Previous()) {
			if err := drain(ctx, db.read, q.sql, q.args...); err != nil {
				b.Fatal(err)
			}
		}
		fastest(&history, start)
	}
	b.ReportMetric(float64(build.Milliseconds()), "build-ms")
	b.ReportMetric(float64(bare.Milliseconds()), "bare-ms")
	b.ReportMetric(float64(history.Milliseconds()), "bare-history-ms")
	b.ReportMetric(float64(build)/float64(bare), "build/bare")
}

type bareQuery struct {
	sql  string
	args []any
}

// bareQueries are the current-state statements of the baseline for the
// period, then for the previous one, which needs no overdue list, with the
// calls' statements PeriodStats runs.
func bareQueries(periods ...reports.Period) []bareQuery {
	var qs []bareQuery
	for i, p := range periods {
		f, t := formatTime(p.From), formatTime(p.To)
		_, off := p.From.Zone()
		mod := fmt.Sprintf("%+d seconds", off)
		qs = append(qs,
			bareQuery{callCountsSQL, []any{f, t}},
			bareQuery{callHoursSQL, []any{mod, f, t}},
			bareQuery{baselineReceivedSQL, []any{mod, f, t}},
			bareQuery{baselineResolvedSQL, []any{f, t}},
			bareQuery{baselineOpenSQL, []any{t, t, t, t}})
		if i == 0 {
			qs = append(qs, bareQuery{baselineOverdueSQL, []any{f, t, t, t, t, t, t}})
		}
	}
	return qs
}

// historyQueries are the statements PeriodStats runs for the period, then for
// the previous one, which needs no overdue list.
func historyQueries(periods ...reports.Period) []bareQuery {
	var qs []bareQuery
	for i, p := range periods {
		f, t := formatTime(p.From), formatTime(p.To)
		_, off := p.From.Zone()
		mod := fmt.Sprintf("%+d seconds", off)
		args := periodArgs(p.From, p.To)
		qs = append(qs,
			bareQuery{callCountsSQL, []any{f, t}},
			bareQuery{callHoursSQL, []any{mod, f, t}},
			bareQuery{receivedSQL, []any{sql.Named("from", f), sql.Named("to", t), sql.Named("end", t), sql.Named("mod", mod)}},
			bareQuery{resolvedSQL, args[:2]},
			bareQuery{reopenedSQL, args[:2]},
			bareQuery{openSQL, args[1:]})
		if i == 0 {
			qs = append(qs, bareQuery{overdueSQL, args})
		}
	}
	return qs
}

// drain runs a query and reads every column of every row as raw bytes.
func drain(ctx context.Context, db *sql.DB, q string, args ...any) error {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	dest := make([]any, len(cols))
	for i := range dest {
		dest[i] = new(sql.RawBytes)
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
	}
	return rows.Err()
}
