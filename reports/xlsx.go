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

func writeSheet(f *excelize.File, t Table, bold int) error {
	if _, err := f.NewSheet(t.Name); err != nil {
		return err
	}
	widths := make([]int, len(t.Header))
	for y, row := range append([][]string{t.Header}, t.Rows...) {
		for x, v := range row {
			widths[x] = max(widths[x], utf8.RuneCountInString(v))
			var err error
			if n, ok := wholeNumber(v); ok && y > 0 && t.Numeric[x] {
				err = f.SetCellInt(t.Name, cell(x, y), int64(n))
			} else {
				err = f.SetCellStr(t.Name, cell(x, y), v)
			}
			if err != nil {
				return err
			}
		}
	}
	f.SetCellStyle(t.Name, cell(0, 0), cell(len(t.Header)-1, 0), bold)
	for x, wd := range widths {
		col, _ := excelize.ColumnNumberToName(x + 1)
		f.SetColWidth(t.Name, col, col, float64(min(max(wd, 6), 60))+2)
	}
	return f.SetPanes(t.Name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
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
