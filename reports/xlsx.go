// SPDX-License-Identifier: Apache-2.0

package reports

import (
	"io"
	"strconv"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// summarySheet is the XLSX sheet with the title, heading and summary.
const summarySheet = "Nhận xét"

// WriteXLSX writes the report as an Excel workbook: a first sheet with the
// title and the summary, then one sheet per table, whole numbers as numbers.
func (r *Report) WriteXLSX(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	wrapped, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	if err := f.SetSheetName("Sheet1", summarySheet); err != nil {
		return err
	}
	rows := append([]string{Title}, r.Heading()...)
	rows = append(rows, "", r.Summary)
	for i, v := range rows {
		if err := f.SetCellStr(summarySheet, cell(0, i), v); err != nil {
			return err
		}
	}
	f.SetCellStyle(summarySheet, "A1", "A1", bold)
	last := cell(0, len(rows)-1)
	f.SetCellStyle(summarySheet, last, last, wrapped)
	f.SetColWidth(summarySheet, "A", "A", 100)
	f.SetRowHeight(summarySheet, len(rows), 15*float64(len(wrap(r.Summary, 100))+1))
	for _, t := range r.Tables() {
		if err := writeSheet(f, t, bold); err != nil {
			return err
		}
	}
	return f.Write(w)
}

// writeSheet streams the table into a new sheet: the stream writer keeps
// large tables (tens of thousands of overdue tickets) fast.
func writeSheet(f *excelize.File, t Table, bold int) error {
	if _, err := f.NewSheet(t.Name); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(t.Name)
	if err != nil {
		return err
	}
	widths := make([]int, len(t.Header))
	for _, row := range append([][]string{t.Header}, t.Rows...) {
		for x, v := range row {
			widths[x] = max(widths[x], utf8.RuneCountInString(v))
		}
	}
	for x, wd := range widths {
		if err := sw.SetColWidth(x+1, x+1, float64(min(max(wd, 6), 60))+2); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	header := make([]any, len(t.Header))
	for x, v := range t.Header {
		header[x] = excelize.Cell{StyleID: bold, Value: v}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	values := make([]any, len(t.Header))
	for y, row := range t.Rows {
		for x, v := range row {
			values[x] = v
			if n, ok := wholeNumber(v); ok && t.Numeric[x] {
				values[x] = n
			}
		}
		if err := sw.SetRow(cell(0, y+1), values[:len(row)]); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// wholeNumber parses a cell written as a plain whole number, "-3" but not
// "+3" (a change keeps its sign as text) nor "007".
func wholeNumber(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	return n, err == nil && strconv.Itoa(n) == s
}

// cell names the cell at zero-based column x and row y: cell(1, 0) is "B1".
func cell(x, y int) string {
	name, _ := excelize.CoordinatesToCellName(x+1, y+1)
	return name
}
