// SPDX-License-Identifier: Apache-2.0

package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"

	"github.com/hotline-cchc/hotline/cmd/hotline/internal/datalock"
)

// importRow is one JSON result of an import.
type importRow struct {
	Line  int    `json:"line"`
	Code  string `json:"code"`
	Error string `json:"error"`
}

// importRun runs "tickets import FILE ARGS…" and returns its exit status,
// its results and its standard error.
func importRun(t *testing.T, run func(string, ...string) (int, string, string), file string, args ...string) (int, []importRow, string) {
	t.Helper()
	code, out, errs := run("", append([]string{"tickets", "import", file}, args...)...)
	var rows []importRow
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if l == "" {
			continue
		}
		var r importRow
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("result %q: %v", l, err)
		}
		rows = append(rows, r)
	}
	return code, rows, errs
}

// showTicket returns a ticket with its history.
func showTicket(t *testing.T, run func(string, ...string) (int, string, string), code string) ticketJSON {
	t.Helper()
	c, out, errs := run("", "tickets", "show", code, "--json")
	var j ticketJSON
	if err := json.Unmarshal([]byte(out), &j); c != 0 || err != nil {
		t.Fatalf("tickets show %s: exit %d, %v\n%s", code, c, err, errs)
	}
	return j
}

// writeFile writes b to name in a temporary folder and returns its path.
func writeFile(t *testing.T, name string, b []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// cp1258 encodes s in Windows-1258 as Vietnamese software writes it: a
// letter with its vowel mark where the code page has it, the tone as a
// combining mark after it.
func cp1258(t *testing.T, s string) []byte {
	t.Helper()
	rs := []rune(norm.NFD.String(s))
	var out []byte
	for i := 0; i < len(rs); {
		j := i + 1
		for j < len(rs) && unicode.Is(unicode.Mn, rs[j]) {
			j++
		}
		marks := append([]rune(nil), rs[i+1:j]...)
		base := rs[i]
		for k, m := range marks {
			c := []rune(norm.NFC.String(string([]rune{base, m})))
			if _, ok := charmap.Windows1258.EncodeRune(c[0]); ok && len(c) == 1 {
				base, marks = c[0], append(marks[:k:k], marks[k+1:]...)
				break
			}
		}
		for _, r := range append([]rune{base}, marks...) {
			b, ok := charmap.Windows1258.EncodeRune(r)
			if !ok {
				t.Fatalf("%q has no Windows-1258 form", r)
			}
			out = append(out, b)
		}
		i = j
	}
	return out
}

const registerCSV = "SỔ THEO DÕI PHẢN ÁNH, KIẾN NGHỊ NĂM 2026\n\n" +
	"STT;Ngày tiếp nhận;Nội dung;Lĩnh vực;Cơ quan;Trạng thái;Ngày giải quyết;Số điện thoại;Ghi chú\n" +
	"1;05/01/2026;Hồ sơ đất đai trễ hẹn;4;Văn phòng UBND tỉnh;Đã giải quyết;12/01/2026;0912345678;\n" +
	"2;06/01/2026 09:30;Cán bộ gây khó dễ;Tinh thần, thái độ của công chức, viên chức;;Đang xử lý;;;\n"

// A register in CSV, with a BOM or in Windows-1258, becomes tickets that
// keep their dates: the deadline counted from the receipt, an open one past
// it overdue at once, a resolved one resolved at its date, with a history
// at those dates (ten working days from Monday 05/01/2026 end on Friday
// 16/01: Saturday 10/01 is worked for the swapped 02/01); a month's report
// counts them.
func TestImportRegisterCSV(t *testing.T) {
	for name, data := range map[string]func(t *testing.T) []byte{
		"OKBOM":         func(*testing.T) []byte { return append([]byte{0xEF, 0xBB, 0xBF}, registerCSV...) },
		"OKWindows1258": func(t *testing.T) []byte { return cp1258(t, registerCSV) },
	} {
		t.Run(name, func(t *testing.T) {
			run := cli(t)
			code, rows, errs := importRun(t, run, writeFile(t, "so.csv", data(t)))
			if code != 0 || len(rows) != 2 || rows[0].Line != 4 || rows[1].Line != 5 || rows[0].Code == "" {
				t.Fatalf("import: exit %d %+v\n%s", code, rows, errs)
			}
			done := showTicket(t, run, rows[0].Code)
			if done.Status != "resolved" || done.Department != "van-phong-ubnd-tinh" || done.Contact != "0912345678" ||
				done.CreatedAt.Format(time.DateOnly) != "2026-01-05" || done.ResolvedAt == nil ||
				done.ResolvedAt.Format(time.DateOnly) != "2026-01-12" || done.Deadline.Format(time.DateOnly) != "2026-01-16" ||
				len(done.History) != 2 || done.History[0].ToStatus != "in_progress" || done.History[1].Action != "resolve" || !done.History[1].At.Equal(*done.ResolvedAt) ||
				!strings.Contains(done.History[0].Note, "so.csv, dòng 4") {
				t.Errorf("resolved ticket = %+v", done)
			}
			open := showTicket(t, run, rows[1].Code)
			if open.Status != "in_progress" || open.Branch != 9 || open.Department != "so-noi-vu" || !open.Overdue ||
				open.Text != "Cán bộ gây khó dễ" || open.CreatedAt.Format("2006-01-02 15:04") != "2026-01-06 09:30" {
				t.Errorf("open ticket = %+v", open)
			}
			_, out, _ := run("", "report", "--month", "2026-01")
			if out = strings.Join(strings.Fields(out), " "); !strings.Contains(out, "tiếp nhận 2 phiếu") {
				t.Errorf("January's report does not count the imported tickets:\n%s", out)
			}
		})
	}
}

// A bad row stops the whole file: the dry run and the import list every
// bad row with its line and store nothing; --partial stores the good rows;
// importing the same rows again adds nothing.
func TestImportRegisterAllOrNothing(t *testing.T) {
	run := cli(t)
	file := writeFile(t, "so.csv", []byte(registerCSV+
		"3;31/02/2026;Sai ngày;4;;;;;\n"+
		"4;07/01/2026;Thủ tục;12;Sở X;lạ;;;\n"+
		"5;08/01/2026;Chưa xong;4;;Đang xử lý;09/01/2026;;\n"+
		"6;08/01/2026;Đã xong mà thiếu ngày;4;;Đã giải quyết;;;\n"+
		"7;46000;Ngày kiểu Excel;4;;;;;\n"))
	wantBad := map[int]string{6: "is not a date", 7: `lĩnh vực "12"`, 8: "open but there is a date resolved", 9: "needs the date resolved"}
	check := func(rows []importRow, codes int) {
		t.Helper()
		bad, good := 0, 0
		for _, r := range rows {
			if r.Error != "" {
				bad++
				if !strings.Contains(r.Error, wantBad[r.Line]) || wantBad[r.Line] == "" {
					t.Errorf("line %d: %q, want %q", r.Line, r.Error, wantBad[r.Line])
				}
			} else if r.Code != "" {
				good++
			}
		}
		if bad != len(wantBad) || good != codes {
			t.Errorf("%d bad and %d imported rows, want %d and %d: %+v", bad, good, len(wantBad), codes, rows)
		}
	}
	code, rows, errs := importRun(t, run, file, "--dry-run")
	check(rows, 0)
	if code != 1 || !strings.Contains(errs, "dry run: 7 rows, 3 good, 4 bad; nothing imported") {
		t.Errorf("dry run: exit %d\n%s", code, errs)
	}
	code, rows, errs = importRun(t, run, file)
	check(rows, 0)
	if code != 1 || !strings.Contains(errs, "nothing imported") {
		t.Errorf("import: exit %d\n%s", code, errs)
	}
	if _, out, _ := run("", "tickets", "list"); strings.Count(out, "\n") > 1 {
		t.Fatalf("a refused import stored tickets:\n%s", out)
	}
	code, rows, errs = importRun(t, run, file, "--partial")
	check(rows, 3)
	if code != 1 || !strings.Contains(errs, "imported 3 tickets") {
		t.Errorf("--partial: exit %d\n%s", code, errs)
	}
	code, rows, errs = importRun(t, run, file, "--partial")
	check(rows, 3)
	if !strings.Contains(errs, "imported 0 tickets") || !strings.Contains(errs, "3 of them were imported before") {
		t.Errorf("again: exit %d\n%s", code, errs)
	}
	if _, out, _ := run("", "tickets", "list"); strings.Count(out, "\n") != 4 {
		t.Errorf("after importing twice:\n%s", out)
	}
}

// An XLSX register with a title, a header merged over two rows ("Ngày"
// over "tiếp nhận" and "giải quyết"), dates as date cells (Excel serial
// numbers underneath), a phone stored as a number and a department merged
// down over its rows.
func TestImportRegisterXLSX(t *testing.T) {
	run := cli(t)
	path := filepath.Join(t.TempDir(), "so.xlsx")
	f := excelize.NewFile()
	s := "Sheet1"
	set := func(cell string, v any) {
		if err := f.SetCellValue(s, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	merge := func(a, b string) {
		if err := f.MergeCell(s, a, b); err != nil {
			t.Fatal(err)
		}
	}
	set("A1", "SỔ THEO DÕI")
	set("A2", "Ngày")
	merge("A2", "B2")
	set("A3", "tiếp nhận")
	set("B3", "giải quyết")
	set("C2", "Nội dung")
	merge("C2", "C3")
	set("D2", "Nhánh")
	merge("D2", "D3")
	set("E2", "Cơ quan")
	merge("E2", "E3")
	set("F2", "Điện thoại")
	merge("F2", "F3")
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	style, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	for i, row := range [][]any{
		{time.Date(2026, 2, 2, 8, 15, 0, 0, time.UTC), time.Date(2026, 2, 5, 0, 0, 0, 0, time.UTC), "Chậm trả kết quả", 4, "Sở Nội vụ", 912345678},
		{time.Date(2026, 2, 3, 0, 0, 0, 0, time.UTC), nil, "Thái độ", "9", nil, nil},
	} {
		r := i + 4
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r)
			if v != nil {
				set(cell, v)
			}
		}
		f.SetCellStyle(s, "A"+itoa(int64(r)), "B"+itoa(int64(r)), style)
	}
	merge("E4", "E5")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	code, rows, errs := importRun(t, run, path)
	if code != 0 || len(rows) != 2 {
		t.Fatalf("import: exit %d %+v\n%s", code, rows, errs)
	}
	first, second := showTicket(t, run, rows[0].Code), showTicket(t, run, rows[1].Code)
	if got := first.CreatedAt.In(loc).Format("02/01/2006 15:04"); got != "02/02/2026 08:15" || first.Status != "resolved" ||
		first.ResolvedAt.In(loc).Format("02/01/2006") != "05/02/2026" || first.Contact != "0912345678" || first.Branch != 4 ||
		first.Department != "so-noi-vu" {
		t.Errorf("first row: %+v (received %s)", first, got)
	}
	if second.Department != "so-noi-vu" || second.Status != "new" || second.Branch != 9 {
		t.Errorf("second row, department merged down: %+v", second)
	}
}

// Files import cannot read are refused whole, saying why.
func TestImportRegisterRefused(t *testing.T) {
	run := cli(t)
	for _, tc := range []struct {
		name, file string
		data       []byte
		args       []string
		code       int
		want       string
	}{
		{"ErrXLS", "so.xls", []byte("x"), nil, 1, "save it as .xlsx"},
		{"ErrUTF16", "so.csv", []byte{0xFF, 0xFE, 'a', 0}, nil, 1, "UTF-16"},
		{"ErrNotUTF8", "so.csv", []byte("Ng\xe0y"), []string{"--encoding", "utf-8"}, 1, "--encoding windows-1258"},
		{"ErrNoHeader", "so.csv", []byte("a,b\n1,2\n"), nil, 1, "no header row names the columns ngày tiếp nhận (received), nội dung (text), lĩnh vực/nhánh (branch)"},
		{"ErrTwoColumns", "so.csv", []byte("Received,Text,Branch,Nội dung\n"), nil, 1, `two columns are nội dung (text): "Text" and "Nội dung"`},
		{"ErrSheet", "so.xlsx", nil, []string{"--sheet", "Tháng 1"}, 1, `no sheet "Tháng 1"; its sheets: Sheet1`},
		{"ErrTwoFiles", "so.csv", []byte(registerCSV), []string{"other.csv"}, 2, "at most one file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tc.file)
			if tc.data == nil {
				if err := excelize.NewFile().SaveAs(path); err != nil {
					t.Fatal(err)
				}
			} else if err := os.WriteFile(path, tc.data, 0o600); err != nil {
				t.Fatal(err)
			}
			code, out, errs := run("", append([]string{"tickets", "import", path}, tc.args...)...)
			if code != tc.code || !strings.Contains(errs, tc.want) {
				t.Errorf("exit %d, want %d with %q\n%s%s", code, tc.code, tc.want, out, errs)
			}
		})
	}
	if code, _, errs := run("", "tickets", "import", "--dry-run"); code != 2 || !strings.Contains(errs, "--dry-run are for a register") {
		t.Errorf("--dry-run without a file: exit %d\n%s", code, errs)
	}
}

