// SPDX-License-Identifier: Apache-2.0

package reports_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"flag"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/hotline-cchc/hotline/reports"
	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/sqlite"
	"github.com/hotline-cchc/hotline/tickets/ticketstest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// menu is the default menu of DESIGN.md: nine branches, five departments.
func menu(tb testing.TB) *tickets.Menu {
	tb.Helper()
	m, err := tickets.NewMenu([]tickets.Branch{
		{Key: 1, Name: "Công tác chỉ đạo, điều hành CCHC", Department: "so-noi-vu"},
		{Key: 2, Name: "Cải cách thể chế", Department: "so-tu-phap"},
		{Key: 3, Name: "Cải cách tổ chức bộ máy hành chính", Department: "so-noi-vu"},
		{Key: 4, Name: "Cải cách thủ tục hành chính", Department: "van-phong-ubnd-tinh", DeadlineDays: 5},
		{Key: 5, Name: "Xây dựng đội ngũ cán bộ, công chức, viên chức", Department: "so-noi-vu"},
		{Key: 6, Name: "Cải cách tài chính công", Department: "so-tai-chinh"},
		{Key: 7, Name: "Chính quyền điện tử, dịch vụ công trực tuyến", Department: "so-thong-tin-truyen-thong"},
		{Key: 8, Name: "Trung tâm Phục vụ hành chính công (một cửa)", Department: "van-phong-ubnd-tinh"},
		{Key: 9, Name: "Tinh thần, thái độ của công chức, viên chức", Department: "so-noi-vu"},
	}, []tickets.Department{
		{ID: "so-noi-vu", Name: "Sở Nội vụ"},
		{ID: "so-tu-phap", Name: "Sở Tư pháp"},
		{ID: "van-phong-ubnd-tinh", Name: "Văn phòng UBND tỉnh"},
		{ID: "so-tai-chinh", Name: "Sở Tài chính"},
		{ID: "so-thong-tin-truyen-thong", Name: "Sở Thông tin và Truyền thông"},
	})
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// calendar has the 2026 National Day break (29/08–02/09) as holidays.
func calendar(tb testing.TB) *tickets.Calendar {
	tb.Helper()
	var hs []tickets.Date
	for _, d := range []string{"2026-08-29", "2026-08-30", "2026-08-31", "2026-09-01", "2026-09-02"} {
		date, err := tickets.ParseDate(d)
		if err != nil {
			tb.Fatal(err)
		}
		hs = append(hs, date)
	}
	return tickets.NewCalendar(ticketstest.Location(tb), hs, [7][]tickets.Span{})
}

// fixture is a store, a service over it and its clock.
type fixture struct {
	db    *sqlite.DB
	svc   *tickets.Service
	clock *ticketstest.Clock
	loc   *time.Location
	// updates numbers the chat updates of chat.
	updates int64
}

func newFixture(tb testing.TB) *fixture {
	tb.Helper()
	clock := &ticketstest.Clock{}
	db := ticketstest.Open(tb)
	return &fixture{db: db, clock: clock, loc: ticketstest.Location(tb),
		svc: &tickets.Service{Store: db, Menu: menu(tb), Calendar: calendar(tb), Now: clock.Now}}
}

// at parses a local time "2006-01-02 15:04:05.000".
func (f *fixture) at(tb testing.TB, s string) time.Time {
	tb.Helper()
	t, err := time.ParseInLocation("2006-01-02 15:04:05.000", s, f.loc)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

// call stores a finished call that started at the local time s.
func (f *fixture) call(tb testing.TB, s string, branch int, o tickets.Outcome, caller string) {
	tb.Helper()
	start := f.at(tb, s)
	c := &tickets.Call{ChannelID: "ch-" + s, Caller: caller, StartedAt: start, EndedAt: start.Add(time.Minute), Branch: branch, Outcome: o}
	if err := f.db.CreateCall(context.Background(), c); err != nil {
		tb.Fatal(err)
	}
}

// ticket opens a ticket at the local time created and, unless resolved is
// "", resolves it then.
func (f *fixture) ticket(tb testing.TB, created string, branch int, ch tickets.Channel, contact, resolved string) *tickets.Ticket {
	tb.Helper()
	ctx := context.Background()
	f.clock.T = f.at(tb, created)
	t, err := f.svc.Open(ctx, tickets.NewTicket{Branch: branch, Channel: ch, Text: "Phản ánh thử", Contact: contact, Actor: "test"})
	if err != nil {
		tb.Fatal(err)
	}
	if resolved == "" {
		return t
	}
	for _, a := range []tickets.Action{tickets.ActionAssign, tickets.ActionStart, tickets.ActionResolve} {
		if a == tickets.ActionResolve {
			f.clock.T = f.at(tb, resolved)
		}
		if t, err = f.svc.Move(ctx, t.Code, tickets.Change{Action: a, Department: t.Department, Actor: "test"}); err != nil {
			tb.Fatal(err)
		}
	}
	return t
}

// chat records that chat wrote to the bot of ch on the local day, starting a
// conversation or not, as the chat bot's commit does.
func (f *fixture) chat(tb testing.TB, ch tickets.Channel, chat, day string, started bool) {
	tb.Helper()
	d, err := tickets.ParseDate(day)
	if err != nil {
		tb.Fatal(err)
	}
	f.updates++
	c := &tickets.ChatCommit{Channel: ch, UpdateID: strconv.FormatInt(f.updates, 10), Chat: chat, KeepState: true, At: f.at(tb, day+" 12:00:00.000"),
		Activity: &tickets.ChatActivity{Day: d, Started: started}}
	if _, err := f.db.CommitChat(context.Background(), c); err != nil {
		tb.Fatal(err)
	}
}

// build makes the report of p as of now.
func (f *fixture) build(tb testing.TB, p reports.Period, now time.Time) *reports.Report {
	tb.Helper()
	b := &reports.Builder{Source: f.db, Menu: f.svc.Menu, Now: func() time.Time { return now }}
	r, err := b.Build(context.Background(), p)
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

// rendered returns r in every format.
func rendered(tb testing.TB, r *reports.Report) map[reports.Format][]byte {
	tb.Helper()
	out := map[reports.Format][]byte{}
	for _, f := range reports.Formats {
		var b bytes.Buffer
		if err := r.Write(&b, f); err != nil {
			tb.Fatalf("%s: %v", f, err)
		}
		out[f] = b.Bytes()
	}
	return out
}

// golden compares got with testdata/name, or rewrites it under -update.
func golden(tb testing.TB, name string, got []byte) {
	tb.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		tb.Errorf("%s differs from the golden file (run go test -update and review the diff):\n%s", path, firstDiff(string(got), string(want)))
	}
}

func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return "line " + itoa(i+1) + ":\n got: " + gl + "\nwant: " + wl
		}
	}
	return ""
}

