// SPDX-License-Identifier: Apache-2.0

package main

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// registerRow is one row of a register: where it is in the file (the CSV
// line or the sheet's row number) and its cells, NFC.
type registerRow struct {
	line  int
	cells []string
}

// cell returns the row's cell i, "" if there is none.
func (r registerRow) cell(i int) string {
	if i < 0 || i >= len(r.cells) {
		return ""
	}
	return r.cells[i]
}

// empty reports whether every cell is blank.
func (r registerRow) empty() bool {
	for _, c := range r.cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// register is a register's rows, and whether its dates are serials of the
// 1904 date system.
type register struct {
	rows     []registerRow
	date1904 bool
}

// readRegister reads every row of a register: a CSV file (encoding: "" for
// UTF-8, with or without a BOM, else Windows-1258; or "utf-8" or
// "windows-1258") or a sheet of an XLSX workbook ("" for the active one).
func readRegister(path, sheet, encoding string) (*register, error) {
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".csv", ".txt":
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		text, err := decodeText(b, encoding)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		rows, err := readCSV(path, text)
		return &register{rows: rows}, err
	case ".xlsx", ".xlsm":
		return readXLSX(path, sheet)
	case ".xls":
		return nil, fmt.Errorf("%s is an old Excel 97–2003 workbook: open it in Excel or LibreOffice and save it as .xlsx (or .csv)", path)
	default:
		return nil, fmt.Errorf("%s: import reads .csv or .xlsx registers (or JSON lines on standard input without a file)", path)
	}
}

// decodeText returns b as NFC text: UTF-8 after a BOM or when it is valid
// UTF-8, else (or when asked) Windows-1258, the Vietnamese code page.
func decodeText(b []byte, encoding string) (string, error) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		b = b[3:]
		encoding = "utf-8"
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}), bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return "", errors.New("the file is UTF-16 (Excel's \"Unicode Text\"): save it as \"CSV UTF-8\" instead")
	}
	switch strings.ToLower(encoding) {
	case "", "auto":
		if utf8.Valid(b) {
			return norm.NFC.String(string(b)), nil
		}
	case "utf-8", "utf8":
		if !utf8.Valid(b) {
			return "", errors.New("the file is not UTF-8: give --encoding windows-1258 if it was saved in the Vietnamese code page")
		}
		return norm.NFC.String(string(b)), nil
	case "windows-1258", "cp1258":
	default:
		return "", fmt.Errorf("--encoding %q: use utf-8 or windows-1258", encoding)
	}
	d, err := charmap.Windows1258.NewDecoder().Bytes(b)
	if err != nil {
		return "", fmt.Errorf("decode Windows-1258: %w", err)
	}
	// Windows-1258 writes tones as combining marks; NFC composes them.
	return norm.NFC.String(string(d)), nil
}

// readCSV reads the records of text, separated by the comma, semicolon or
// tab that the first lines use most on one line (a title above the header
// may hold a comma).
func readCSV(path, text string) ([]registerRow, error) {
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord, r.LazyQuotes = -1, true
	r.Comma = sniffComma(text)
	var rows []registerRow
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		line, _ := r.FieldPos(0)
		rows = append(rows, registerRow{line: line, cells: rec})
	}
}

// sniffComma returns the separator of a CSV text.
func sniffComma(text string) rune {
	lines := strings.SplitN(text, "\n", headerRowsLooked+1)
	best, most := ',', 0
	for _, c := range []rune{',', ';', '\t'} {
		for _, l := range lines[:min(len(lines), headerRowsLooked)] {
			if n := strings.Count(l, string(c)); n > most {
				best, most = c, n
			}
		}
	}
	return best
}

// readXLSX reads a sheet's rows, raw (a date is its serial number), every
// cell of a merged range holding the range's value.
func readXLSX(path, sheet string) (*register, error) {
	f, err := excelize.OpenFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: not a readable XLSX workbook: %w", path, err)
	}
	defer f.Close()
	if sheet == "" {
		sheet = f.GetSheetName(f.GetActiveSheetIndex())
	} else if idx, err := f.GetSheetIndex(sheet); err != nil || idx < 0 {
		return nil, fmt.Errorf("%s has no sheet %q; its sheets: %s", path, sheet, strings.Join(f.GetSheetList(), ", "))
	}
	props, err := f.GetWorkbookProps()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	it, err := f.Rows(sheet)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	defer it.Close()
	var rows []registerRow
	for n := 1; it.Next(); n++ {
		cells, err := it.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, fmt.Errorf("%s: row %d: %w", path, n, err)
		}
		for i, c := range cells {
			cells[i] = norm.NFC.String(c)
		}
		rows = append(rows, registerRow{line: n, cells: cells})
	}
	if err := it.Error(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	merged, err := sheetMerges(path, sheet)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	fillMerged(rows, merged)
	return &register{rows: rows, date1904: props.Date1904 != nil && *props.Date1904}, nil
}

// fillMerged gives every cell of each merged range the value of its first
// cell (rows[i] is row i+1 of the sheet).
func fillMerged(rows []registerRow, ms []mergedRange) {
	for _, m := range ms {
		if m.row0 > len(rows) {
			continue
		}
		v := rows[m.row0-1].cell(m.col0 - 1)
		for r := m.row0; r <= min(m.row1, len(rows)); r++ {
			cells := rows[r-1].cells
			for len(cells) < m.col1 {
				cells = append(cells, "")
			}
			for c := m.col0; c <= m.col1; c++ {
				cells[c-1] = v
			}
			rows[r-1].cells = cells
		}
	}
}