// While serve holds the data folder, an import saves in batches, says so,
// and saves every row; alone, it saves in one transaction.
func TestImportRegisterWhileServing(t *testing.T) {
	dir, run := bare(t)
	migrated(t, run)
	var csv strings.Builder
	csv.WriteString("Ngày tiếp nhận,Nội dung,Nhánh\n")
	for i := range importBatch + 5 {
		fmt.Fprintf(&csv, "02/03/2026,Phản ánh %d,4\n", i)
	}
	file := writeFile(t, "so.csv", []byte(csv.String()))
	lock, err := datalock.Acquire(dir)
	if err != nil {
		t.Fatal(err)
	}
	code, rows, errs := importRun(t, run, file)
	lock.Release()
	if code != 0 || len(rows) != importBatch+5 || !strings.Contains(errs, "saving in batches of 1000 tickets") ||
		!strings.Contains(errs, fmt.Sprintf("imported %d tickets", importBatch+5)) {
		t.Errorf("import while serving: exit %d, %d results\n%s", code, len(rows), errs)
	}
	code, _, errs = importRun(t, run, file)
	if code != 0 || strings.Contains(errs, "batches") {
		t.Errorf("import alone: exit %d\n%s", code, errs)
	}
}

// A workbook saved in the 1904 date system (old Excel for Mac) keeps its
// dates.
func TestImportRegisterXLSX1904(t *testing.T) {
	run := cli(t)
	path := filepath.Join(t.TempDir(), "mac.xlsx")
	f := excelize.NewFile()
	yes := true
	if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &yes}); err != nil {
		t.Fatal(err)
	}
	f.SetSheetRow("Sheet1", "A1", &[]any{"Received", "Text", "Branch"})
	f.SetSheetRow("Sheet1", "A2", &[]any{time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), "Mac", 4})
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	code, rows, errs := importRun(t, run, path)
	if code != 0 || len(rows) != 1 {
		t.Fatalf("import: exit %d %+v\n%s", code, rows, errs)
	}
	if got := showTicket(t, run, rows[0].Code).CreatedAt.Format("02/01/2006"); got != "05/01/2026" {
		t.Errorf("received %s, want 05/01/2026", got)
	}
}
