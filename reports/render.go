// SPDX-License-Identifier: Apache-2.0

package reports

import (
	"fmt"
	"io"
	"strings"

	"github.com/hotline-cchc/hotline/tickets"
)

// Format is how a report is written.
type Format string

// The formats.
const (
	FormatText Format = "text"
	FormatCSV  Format = "csv"
	FormatXLSX Format = "xlsx"
	FormatHTML Format = "html"
)

// Formats lists every format.
var Formats = []Format{FormatText, FormatCSV, FormatXLSX, FormatHTML}

// ParseFormat returns the format named s; EINVALID if there is none.
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats {
		if string(f) == s {
			return f, nil
		}
	}
	return "", tickets.Errorf(tickets.EINVALID, "unknown report format %q (want text, csv, xlsx or html)", s)
}

// Ext returns the file name extension of the format, with its dot.
func (f Format) Ext() string {
	if f == FormatText {
		return ".txt"
	}
	return "." + string(f)
}

// Binary reports whether the format is not text a terminal can show.
func (f Format) Binary() bool { return f == FormatXLSX }

// Write renders r to w in format f. It returns EINVALID for an unknown
// format and w's error, wrapped.
func (r *Report) Write(w io.Writer, f Format) error {
	var err error
	switch f {
	case FormatText:
		err = r.WriteText(w)
	case FormatCSV:
		err = r.WriteCSV(w)
	case FormatXLSX:
		err = r.WriteXLSX(w)
	case FormatHTML:
		err = r.WriteHTML(w)
	default:
		return tickets.Errorf(tickets.EINVALID, "unknown report format %q", f)
	}
	if err != nil {
		return fmt.Errorf("write %s report: %w", f, err)
	}
	return nil
}

// Title is the report's heading.
const Title = "Báo cáo hoạt động Tổng đài cải cách hành chính"

// Heading returns the lines under the title: the period, when the figures
// stop and when the report was made.
func (r *Report) Heading() []string {
	loc := r.Period.Loc
	p := r.Period
	asOf := "hết ngày " + dmy(p.LastDay())
	if r.AsOf.Before(p.To) {
		asOf = r.AsOf.In(loc).Format("15:04 ngày 02/01/2006")
	}
	period := "Kỳ báo cáo: " + p.Label()
	if p.IsMonth() {
		period += fmt.Sprintf(" (%s – %s)", p.From.In(loc).Format("02/01/2006"), dmy(p.LastDay()))
	}
	return []string{
		period,
		"Số liệu tính đến " + asOf + " (giờ " + loc.String() + ")",
		"Lập lúc " + r.GeneratedAt.In(loc).Format("15:04 ngày 02/01/2006"),
	}
}

// FileName is the report's file name: "bao-cao-2026-10.html".
func (r *Report) FileName(f Format) string { return fileName(r.Period, f) }

func fileName(p Period, f Format) string { return "bao-cao-" + p.Key() + f.Ext() }

// wrap breaks s into lines of at most width characters at spaces.
func wrap(s string, width int) []string {
	var lines []string
	var line strings.Builder
	n := 0
	for _, word := range strings.Fields(s) {
		wn := len([]rune(word))
		if n > 0 && n+1+wn > width {
			lines = append(lines, line.String())
			line.Reset()
			n = 0
		}
		if n > 0 {
			line.WriteByte(' ')
			n++
		}
		line.WriteString(word)
		n += wn
	}
	if n > 0 {
		lines = append(lines, line.String())
	}
	return lines
}
