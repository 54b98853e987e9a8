// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/hotline-cchc/hotline/tickets/sqlite"
)

// benchRows is the size of the register the import benchmarks read.
const benchRows = 100_000

// benchRegister writes an XLSX register of benchRows rows as a province
// keeps one: a title, a header, dates as date cells, a third of the rows
// resolved, phones as numbers. It is kept in the temporary folder and
// written again only when missing.
var benchRegister = sync.OnceValues(func() (string, error) {
	path := filepath.Join(os.TempDir(), fmt.Sprintf("hotline-bench-register-%d.xlsx", benchRows))
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return "", err
	}
	sw.SetRow("A1", []any{"SỔ THEO DÕI PHẢN ÁNH, KIẾN NGHỊ"})
	sw.SetRow("A2", []any{"STT", "Ngày tiếp nhận", "Nội dung", "Lĩnh vực", "Trạng thái", "Ngày giải quyết", "Số điện thoại"})
	start := time.Date(2025, 1, 2, 8, 0, 0, 0, time.UTC)
	for i := range benchRows {
		received := start.Add(time.Duration(i) * 4 * time.Minute)
		row := []any{i + 1, received, fmt.Sprintf("Phản ánh số %d về thủ tục hành chính chậm trả kết quả", i), i%9 + 1,
			"Đang xử lý", nil, 912000000 + i}
		if i%3 == 0 {
			row[4], row[5] = "Đã giải quyết", received.Add(72*time.Hour)
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+3)
		if err := sw.SetRow(cell, row); err != nil {
			return "", err
		}
	}
	if err := sw.Flush(); err != nil {
		return "", err
	}
	tmp := filepath.Join(os.TempDir(), fmt.Sprintf("hotline-bench-register-%d.tmp.xlsx", benchRows))
	if err := f.SaveAs(tmp); err != nil {
		return "", err
	}
	return path, os.Rename(tmp, path)
})

// BenchmarkImportRegisterXLSX imports the whole register through the
// command, into a fresh database each time: read, check, one transaction.
func BenchmarkImportRegisterXLSX(b *testing.B) {
	path, err := benchRegister()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		b.StopTimer()
		run := cli(b)
		b.StartTimer()
		if code, _, errs := run("", "tickets", "import", path); code != 0 {
			b.Fatalf("import: exit %d: %s", code, errs)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/file")
}

// BenchmarkImportBaselineXLSX is the bare baseline of the same run: the
// same sheet read raw by excelize, each row inserted as it is, strings
// only, by one prepared statement in one transaction of a fresh store.
func BenchmarkImportBaselineXLSX(b *testing.B) {
	path, err := benchRegister()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "hotline.db"))
		if err != nil {
			b.Fatal(err)
		}
		db.Close()
		raw, err := sql.Open("sqlite3", filepath.Join(b.TempDir(), "bare.db")+"?_journal_mode=WAL&_synchronous=FULL")
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := bareImport(ctx, raw, path); err != nil {
			b.Fatal(err)
		}
		raw.Close()
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/file")
}

func bareImport(ctx context.Context, raw *sql.DB, path string) error {
	if _, err := raw.ExecContext(ctx, `CREATE TABLE rows (a, b, c, d, e, f, g)`); err != nil {
		return err
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		return err
	}
	defer f.Close()
	it, err := f.Rows("Sheet1")
	if err != nil {
		return err
	}
	tx, err := raw.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	ins, err := tx.PrepareContext(ctx, `INSERT INTO rows VALUES (?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	for it.Next() {
		cells, err := it.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return err
		}
		args := make([]any, 7)
		for i := range args {
			if i < len(cells) {
				args[i] = cells[i]
			}
		}
		if _, err := ins.ExecContext(ctx, args...); err != nil {
			return err
		}
	}
	return tx.Commit()
}
