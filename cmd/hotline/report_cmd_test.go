// SPDX-License-Identifier: Apache-2.0

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func TestReportCommand(t *testing.T) {
	run := cli(t)
	newTicket(t, run, "--branch", "4", "--channel", "phone", "--text", "Hồ sơ trễ hẹn", "--phone", "0939015599")
	newTicket(t, run, "--branch", "9", "--channel", "telegram", "--text", "Cán bộ gây khó dễ", "--anonymous")
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	today := time.Now().In(loc).Format("2006-01-02")
	dir := t.TempDir()

	t.Run("OKText", func(t *testing.T) {
		code, out, errs := run("", "report", "--from", today, "--to", today)
		out = strings.ReplaceAll(out, "\n", " ") // the summary is wrapped
		for _, want := range []string{"BÁO CÁO HOẠT ĐỘNG", "Hệ thống đã tiếp nhận 2 phiếu phản ánh, kiến nghị (Điện thoại: 1; Telegram: 1)",
			"Văn phòng UBND tỉnh               1"} {
			if code != 0 || !strings.Contains(out, want) {
				t.Errorf("exit %d, output lacks %q:\n%s%s", code, want, out, errs)
			}
		}
		if strings.Contains(out, "0939015599") || strings.Contains(out, "*******599") {
			t.Errorf("the report shows the phone number:\n%s", out)
		}
	})
	t.Run("OKDefaultLastMonth", func(t *testing.T) {
		now := time.Now().In(loc)
		want := "tháng " + time.Date(now.Year(), now.Month()-1, 1, 0, 0, 0, 0, loc).Format("1/2006")
		if code, out, errs := run("", "report"); code != 0 || !strings.Contains(out, "Kỳ báo cáo: "+want) {
			t.Errorf("exit %d, output lacks %q:\n%s%s", code, want, out, errs)
		}
	})
	t.Run("OKCSVOnStdout", func(t *testing.T) {
		code, out, errs := run("", "report", "--month", "2026-10", "--format", "csv")
		if code != 0 || !strings.HasPrefix(out, "\uFEFFBáo cáo hoạt động") || !strings.Contains(out, "Kỳ báo cáo: tháng 10/2026") {
			t.Errorf("exit %d: %.200s %s", code, out, errs)
		}
	})
	t.Run("OKFilesByExtension", func(t *testing.T) {
		for _, name := range []string{"r.xlsx", "r.html", "r.csv", "r.txt", "R.CSV"} {
			path := filepath.Join(dir, name)
			if code, _, errs := run("", "report", "--from", today, "--to", today, "--out", path); code != 0 {
				t.Fatalf("%s: exit %d: %s", name, code, errs)
			}
		}
		f, err := excelize.OpenFile(filepath.Join(dir, "r.xlsx"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := f.GetRows("Phiếu theo kênh")
		if err != nil || len(rows) < 3 || strings.Join(rows[2], "|") != "Telegram|1|50,0%|0|0" {
			t.Errorf("xlsx channel sheet = %q, %v", rows, err)
		}
		html, _ := os.ReadFile(filepath.Join(dir, "r.html"))
		csv, _ := os.ReadFile(filepath.Join(dir, "r.csv"))
		txt, _ := os.ReadFile(filepath.Join(dir, "r.txt"))
		if !bytes.Contains(html, []byte("<svg")) || !bytes.HasPrefix(csv, []byte("\uFEFF")) || !bytes.HasPrefix(txt, []byte("BÁO CÁO")) {
			t.Errorf("html, csv or text file not as its extension says")
		}
	})
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"ErrMonthAndDays", []string{"--month", "2026-10", "--from", today}, "either --month or --from and --to"},
		{"ErrFromAlone", []string{"--from", today}, "--from and --to go together"},
		{"ErrBadMonth", []string{"--month", "10/2026"}, `--month: "10/2026" is not a month in the form 2006-01`},
		{"ErrBadDay", []string{"--from", "2026-02-30", "--to", "2026-03-01"}, "--from:"},
		{"ErrEndsBeforeStart", []string{"--from", "2026-10-02", "--to", "2026-10-01"}, "ends (2026-10-01) before it starts (2026-10-02)"},
		{"ErrFormat", []string{"--format", "pdf"}, `unknown report format "pdf"`},
		{"ErrXLSXOnStdout", []string{"--format", "xlsx"}, "the xlsx format needs a file: add --out report.xlsx"},
		{"ErrArgument", []string{"2026-10"}, "report takes no arguments"},
		{"ErrUnknownExtension", []string{"--out", filepath.Join(dir, "r.pdf")}, "a report cannot be written as .pdf; use one of .txt, .csv, .xlsx, .html, or give --format"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := run("", append([]string{"report"}, tt.args...)...)
			if code != 2 || !strings.Contains(errs, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 and %q", code, errs, tt.want)
			}
		})
	}
}