func itoa(n int) string { return strconv.Itoa(n) }

// tablesIn reads the table titled title back out of each format, as
// header and rows of cells, so that every format can be checked against
// the same expected cells.
func tablesIn(tb testing.TB, out map[reports.Format][]byte, t reports.Table) map[reports.Format][][]string {
	tb.Helper()
	return map[reports.Format][][]string{
		reports.FormatText: textTable(tb, string(out[reports.FormatText]), t),
		reports.FormatCSV:  csvTable(tb, out[reports.FormatCSV], t),
		reports.FormatXLSX: xlsxTable(tb, out[reports.FormatXLSX], t),
		reports.FormatHTML: htmlTable(tb, string(out[reports.FormatHTML]), t),
	}
}

// textTable returns the lines under the title, each split where columns are
// apart by two spaces or more; empty cells leave no trace in text, so the
// cells compared are the non-empty ones.
func textTable(tb testing.TB, text string, t reports.Table) [][]string {
	tb.Helper()
	lines := strings.Split(text, "\n")
	i := slices.Index(lines, t.Title)
	if i < 0 {
		tb.Fatalf("text: no table %q", t.Title)
	}
	gap := regexp.MustCompile(`\s{2,}`)
	var rows [][]string
	for _, l := range lines[i+2 : i+3+len(t.Rows)] {
		rows = append(rows, gap.Split(strings.TrimSpace(l), -1))
	}
	return rows
}

