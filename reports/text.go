// SPDX-License-Identifier: Apache-2.0

package reports

import (
	"bufio"
	"io"
	"strings"
	"unicode/utf8"
)

// WriteText writes the report as plain text with aligned columns, for a
// terminal or an e-mail.
func (r *Report) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	title := strings.ToUpper(Title)
	bw.WriteString(title + "\n" + strings.Repeat("=", utf8.RuneCountInString(title)) + "\n")
	for _, l := range r.Heading() {
		bw.WriteString(l + "\n")
	}
	bw.WriteString("\nNhận xét\n--------\n")
	for _, l := range wrap(r.Summary, 78) {
		bw.WriteString(l + "\n")
	}
	for _, t := range r.Tables() {
		bw.WriteString("\n")
		writeTextTable(bw, t)
	}
	return bw.Flush()
}

func writeTextTable(w *bufio.Writer, t Table) {
	w.WriteString(t.Title + "\n" + strings.Repeat("-", utf8.RuneCountInString(t.Title)) + "\n")
	if len(t.Rows) == 0 {
		w.WriteString("(không có)\n")
		return
	}
	widths := make([]int, len(t.Header))
	for _, row := range append([][]string{t.Header}, t.Rows...) {
		for i, c := range row {
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	line := func(row []string) {
		var b strings.Builder
		for i, c := range row {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c))
			if i > 0 {
				b.WriteString("  ")
			}
			if t.Numeric[i] {
				b.WriteString(pad + c)
			} else {
				b.WriteString(c + pad)
			}
		}
		w.WriteString(strings.TrimRight(b.String(), " ") + "\n")
	}
	line(t.Header)
	for _, row := range t.Rows {
		line(row)
	}
}