func csvTable(tb testing.TB, data []byte, t reports.Table) [][]string {
	tb.Helper()
	if !bytes.HasPrefix(data, []byte("\uFEFF")) {
		tb.Fatal("csv: no byte order mark")
	}
	r := csv.NewReader(bytes.NewReader(data[3:]))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	i := slices.IndexFunc(recs, func(rec []string) bool { return len(rec) == 1 && rec[0] == t.Title })
	if i < 0 {
		tb.Fatalf("csv: no table %q", t.Title)
	}
	return recs[i+1 : i+2+len(t.Rows)]
}

func xlsxTable(tb testing.TB, data []byte, t reports.Table) [][]string {
	tb.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(t.Name)
	if err != nil {
		tb.Fatalf("xlsx sheet %q: %v", t.Name, err)
	}
	return rows
}

var (
	htmlRow  = regexp.MustCompile(`(?s)<tr>(.*?)</tr>`)
	htmlCell = regexp.MustCompile(`(?s)<t[hd][^>]*>(.*?)</t[hd]>`)
)

func htmlTable(tb testing.TB, page string, t reports.Table) [][]string {
	tb.Helper()
	start := strings.Index(page, "<h2>"+html.EscapeString(t.Title)+"</h2>\n<table>")
	if start < 0 {
		tb.Fatalf("html: no table %q", t.Title)
	}
	page = page[start:]
	page = page[:strings.Index(page, "</table>")]
	var rows [][]string
	for _, m := range htmlRow.FindAllStringSubmatch(page, -1) {
		var row []string
		for _, c := range htmlCell.FindAllStringSubmatch(m[1], -1) {
			row = append(row, html.UnescapeString(c[1]))
		}
		rows = append(rows, row)
	}
	return rows
}

// checkTable checks that every format shows want (header first) cell by
// cell, and that the report's own table is want.
func checkTable(tb testing.TB, r *reports.Report, out map[reports.Format][]byte, name string, want [][]string) {
	tb.Helper()
	i := slices.IndexFunc(r.Tables(), func(t reports.Table) bool { return t.Name == name })
	if i < 0 {
		tb.Fatalf("no table %q", name)
	}
	t := r.Tables()[i]
	if got := append([][]string{t.Header}, t.Rows...); !slices.EqualFunc(got, want, slices.Equal) {
		tb.Errorf("table %q:\n got %q\nwant %q", name, got, want)
	}
	for f, got := range tablesIn(tb, out, t) {
		exp := want
		if f == reports.FormatText {
			exp = nonEmpty(want)
		}
		if !slices.EqualFunc(got, exp, slices.Equal) {
			tb.Errorf("%s table %q:\n got %q\nwant %q", f, name, got, exp)
		}
	}
}

func nonEmpty(rows [][]string) [][]string {
	var out [][]string
	for _, row := range rows {
		out = append(out, slices.DeleteFunc(slices.Clone(row), func(c string) bool { return c == "" }))
	}
	return out
}

// xlsxText dumps every sheet of a workbook as tab-separated text, for a
// golden file and for searching.
func xlsxText(tb testing.TB, data []byte) string {
	tb.Helper()
	if _, err := zip.NewReader(bytes.NewReader(data), int64(len(data))); err != nil {
		tb.Fatalf("xlsx is not a zip file: %v", err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var b strings.Builder
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			tb.Fatal(err)
		}
		b.WriteString("== " + sheet + "\n")
		for _, row := range rows {
			b.WriteString(strings.Join(row, "\t") + "\n")
		}
	}
	return b.String()
}

// checkNoContacts fails if any format holds any of the contacts, or their
// last digits as a mask would show them.
func checkNoContacts(tb testing.TB, out map[reports.Format][]byte, contacts ...string) {
	tb.Helper()
	for f, data := range out {
		text := string(data)
		if f == reports.FormatXLSX {
			text = xlsxText(tb, data)
		}
		for _, c := range contacts {
			if strings.Contains(text, c) || strings.Contains(text, tickets.MaskContact(c)) {
				tb.Errorf("%s report contains the contact %s", f, c)
			}
		}
	}
}
